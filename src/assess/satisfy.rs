//! Item-level satisfaction: whether one document meets one checklist item, and when it does not,
//! why. A `document` item needs an approved, in-force, internal controlled document; a `record`
//! item an approved, dated record or report; the `soa` item the Statement of Applicability in
//! force. External documents never meet an item, and nothing approved meets anything before it
//! takes effect. Decided here once; the checklist, its findings and its pages read the verdicts.

use serde::Serialize;

use super::currency::Currency;
use crate::catalog::{self, DiItem, Entry, ItemKind};
use crate::content::types::Date;
use crate::content::Document;

/// Why a document that addresses an item does not meet it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Shortfall {
    /// Still a draft.
    Draft,
    /// Out for review, not approved.
    InReview,
    /// Approved, but the approval does not cover the current version (dated before it, or not
    /// in the ledger).
    VersionNotApproved,
    /// A controlled document whose review date has passed (not maintained as the AIMS requires).
    Overdue,
    /// Approved, but its effective date has not come.
    NotYetEffective,
    /// A record without `record_date`: evidence of an event that has no date.
    Undated,
    /// A record whose `record_date` lies after the build date.
    DatedInFuture,
    /// Approved, but its body is still the template's guidance (or only headings, with no
    /// attachments): it says nothing yet (see `content::guidance`).
    Unwritten,
    /// Of external origin: another organisation's document evidences nothing of ours.
    External,
    /// A record item addressed by a controlled document (a plan is not its results).
    NotARecord,
    /// A document item addressed by a record or report (minutes are not a procedure).
    NotAControlledDocument,
}

impl Shortfall {
    /// The document could meet the item once approved, reviewed, effective or dated: the item
    /// then reads "only draft or not current" rather than "not evidenced".
    pub(crate) fn is_pending(self) -> bool {
        !matches!(self, Shortfall::External | Shortfall::NotARecord | Shortfall::NotAControlledDocument)
    }

    /// What the portal and the findings say.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Shortfall::Draft => "draft",
            Shortfall::InReview => "in review",
            Shortfall::Overdue => "review overdue",
            Shortfall::VersionNotApproved => "version not approved",
            Shortfall::NotYetEffective => "not yet effective",
            Shortfall::Undated => "no record_date",
            Shortfall::DatedInFuture => "record_date in the future",
            Shortfall::Unwritten => "body not written",
            Shortfall::External => "external document",
            Shortfall::NotARecord => "not a record or report",
            Shortfall::NotAControlledDocument => "a record, not a controlled document",
        }
    }
}

/// Whether `doc` comes from outside the organisation ([`Document::is_external`]).
pub(crate) fn is_external(doc: &Document) -> bool {
    doc.is_external()
}

/// The date of the event a record records (`record_date`), if written.
pub(crate) fn record_date(doc: &Document) -> Option<Date> {
    doc.record_date.as_ref().map(|d| d.value)
}

/// What a document names to offer itself for one item of a clause: the clause or one enclosing
/// it, and the item's key. Worked out once per item: walking the catalog up from every clause
/// of every document, for each of 21 items, was a thirteenth of `check`'s CPU at 100,000.
pub(crate) struct Target<'a> {
    /// The clause and the clauses enclosing it, innermost first.
    enclosing: Vec<&'a str>,
    /// The item's key.
    key: &'a str,
}

impl<'a> Target<'a> {
    /// The target of `item` of `clause`.
    pub(crate) fn of(clause: &'a Entry, item: &'a DiItem) -> Target<'a> {
        let iso = catalog::iso42001();
        let mut enclosing = vec![clause.id.as_str()];
        while let Some(parent) = enclosing.last().and_then(|id| iso.get(id)).and_then(|e| e.parent.as_deref()) {
            if enclosing.contains(&parent) {
                break;
            }
            enclosing.push(parent);
        }
        Target { enclosing, key: &item.key }
    }

    /// Whether `doc` offers itself for the item: through `satisfies` when it has one (then only
    /// the items listed), else by addressing the clause or a clause enclosing it.
    pub(crate) fn offered_by(&self, doc: &Document) -> bool {
        let addresses = doc.clauses.iter().any(|c| self.enclosing.contains(&c.value.as_str()));
        // A pin chooses among the items of a clause the document addresses; it never reaches a
        // clause the document does not list (LK012 says so), so a tag alone still meets nothing.
        addresses && (doc.satisfies.is_empty() || doc.satisfies.iter().any(|k| k.value == self.key))
    }
}

/// Whether `doc` (of `currency`, SoA or not) meets an item of `kind` on `today`, or why not.
pub(crate) fn judge(doc: &Document, currency: Currency, kind: ItemKind, today: Date) -> Result<(), Shortfall> {
    if is_external(doc) {
        return Err(Shortfall::External);
    }
    match kind {
        ItemKind::Document if doc.is_record() => Err(Shortfall::NotAControlledDocument),
        ItemKind::Soa => lifecycle(currency),
        ItemKind::Document => lifecycle(currency).and_then(|()| written(doc)),
        ItemKind::Record if !doc.is_record() => Err(Shortfall::NotARecord),
        ItemKind::Record => record(doc, currency, today).and_then(|()| written(doc)),
    }
}

/// A document or record meets an item only once its body says something: an approved template
/// is not the policy or the minutes an item asks for.
fn written(doc: &Document) -> Result<(), Shortfall> {
    match doc.unwritten {
        Some(_) => Err(Shortfall::Unwritten),
        None => Ok(()),
    }
}

/// A controlled document meets an item while approved and in force: not overdue for review
/// and already effective.
fn lifecycle(currency: Currency) -> Result<(), Shortfall> {
    match currency {
        Currency::Current | Currency::DueSoon => Ok(()),
        Currency::Draft => Err(Shortfall::Draft),
        Currency::InReview => Err(Shortfall::InReview),
        Currency::Overdue => Err(Shortfall::Overdue),
        Currency::VersionNotApproved => Err(Shortfall::VersionNotApproved),
        // Retired documents are never candidates; counted as not effective if one slips in.
        Currency::NotYetEffective | Currency::Superseded | Currency::Withdrawn => Err(Shortfall::NotYetEffective),
    }
}

/// A record meets an item once approved, effective and dated; records are retained, not
/// reviewed, so a passed `next_review` on one does not matter.
fn record(doc: &Document, currency: Currency, today: Date) -> Result<(), Shortfall> {
    match currency {
        Currency::Draft => return Err(Shortfall::Draft),
        Currency::InReview => return Err(Shortfall::InReview),
        Currency::VersionNotApproved => return Err(Shortfall::VersionNotApproved),
        _ if doc.effective_date().is_some_and(|e| e > today) => return Err(Shortfall::NotYetEffective),
        _ => {}
    }
    match record_date(doc) {
        None => Err(Shortfall::Undated),
        Some(d) if d > today => Err(Shortfall::DatedInFuture),
        Some(_) => Ok(()),
    }
}
