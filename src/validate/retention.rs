//! Retention and disposition (7.5.3): records past their disposition date (computed by
//! [`crate::assess::retention`]) are reported so they are disposed of, or kept, on purpose.
//! Unparseable retention is reported while parsing.

use super::Ctx;
use crate::diagnostics::{rules, Diagnostic};

/// Checks document `i`.
pub fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let Some(retention) = &d.retention else {
        return;
    };
    if let Some(date) = cx.assessment.disposition[i].date().filter(|_| cx.assessment.past_disposition(i)) {
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
