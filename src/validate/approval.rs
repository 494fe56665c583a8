//! Review and approval (7.5.2): documents that claim approval say who approved them and when,
//! the date is real, not in the future and not before the version it approves was written; the
//! approver has authority for the document's type (`[approval.authority]`) and, by segregation
//! of duties, is neither the owner nor the author of the version.

use super::Ctx;
use crate::assess::approvers::{same_party, same_person};
use crate::assess::currency;
use crate::config::Segregation;
use crate::content::document::Approval;
use crate::content::types::Spanned;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic, Severity};

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let status = d.status();
    let Some(approval) = &d.approval else {
        if status.needs_approval() {
            out.push(
                Diagnostic::new(rules::AP_MISSING, &d.path, d.status_key, format!("the document is {} but has no approval", status.as_str()))
                    .hint("add `approval: { by: <name, role>, date: YYYY-MM-DD }`, or set `status: draft` until it is approved"),
            );
        }
        return;
    };
    // A draft or a document in review may still carry the approval of its previous version, or
    // name only its planned approver: the rules about what an approval covers apply once the
    // document claims to be approved.
    let claimed = status.needs_approval();
    approval_complete(d, approval, claimed, cx, out);
    effective_before_approval(d, approval, out);
    if claimed {
        predates_version(d, out);
    }
    if let Some(by) = &approval.by {
        segregation(d, by, claimed, cx, out);
        if claimed {
            authority(d, by, cx, out);
        }
    }
}

/// AP002, AP003: the approval says who approved and when (once the document claims approval;
/// a date that is not a date is ID008, not also missing), and that date is not in the future.
fn approval_complete(d: &Document, approval: &Approval, claimed: bool, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    if approval.by.is_none() {
        out.push(
            Diagnostic::new(rules::AP_INCOMPLETE, &d.path, approval.pos, "the approval does not say who approved")
                .hint("add `by: <name, role>` under `approval`"),
        );
    }
    match &approval.date {
        None if !claimed || approval.date_written => {}
        None => out.push(
            Diagnostic::new(rules::AP_INCOMPLETE, &d.path, approval.pos, "the approval has no date")
                .hint("add `date: YYYY-MM-DD` under `approval`"),
        ),
        Some(date) if date.value > cx.today => out.push(
            Diagnostic::new(
                rules::AP_FUTURE,
                &d.path,
                date.pos,
                format!("approval date {} is in the future (today is {})", date.value, cx.today),
            )
            .hint("record the date the approval was actually given"),
        ),
        Some(_) => {}
    }
}

/// AP005: a document does not take effect before it was approved.
fn effective_before_approval(d: &Document, approval: &Approval, out: &mut Vec<Diagnostic>) {
    if let (Some(eff), Some(date)) = (&d.effective, &approval.date) {
        if eff.value < date.value {
            out.push(
                Diagnostic::new(
                    rules::AP_EFFECTIVE_EARLY,
                    &d.path,
                    eff.pos,
                    format!("effective date {} is before the approval date {}", eff.value, date.value),
                )
                .hint("set `effective` on or after the approval date, or remove it to default to the approval date"),
            );
        }
    }
}

/// AP006: the approval is dated before the current version's history entry.
fn predates_version(d: &Document, out: &mut Vec<Diagnostic>) {
    let Some(p) = currency::approval_predates_version(d) else { return };
    let (id, v) = (d.id.value.as_str(), d.version_text());
    out.push(
        Diagnostic::new(
            rules::AP_PREDATES_VERSION,
            &d.path,
            p.approval.pos,
            format!(
                "approval dated {} predates version {v} (its history entry is dated {}): it approved an earlier text, not this version",
                p.approval.value, p.written
            ),
        )
        .hint(format!("have version {v} approved and record it (`aimsdoc approve {id} --by NAME`), or set `status: review` until it is")),
    );
}

/// AP004 and AP007: the approver is the owner, or wrote the version being approved.
fn segregation(d: &Document, by: &Spanned<String>, claimed: bool, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let severity = match cx.config.review.segregation_of_duties {
        Segregation::Off => return,
        Segregation::Warning => Severity::Warning,
        Segregation::Error => Severity::Error,
    };
    let off = "or set `segregation_of_duties = \"off\"` under [review]";
    if same_party(&by.value, &d.owner.value) {
        out.push(
            Diagnostic::new(
                rules::AP_SELF_APPROVED,
                &d.path,
                by.pos,
                format!("`{}` approves a document they own", by.value),
            )
            .hint(format!("have someone other than the owner approve (segregation of duties), {off}"))
            .severity(severity),
        );
    }
    let Some(entry) = currency::current_history(d).filter(|_| claimed) else { return };
    if same_person(&by.value, &entry.by) {
        out.push(
            Diagnostic::new(
                rules::AP_AUTHOR_APPROVED,
                &d.path,
                by.pos,
                format!(
                    "`{}` approves version {} that they wrote (its history entry is by `{}`)",
                    by.value,
                    d.version_text(),
                    entry.by
                ),
            )
            .hint(format!("have someone other than the author approve (segregation of duties), {off}"))
            .severity(severity),
        );
    }
}

/// AP008: `[approval.authority]` lists who may approve this type, and the approver is not one.
fn authority(d: &Document, by: &Spanned<String>, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(allowed) = cx.config.approval.authority.get(&d.doc_type.value) else { return };
    if allowed.iter().any(|a| same_party(&by.value, a)) {
        return;
    }
    out.push(
        Diagnostic::new(
            rules::AP_NO_AUTHORITY,
            &d.path,
            by.pos,
            format!(
                "`{}` may not approve a {}: [approval.authority] allows {}",
                by.value,
                d.doc_type.value,
                allowed.join(", ")
            ),
        )
        .hint(format!(
            "have one of {} approve it, naming the role as in \"Jane Smith, {}\"",
            allowed.join(", "),
            allowed[0]
        )),
    );
}
