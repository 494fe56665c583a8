//! Retention and disposition (7.5.3): records and reports say how long they are kept (RT003),
//! at least the configured minimum for their type (RT004), and records past their disposition
//! date (computed by [`crate::assess::retention`]) are reported so they are disposed of, or kept,
//! on purpose (RT002), unless a legal hold suspends disposition. Unparseable retention is
//! reported while parsing (RT001).

use super::Ctx;
use crate::content::types::{Period, Retention, Spanned};
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let Some(retention) = &d.retention else {
        missing(d, out);
        return;
    };
    if let Some(min) = cx.config.retention.minimum.get(&d.doc_type.value) {
        below_minimum(d, retention, *min, out);
    }
    if d.legal_hold.is_some() {
        return;
    }
    if let Some(date) = cx.assessment.disposition[i].date().filter(|_| cx.assessment.past_disposition(i)) {
        out.push(
            Diagnostic::new(
                rules::RT_PAST_DISPOSITION,
                &d.path,
                retention.pos,
                format!("retention `{}` ended on {date}", retention.value),
            )
            .hint("dispose of the record (and record the disposal), extend `retention` with a reason, or set `legal_hold: \"reason\"`"),
        );
    }
}

/// RT003: a record or report without a retention period (a malformed one is RT001 already).
fn missing(d: &Document, out: &mut Vec<Diagnostic>) {
    if !d.is_record() || d.retention_written {
        return;
    }
    out.push(
        Diagnostic::new(
            rules::RT_MISSING,
            &d.path,
            d.head,
            format!("the {} has no `retention`: how long is it kept?", d.doc_type.value),
        )
        .hint("add `retention: 7y` (a period from `record_date`), or `permanent`; use your records schedule"),
    );
}

/// RT004: shorter than `[retention] minimum` for the type. `until superseded + P` keeps a
/// document at least P after its record date (it cannot be superseded before it exists), so P
/// is what is compared; `permanent` always satisfies a minimum.
fn below_minimum(d: &Document, retention: &Spanned<Retention>, min: Period, out: &mut Vec<Diagnostic>) {
    let period = match retention.value {
        Retention::For(p) | Retention::UntilSuperseded(p) => p,
        Retention::Permanent => return,
    };
    if period.months >= min.months {
        return;
    }
    out.push(
        Diagnostic::new(
            rules::RT_BELOW_MINIMUM,
            &d.path,
            retention.pos,
            format!("retention `{}` is shorter than the minimum of {min} for a {}", retention.value, d.doc_type.value),
        )
        .hint(format!("keep it at least `retention: {min}` (set under [retention] minimum in aimsdoc.toml)")),
    );
}
