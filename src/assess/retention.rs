//! Disposition (7.5.3): when each document's retention lets it go. Computed once; the
//! retention rule reports dates that have passed and the evidence index shows them.

use crate::content::types::{Date, Retention, Status};
use crate::content::Document;

/// When a document may be disposed of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Disposition {
    /// No retention, or one whose dates are not known yet (no record date; superseded or
    /// withdrawn with no `obsolete.date`).
    Unknown,
    /// Kept permanently.
    Permanent,
    /// Kept while it is current: the period starts when it is superseded.
    WhileCurrent,
    /// May be disposed of from this date.
    On(Date),
}

impl Disposition {
    /// The disposition date, if there is one.
    pub(crate) fn date(self) -> Option<Date> {
        match self {
            Disposition::On(date) => Some(date),
            _ => None,
        }
    }

    /// The disposition date lies before `today`.
    pub(crate) fn is_past(self, today: Date) -> bool {
        self.date().is_some_and(|d| d < today)
    }
}

/// The disposition of document `i`: its retention counted from its record date, or, for
/// `until-superseded`, from the day it went out of force (`obsolete.date`, superseded or
/// withdrawn). That date is recorded on the document itself, so a new version of its successor
/// never moves the disposal date.
pub(crate) fn of(i: usize, docs: &[Document]) -> Disposition {
    let d = &docs[i];
    let Some(retention) = &d.retention else { return Disposition::Unknown };
    let date = match retention.value {
        Retention::Permanent => return Disposition::Permanent,
        Retention::For(p) => d.record_date().map(|start| p.after(start)),
        Retention::UntilSuperseded(_) if !matches!(d.status(), Status::Superseded | Status::Withdrawn) => {
            return Disposition::WhileCurrent
        }
        Retention::UntilSuperseded(p) => d.obsolete_date().map(|start: Date| p.after(start)),
    };
    date.map_or(Disposition::Unknown, Disposition::On)
}
