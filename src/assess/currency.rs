//! Currency: where each document stands on `today`, as one value every consumer reads (the
//! register's state column, banners, review findings, the SoA and checklist predicates).
//! Defined once here so "overdue" cannot mean two things in two places. An approved document
//! whose approval does not cover its current version (dated before that version's history
//! entry, or missing from `approvals.lock` when the tree has one) is
//! [`Currency::VersionNotApproved`]: it counts for nothing until the version is approved.

use serde::Serialize;

use crate::content::document::HistoryEntry;
use crate::content::types::{Date, Spanned, Status};
use crate::content::Document;
use crate::integrity::ledger::Ledger;

/// The standing of a document on the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Currency {
    /// Being written (also a document with no `status`).
    Draft,
    /// Out for review, not yet approved.
    #[serde(rename = "review")]
    InReview,
    /// Status approved, but the approval does not cover the current version: it predates the
    /// version's history entry, or the ledger has no entry for the version.
    #[serde(rename = "not-approved")]
    VersionNotApproved,
    /// Approved, in force, review not due within the warning window.
    Current,
    /// Approved and in force; the next review falls within `warn_within_days`.
    DueSoon,
    /// Approved, but the next review date has passed.
    Overdue,
    /// Approved, but its effective date lies after the build date.
    NotYetEffective,
    /// Replaced by a successor (with or without the successor in the tree).
    Superseded,
    /// Withdrawn without successor.
    Withdrawn,
}

/// The review window the currency is judged with (`[review] warn_within_days`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// The build date.
    pub today: Date,
    /// Reviews due within this many days are "due soon".
    pub warn_within_days: u32,
}

impl Currency {
    /// Every state, in lifecycle order.
    #[cfg(test)]
    pub(crate) const ALL: [Currency; 9] = [
        Currency::Draft,
        Currency::InReview,
        Currency::VersionNotApproved,
        Currency::Current,
        Currency::DueSoon,
        Currency::Overdue,
        Currency::NotYetEffective,
        Currency::Superseded,
        Currency::Withdrawn,
    ];

    /// The currency of `doc` in `window`, judged against the tree's ledger when it has one.
    pub(crate) fn of(doc: &Document, window: Window, ledger: Option<&Ledger>) -> Currency {
        if doc.status() == Status::Approved && !version_approved(doc, ledger) {
            return Currency::VersionNotApproved;
        }
        // Records are retained, not reviewed: a stray `next_review` does not make one overdue.
        let next = doc.next_review.as_ref().filter(|_| !doc.is_record()).map(|n| n.value);
        Currency::from_dates(doc.status(), doc.effective_date(), next, window)
    }

    /// The currency of a document with these fields. Precedence among the approved states:
    /// overdue, then due soon, then not yet effective, so that a review action is never hidden
    /// behind a pending effective date (and the review findings stay as they were).
    pub(crate) fn from_dates(
        status: Status,
        effective: Option<Date>,
        next_review: Option<Date>,
        w: Window,
    ) -> Currency {
        match status {
            Status::Draft => return Currency::Draft,
            Status::Review => return Currency::InReview,
            Status::Superseded => return Currency::Superseded,
            Status::Withdrawn => return Currency::Withdrawn,
            Status::Approved => {}
        }
        let window = i32::try_from(w.warn_within_days).unwrap_or(i32::MAX);
        match next_review {
            Some(next) if next < w.today => Currency::Overdue,
            Some(next) if (next - w.today).get_days() <= window => Currency::DueSoon,
            _ if effective.is_some_and(|e| e > w.today) => Currency::NotYetEffective,
            _ => Currency::Current,
        }
    }

    /// The kebab-case name (as serialised).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Currency::Draft => "draft",
            Currency::InReview => "review",
            Currency::VersionNotApproved => "not-approved",
            Currency::Current => "current",
            Currency::DueSoon => "due-soon",
            Currency::Overdue => "overdue",
            Currency::NotYetEffective => "not-yet-effective",
            Currency::Superseded => "superseded",
            Currency::Withdrawn => "withdrawn",
        }
    }

    /// The word of the register's `state` column and the portal's state badges: an approved
    /// document in force reads `current` whether or not its review is due soon; one approved but
    /// not yet effective reads `not-yet-effective` (it is not in force: issue 11).
    pub(crate) fn state_word(self) -> &'static str {
        match self {
            Currency::DueSoon => "current",
            other => other.as_str(),
        }
    }

    /// Status `approved`, whatever its review dates (even when the approval does not cover the
    /// current version: the review rules still apply to it).
    pub(crate) fn is_approved(self) -> bool {
        matches!(
            self,
            Currency::VersionNotApproved
                | Currency::Current
                | Currency::DueSoon
                | Currency::Overdue
                | Currency::NotYetEffective
        )
    }

    /// The approval covers the current version, which is in force and not overdue for review:
    /// what meets a checklist item and backs an SoA control. A document approved but not yet
    /// effective does not count until its effective date; a version not approved never does.
    pub(crate) fn is_current(self) -> bool {
        matches!(self, Currency::Current | Currency::DueSoon)
    }

    /// Approved and in force on the build date (not overdue, already effective).
    pub(crate) fn is_in_force(self) -> bool {
        matches!(self, Currency::Current | Currency::DueSoon)
    }

    /// The approval does not cover the current version.
    pub(crate) fn is_version_not_approved(self) -> bool {
        self == Currency::VersionNotApproved
    }

    /// The words shown for this state on `doc`: the state word, except "version N not
    /// approved" and "approved, effective from DATE".
    pub(crate) fn label(self, doc: &Document) -> String {
        match self {
            Currency::VersionNotApproved => format!("version {} not approved", doc.version_text()),
            Currency::NotYetEffective => match doc.effective_date() {
                Some(date) => format!("approved, effective from {date}"),
                None => "approved, not yet effective".to_string(),
            },
            other => other.state_word().to_string(),
        }
    }

    /// Superseded or withdrawn: kept for reference, counts for nothing.
    pub(crate) fn is_retired(self) -> bool {
        matches!(self, Currency::Superseded | Currency::Withdrawn)
    }

    /// The review date has passed.
    pub(crate) fn is_overdue(self) -> bool {
        self == Currency::Overdue
    }

    /// The review falls within the warning window.
    pub(crate) fn is_due_soon(self) -> bool {
        self == Currency::DueSoon
    }
}

/// The history entry of the document's current version (the entry whose version is written
/// exactly as `version` is).
pub(crate) fn current_history(doc: &Document) -> Option<&HistoryEntry> {
    let version = doc.version.as_ref()?;
    doc.history.iter().find(|h| h.version.as_ref().is_some_and(|v| v.value.as_str() == version.value.as_str()))
}

/// An approval dated before the version it claims to approve was written.
#[derive(Debug, Clone)]
pub(crate) struct Predates {
    /// The approval date, where it is written.
    pub approval: Spanned<Date>,
    /// The date of the current version's history entry.
    pub written: Date,
}

/// The approval of `doc` when it is dated before the history entry of its current version.
pub(crate) fn approval_predates_version(doc: &Document) -> Option<Predates> {
    let approval = doc.approval.as_ref()?.date.clone()?;
    let written = current_history(doc)?.date.as_ref()?.value;
    (approval.value < written).then_some(Predates { approval, written })
}

/// Whether the approval of `doc` covers its current version: not dated before the version was
/// written and, when the tree has a ledger, recorded in it.
pub(crate) fn version_approved(doc: &Document, ledger: Option<&Ledger>) -> bool {
    let recorded = match (ledger, &doc.version) {
        (Some(l), Some(v)) => l.has(doc.id.value.as_str(), v.value.as_str()),
        _ => true,
    };
    recorded && approval_predates_version(doc).is_none()
}

#[cfg(test)]
mod tests {
    use super::{Currency, Window};
    use crate::content::types::{parse_date, Date, Status};

    fn date(s: &str) -> Option<Date> {
        parse_date(s)
    }

    #[track_caller]
    fn case(status: Status, effective: &str, next: &str, expected: Currency) {
        let w = Window { today: parse_date("2026-06-15").expect("a date"), warn_within_days: 30 };
        assert_eq!(Currency::from_dates(status, date(effective), date(next), w), expected);
    }

    #[test]
    fn currency_edge_cases() {
        use Currency::*;
        case(Status::Draft, "", "2020-01-01", Draft);
        case(Status::Review, "", "", InReview);
        case(Status::Approved, "2026-01-01", "2027-01-01", Current);
        case(Status::Approved, "2026-01-01", "", Current); // no next review: RV001 reports it
        case(Status::Approved, "2026-01-01", "2026-06-15", DueSoon); // due exactly today
        case(Status::Approved, "2026-01-01", "2026-06-14", Overdue); // due yesterday
        case(Status::Approved, "2026-01-01", "2026-07-15", DueSoon); // last day of the window
        case(Status::Approved, "2026-01-01", "2026-07-16", Current); // first day after it
        case(Status::Approved, "2026-06-16", "2027-06-16", NotYetEffective); // effective tomorrow
        case(Status::Approved, "2026-06-15", "2027-06-16", Current); // effective today
        case(Status::Approved, "2026-06-16", "2026-06-20", DueSoon); // review first
        case(Status::Approved, "2026-07-01", "2026-06-01", Overdue);
        case(Status::Superseded, "2025-01-01", "2026-01-01", Superseded); // overdue does not matter
        case(Status::Superseded, "", "", Superseded); // no successor named or found
        case(Status::Withdrawn, "2025-01-01", "", Withdrawn);
    }

    #[test]
    fn a_no_change_review_that_moves_next_review_makes_it_current_again() {
        case(Status::Approved, "2025-01-01", "2026-01-01", Currency::Overdue);
        case(Status::Approved, "2025-01-01", "2027-01-01", Currency::Current);
    }

    #[test]
    fn a_huge_window_does_not_wrap() {
        let w = Window { today: parse_date("2026-06-15").expect("a date"), warn_within_days: u32::MAX };
        assert_eq!(Currency::from_dates(Status::Approved, None, date("2099-01-01"), w), Currency::DueSoon);
    }

    #[test]
    fn words_and_predicates() {
        for c in Currency::ALL {
            assert_eq!(serde_json::to_value(c).expect("serialises"), c.as_str());
            assert_eq!(
                c.is_current(),
                c.is_approved() && !c.is_overdue() && !c.is_version_not_approved() && c != Currency::NotYetEffective
            );
        }
        assert_eq!(Currency::DueSoon.state_word(), "current");
        assert_eq!(Currency::NotYetEffective.state_word(), "not-yet-effective");
        assert_eq!(Currency::InReview.state_word(), "review");
        assert!(!Currency::NotYetEffective.is_in_force());
        assert!(!Currency::VersionNotApproved.is_in_force());
    }
}
