//! Retention and disposition (7.5.3): records past their disposition date are reported so they
//! are disposed of, or kept, on purpose. Unparseable retention is reported while parsing.

use super::Ctx;
use crate::content::types::{Date, Retention, Status};
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};

/// The date a document may be disposed of, if its retention and dates determine one.
/// `successor_effective` is the effective date of the document that superseded it, if any.
pub fn disposition_date(doc: &Document, successor_effective: Option<Date>) -> Option<Date> {
    match doc.retention.as_ref()?.value {
        Retention::Permanent => None,
        Retention::For(p) => Some(p.after(doc.record_date()?)),
        Retention::UntilSuperseded(p) if doc.status() == Status::Superseded => Some(p.after(successor_effective?)),
        Retention::UntilSuperseded(_) => None,
    }
}

/// Checks document `i`.
pub fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let Some(retention) = &d.retention else {
        return;
    };
    let successor = d
        .superseded_by
        .as_ref()
        .and_then(|s| cx.graph.by_id.get(s.value.as_str()))
        .and_then(|&t| cx.docs[t].effective_date());
    if let Some(date) = disposition_date(d, successor).filter(|date| *date < cx.today) {
        out.push(
            Diagnostic::new(
                rules::RT_PAST_DISPOSITION,
                &d.path,
                retention.pos,
                format!("retention `{}` ended on {date}", retention.value),
            )
            .hint("dispose of the record (and record the disposal), or extend `retention` with a reason"),
        );
    }
}
