//! Records have their own lifecycle (7.5.3): a record or report is evidence of something that
//! happened on a date (RC001), issued and approved after it (RC003, RC004: a date that makes a
//! record look fresher than it is is a finding), issued once and then retained, not rewritten
//! (RC002). Their
//! retention is checked in [`super::retention`]; review rules skip them ([`super::review`]).

use super::Ctx;
use crate::content::document::HistoryEntry;
use crate::content::types::Version;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    if !d.is_record() {
        return;
    }
    if d.record_date.is_none() && !d.record_date_written {
        out.push(
            Diagnostic::new(
                rules::RC_NO_DATE,
                &d.path,
                d.head,
                format!("the {} has no `record_date`: when did what it records happen?", d.doc_type.value),
            )
            .hint("add `record_date: YYYY-MM-DD`, the date of the meeting, audit, assessment or event (its attachments inherit it)"),
        );
    }
    dated_after_the_event(d, cx, out);
    revised(d, out);
}

/// RC003 and RC004: the event an issued record records has happened by the build date, and by
/// the date the record was approved. A draft may be prepared ahead of its meeting.
fn dated_after_the_event(d: &Document, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(event) = d.record_date.as_ref() else { return };
    if !d.status().needs_approval() {
        return;
    }
    let kind = &d.doc_type.value;
    if event.value > cx.today {
        out.push(
            Diagnostic::new(
                rules::RC_DATED_IN_FUTURE,
                &d.path,
                event.pos,
                format!(
                    "the {kind} is dated {}, after today ({}): it records an event that has not happened",
                    event.value, cx.today
                ),
            )
            .hint(
                "`record_date` is the date of the meeting, audit, assessment or event the record records: correct it",
            ),
        );
        return;
    }
    let Some(approved) = d.approval.as_ref().and_then(|a| a.date.as_ref()) else { return };
    if approved.value < event.value {
        out.push(
            Diagnostic::new(
                rules::RC_APPROVED_BEFORE_EVENT,
                &d.path,
                approved.pos,
                format!(
                    "the {kind} was approved on {}, before the event it records ({}, its `record_date`)",
                    approved.value, event.value
                ),
            )
            .hint(
                "a record is approved after its event: correct `record_date` or the approval date (and approve again)",
            ),
        );
    }
}

/// RC002. The test: a record is issued once as one major version (drafts `0.x` before it;
/// corrections and completions of the same record, such as a nonconformity record updated to
/// closure, are `1.1`, `1.2`...). A history entry with a higher major version than the first
/// issued one (`2.0` after `1.x`) wrote new content over the record: a re-assessment, next
/// year's figures. It is reported at the first such entry.
fn revised(d: &Document, out: &mut Vec<Diagnostic>) {
    let issued: Vec<(&HistoryEntry, u64)> = d
        .history
        .iter()
        .rev()
        .filter_map(|h| Some((h, major(&h.version.as_ref()?.value)?)))
        .filter(|(_, m)| *m >= 1)
        .collect();
    let Some(&(first, first_major)) = issued.first() else { return };
    let Some(&(rewrite, _)) = issued.iter().find(|(_, m)| *m > first_major) else { return };
    let version = |h: &HistoryEntry| h.version.as_ref().map_or("?", |v| v.value.as_str()).to_string();
    let pos = rewrite.version.as_ref().map_or(rewrite.pos, |v| v.pos);
    let when = rewrite.date.as_ref().map(|d| format!(" on {}", d.value)).unwrap_or_default();
    out.push(
        Diagnostic::new(
            rules::RC_REVISED,
            &d.path,
            pos,
            format!(
                "{} was issued as version {} and rewritten as version {}{when}: the earlier record is lost",
                d.id.value,
                version(first),
                version(rewrite)
            ),
        )
        .hint("add a new record with its own id and date; keep this one as it was issued"),
    );
}

/// The major (first) number of a version.
fn major(v: &Version) -> Option<u64> {
    v.as_str().split('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::major;
    use crate::content::types::Version;

    #[test]
    fn major_is_the_first_number() {
        let m = |s: &str| Version::parse(s).and_then(|v| major(&v));
        assert_eq!(m("0.3"), Some(0));
        assert_eq!(m("1.10"), Some(1));
        assert_eq!(m("2"), Some(2));
    }
}
