//! Review dates (7.5.2): approved documents carry a next review date; overdue reviews are
//! warnings (errors by configuration or `--strict`), reviews due soon are notices, and the next
//! review lies within the allowed interval after the approval or the last no-change review.

use super::Ctx;
use crate::assess::Currency;
use crate::config::OverdueLevel;
use crate::content::types::{Date, Outcome, Spanned};
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic, Severity};

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    revised_without_version(&cx.docs[i], out);
    let d = &cx.docs[i];
    // Records are retained, not reviewed: no next review, no review findings, whatever the status.
    if d.is_record() {
        return;
    }
    future_reviews(d, cx, out);
    if !cx.assessment.currency[i].is_approved() {
        return;
    }
    let Some(next) = &d.next_review else {
        // A `next_review` that is not a date is reported as such (ID008), not also as missing.
        if d.next_review_written {
            return;
        }
        out.push(
            Diagnostic::new(
                rules::RV_MISSING,
                &d.path,
                d.status_key,
                "the document is approved but has no `next_review` date",
            )
            .hint("add `next_review: YYYY-MM-DD`, typically a year after approval"),
        );
        return;
    };
    if let Some(base) = d.last_confirming_review().or_else(|| d.approval_date()) {
        next_review_after(d, next, base, cx, out);
    }
    review_due(d, next, cx.assessment.currency[i], cx, out);
}

/// RV006: a review recorded with a date after today has not taken place yet.
fn future_reviews(d: &Document, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in &d.reviews {
        if let Some(date) = r.date.as_ref().filter(|date| date.value > cx.today) {
            out.push(
                Diagnostic::new(
                    rules::RV_FUTURE_REVIEW,
                    &d.path,
                    date.pos,
                    format!("review dated {} is in the future", date.value),
                )
                .hint("record reviews once they have taken place"),
            );
        }
    }
}

/// The next review lies after `base` (the approval or the last no-change review) and within the
/// configured interval of it.
fn next_review_after(d: &Document, next: &Spanned<Date>, base: Date, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    if next.value <= base {
        out.push(
            Diagnostic::new(
                rules::RV_BEFORE_APPROVAL,
                &d.path,
                next.pos,
                format!("next review {} is not after the last approval or review ({base})", next.value),
            )
            .hint("set `next_review` to a date after the approval"),
        );
        return;
    }
    let max = cx.config.max_review_interval();
    let limit = max.after(base);
    if next.value > limit {
        out.push(
            Diagnostic::new(
                rules::RV_INTERVAL,
                &d.path,
                next.pos,
                format!("next review {} is more than {max} after {base}", next.value),
            )
            .hint(format!("review by {limit} at the latest, or change `max_review_interval` under [review]")),
        );
    }
}

/// Overdue and due soon are the assessment's currency, the same the register shows.
fn review_due(d: &Document, next: &Spanned<Date>, currency: Currency, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    match currency {
        Currency::Overdue => {
            let days = (cx.today - next.value).get_days();
            let severity = match cx.config.review.overdue {
                OverdueLevel::Warning => Severity::Warning,
                OverdueLevel::Error => Severity::Error,
            };
            out.push(
                Diagnostic::new(rules::RV_OVERDUE, &d.path, next.pos, format!("review was due on {} ({days} days ago)", next.value))
                    .hint("review the document: record `reviews: [{ date, by, outcome: no-change }]` and move `next_review` on, or issue a new version")
                    .severity(severity),
            );
        }
        Currency::DueSoon => {
            let days = (next.value - cx.today).get_days();
            out.push(
                Diagnostic::new(
                    rules::RV_DUE_SOON,
                    &d.path,
                    next.pos,
                    format!("review is due on {} (in {days} days)", next.value),
                )
                .hint("plan the review with the owner"),
            );
        }
        _ => {}
    }
}

/// RV007: a review whose outcome is `revised` is followed by a new version, i.e. a history entry
/// dated on or after the review (a "revised" review that changed nothing is a false record).
fn revised_without_version(d: &Document, out: &mut Vec<Diagnostic>) {
    let newest_change = d.history.iter().filter_map(|h| h.date.as_ref().map(|x| x.value)).max();
    for r in d.reviews.iter().filter(|r| r.outcome == Some(Outcome::Revised)) {
        let Some(date) = &r.date else { continue };
        if newest_change.is_some_and(|c| c >= date.value) {
            continue;
        }
        out.push(
            Diagnostic::new(
                rules::RV_REVISED_NO_VERSION,
                &d.path,
                r.pos,
                format!("the review of {} says `revised`, but no version dated on or after it follows", date.value),
            )
            .hint("issue the revised version: raise `version`, add a `history` entry dated on or after the review and have it approved; or record `outcome: no-change` if nothing changed"),
        );
    }
}
