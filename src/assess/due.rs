//! What is due: per document, the next thing its owner must do and by when (review it, get it
//! approved, dispose of it). Derived once from the assessment; `aimsdoc due`, the review calendar
//! (`reviews.ics`) and the dashboard read this list instead of re-deriving dates.

use serde::Serialize;

use super::{Assessment, Currency, Disposition};
use crate::content::types::Date;
use crate::content::Tree;

/// What an owner must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Action {
    /// The periodic review of an approved document.
    Review,
    /// A document out for review waits for its approval.
    Approve,
    /// The retention period has ended (or ends soon): dispose of it or extend retention.
    Dispose,
}

impl Action {
    /// The word used in every output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Action::Review => "review",
            Action::Approve => "approve",
            Action::Dispose => "dispose",
        }
    }
}

/// One thing due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Due {
    /// Index into `tree.documents`.
    pub doc: usize,
    /// What to do.
    pub action: Action,
    /// By when (`None`: as soon as possible, e.g. a document waiting for approval).
    pub by: Option<Date>,
}

impl Due {
    /// Days from `today` until `by` (negative: overdue); `None` when there is no date.
    pub(crate) fn days_left(&self, today: Date) -> Option<i64> {
        let by = self.by?;
        today.until(by).ok().map(|span| i64::from(span.get_days()))
    }
}

/// Everything due in the tree, in date order (undated last), then by document id. With
/// `within`, only what falls due on or before `today + within` days (undated items always).
pub(crate) fn list(tree: &Tree, assessment: &Assessment, within: Option<u32>) -> Vec<Due> {
    let horizon = within.and_then(|days| assessment.today.checked_add(jiff::Span::new().days(i64::from(days))).ok());
    let mut out: Vec<Due> = (0..tree.documents.len())
        .filter_map(|doc| due_of(tree, assessment, doc))
        .filter(|due| match (horizon, due.by) {
            (Some(h), Some(by)) => by <= h,
            _ => true,
        })
        .collect();
    let id = |d: &Due| tree.documents[d.doc].id.value.as_str();
    out.sort_by(|a, b| {
        (a.by.is_none(), a.by)
            .cmp(&(b.by.is_none(), b.by))
            .then_with(|| id(a).cmp(id(b)))
            .then_with(|| a.action.cmp(&b.action))
    });
    out
}

/// The one thing due for document `doc`: disposal outranks review (a record past its retention
/// is not reviewed; a legal hold suspends disposal), review applies to documents in force,
/// approval to documents in review.
fn due_of(tree: &Tree, assessment: &Assessment, doc: usize) -> Option<Due> {
    let d = &tree.documents[doc];
    if let Disposition::On(date) = assessment.disposition[doc] {
        if d.legal_hold.is_none() {
            return Some(Due { doc, action: Action::Dispose, by: Some(date) });
        }
    }
    match assessment.currency[doc] {
        Currency::Current | Currency::DueSoon | Currency::Overdue | Currency::NotYetEffective => {
            let by = d.next_review.as_ref()?.value;
            Some(Due { doc, action: Action::Review, by: Some(by) })
        }
        // Out for review, or approved under an earlier version: the current text needs approval.
        Currency::InReview | Currency::VersionNotApproved => Some(Due { doc, action: Action::Approve, by: None }),
        Currency::Draft | Currency::Superseded | Currency::Withdrawn => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        crate::content::types::parse_date(s).expect("date")
    }

    #[test]
    fn days_left_counts_calendar_days_and_goes_negative_when_overdue() {
        let due = Due { doc: 0, action: Action::Review, by: Some(date("2026-07-01")) };
        assert_eq!(due.days_left(date("2026-06-01")), Some(30));
        assert_eq!(due.days_left(date("2026-07-03")), Some(-2));
        let undated = Due { doc: 0, action: Action::Approve, by: None };
        assert_eq!(undated.days_left(date("2026-06-01")), None);
    }
}
