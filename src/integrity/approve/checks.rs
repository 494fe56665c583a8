//! The checks `approve` makes before writing anything, so that a tree that checked clean
//! checks clean afterwards: the rules `check` applies to an approval (not before the version was
//! written, authority, segregation of duties), and the `effective` and `next_review` dates the
//! approval needs.

use super::{refuse, refuse_with_help, Refused, Request};
use crate::assess::approvers::{same_party, same_person};
use crate::assess::currency::current_history;
use crate::config::{Config, Segregation};
use crate::content::types::Date;
use crate::content::Document;

/// The approval rules `check` enforces, applied before anything is written: not before the
/// version was written, by someone with authority, not by its owner or author (a warning or a
/// refusal, as configured).
pub(super) fn policy(req: &Request, doc: &Document, config: &Config) -> Result<Vec<String>, Refused> {
    let written = current_history(doc).and_then(|h| h.date.as_ref()).map(|d| d.value);
    if let Some(written) = written.filter(|w| *w > req.date) {
        return refuse_with_help(
            true,
            format!(
                "version {} was written on {written}; an approval dated {} would predate it",
                doc.version_text(),
                req.date
            ),
            "approve on or after the date of the version's history entry",
        );
    }
    if let Some(allowed) = config.approval.authority.get(&doc.doc_type.value) {
        if !allowed.iter().any(|a| same_party(&req.by, a)) {
            let help = format!(
                "[approval.authority] in aimsdoc.toml allows {} for a {}",
                allowed.join(", "),
                doc.doc_type.value
            );
            return refuse_with_help(true, format!("`{}` may not approve {}", req.by, req.id), &help);
        }
    }
    let mut problems = Vec::new();
    if same_party(&req.by, &doc.owner.value) {
        problems.push(format!("`{}` owns {}", req.by, req.id));
    }
    if let Some(author) = current_history(doc).map(|h| h.by.as_str()).filter(|a| same_person(&req.by, a)) {
        problems.push(format!("`{}` wrote version {} (history: `{author}`)", req.by, doc.version_text()));
    }
    match config.review.segregation_of_duties {
        Segregation::Error if !problems.is_empty() => refuse_with_help(
            true,
            format!("segregation of duties: {}", problems.join("; ")),
            "have someone else approve ([review] segregation_of_duties = \"error\")",
        ),
        Segregation::Off => Ok(Vec::new()),
        _ => Ok(problems.into_iter().map(|p| format!("segregation of duties: {p}")).collect()),
    }
}

/// The `effective` date to write: `--effective` (not before the approval), else the approval
/// date when the document's is earlier (or, for a draft being issued, missing); `None` to leave
/// it.
pub(super) fn effective_date(req: &Request, doc: &Document, issuing: bool) -> Result<Option<Date>, Refused> {
    let current = doc.effective.as_ref().map(|e| e.value);
    match req.effective {
        Some(eff) if eff < req.date => {
            refuse(true, format!("--effective {eff} is before the approval date {}", req.date))
        }
        Some(eff) => Ok((current != Some(eff)).then_some(eff)),
        None if current.is_none() => Ok(issuing.then_some(req.date)),
        None => Ok(current.filter(|&c| c < req.date).map(|_| req.date)),
    }
}

/// The `next_review` date to write: `--next-review` (after the approval, within
/// `max_review_interval`), else the latest allowed date when the document's falls outside or is
/// missing (records excepted).
pub(super) fn next_review_date(req: &Request, doc: &Document, config: &Config) -> Result<Option<Date>, Refused> {
    let max = config.max_review_interval();
    let limit = max.after(req.date);
    let current = doc.next_review.as_ref().map(|n| n.value);
    match req.next_review {
        Some(next) if next <= req.date || next > limit => refuse_with_help(
            true,
            format!("--next-review {next} is not after the approval date {} and within {max} of it", req.date),
            &format!("choose a date from the day after the approval up to {limit}"),
        ),
        Some(next) => Ok((current != Some(next)).then_some(next)),
        // Records are retained, not reviewed: they get no next review.
        None if current.is_none() => Ok((!doc.is_record()).then_some(limit)),
        None => Ok(current.filter(|&c| c <= req.date || c > limit).map(|_| limit)),
    }
}
