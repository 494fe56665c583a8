//! The Stage 1 documentation checklist (7.5.1 a): one item per `di_items` entry of every clause
//! the catalog marks `required` (16 clauses, 21 items), each judged by the evidence its kind
//! needs ([`super::satisfy`]): met, stale (a recurring record older than its period), only
//! draft or not current, or not evidenced. The coverage rules, the checklist page and export,
//! the dashboard and the clause pages all read these items.

use rayon::prelude::*;
use serde::Serialize;

use super::currency::Currency;
use super::satisfy::{self, Shortfall};
use super::soa::is_soa;
use crate::catalog::{self, DiItem, Entry, ItemKind};
use crate::config::Config;
use crate::content::types::{Date, Period};
use crate::content::Document;

/// Where a required item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ItemState {
    /// Met by evidence of the kind it needs.
    Met,
    /// A recurring record item whose newest record is older than its period.
    Stale,
    /// Addressed only by drafts, documents in review or documents not current (overdue, not yet
    /// effective, records without a date).
    Pending,
    /// No document meets it or could.
    NotEvidenced,
}

impl ItemState {
    /// Every state, best first.
    pub(crate) const ALL: [ItemState; 4] =
        [ItemState::Met, ItemState::Stale, ItemState::Pending, ItemState::NotEvidenced];

    /// What the portal shows.
    pub(crate) fn label(self) -> &'static str {
        match self {
            ItemState::Met => "met",
            ItemState::Stale => "stale",
            ItemState::Pending => "only draft or not current",
            ItemState::NotEvidenced => "not evidenced",
        }
    }

    /// The kebab-case word (as serialised; CSS classes and `checklist.csv`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ItemState::Met => "met",
            ItemState::Stale => "stale",
            ItemState::Pending => "pending",
            ItemState::NotEvidenced => "not-evidenced",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// The clause that requires it.
    pub clause: &'static Entry,
    /// The catalog item: key, text, kind, note.
    pub spec: &'static DiItem,
    /// How often a new record is expected (the configuration's override, else the catalog's).
    pub expected_every: Option<Period>,
    /// Its state.
    pub state: ItemState,
    /// Documents meeting it, newest evidence first (records by `record_date`, documents by
    /// effective date), then in path order.
    pub meeting: Vec<usize>,
    /// Documents offered for it that do not meet it, and why: those that could (drafts, ...)
    /// first, then in path order.
    pub short: Vec<(usize, Shortfall)>,
    /// The date of the newest evidence meeting it.
    pub newest: Option<Date>,
}

impl Item {
    /// The catalog key (`9.3.3/results`).
    pub(crate) fn key(&self) -> &'static str {
        &self.spec.key
    }

    /// The kind of evidence it needs.
    pub(crate) fn kind(&self) -> ItemKind {
        self.spec.kind
    }

    /// The documents offered that could meet it once approved, in force or dated.
    pub(crate) fn pending(&self) -> impl Iterator<Item = (usize, Shortfall)> + '_ {
        self.short.iter().copied().filter(|(_, s)| s.is_pending())
    }
}

/// The date a document meeting an item of `kind` evidences: a record's `record_date`, else the
/// date the document took effect.
pub(crate) fn evidence_date(doc: &Document, kind: ItemKind) -> Option<Date> {
    match kind {
        ItemKind::Record => satisfy::record_date(doc),
        ItemKind::Document | ItemKind::Soa => doc.effective_date(),
    }
}

/// The checklist of a tree on `today`, in catalog order.
/// The items are judged in parallel (each scans every document: at 100,000 documents this was
/// the largest serial step of `check`); `collect` keeps catalog order.
pub(crate) fn build(docs: &[Document], config: &Config, currency: &[Currency], today: Date) -> Vec<Item> {
    let required: Vec<_> = catalog::iso42001()
        .items()
        .filter(|(clause, _)| clause.documented_information == catalog::DocInfo::Required)
        .collect();
    required
        .into_par_iter()
        .map(|(clause, spec)| {
            let offered = candidates(docs, config, currency, clause, spec);
            let (meeting, short) = judge_all(docs, currency, today, spec.kind, offered);
            let newest = meeting.first().and_then(|&i| evidence_date(&docs[i], spec.kind));
            let expected_every = config.checklist.expected_every.get(&spec.key).copied().or(spec.expected_every);
            let state = state(&meeting, &short, newest, expected_every, today);
            Item { clause, spec, expected_every, state, meeting, short, newest }
        })
        .collect()
}

/// The documents offered for an item: every SoA still in force for the SoA item; for the others
/// the documents targeting it ([`satisfy::Target`]), SoAs excepted (an SoA states controls; it
/// is not, say, the risk treatment plan). Retired documents count for nothing.
fn candidates(docs: &[Document], config: &Config, currency: &[Currency], clause: &Entry, spec: &DiItem) -> Vec<usize> {
    let soa_item = spec.kind == ItemKind::Soa;
    let target = satisfy::Target::of(clause, spec);
    (0..docs.len())
        .filter(|&i| !currency[i].is_retired())
        .filter(|&i| {
            let soa = is_soa(&docs[i], config);
            if soa_item {
                soa
            } else {
                !soa && target.offered_by(&docs[i])
            }
        })
        .collect()
}

/// Splits the documents offered for an item of `kind` into those meeting it (newest evidence
/// first, equal dates in path order) and those that do not, with why (those that could first).
fn judge_all(
    docs: &[Document],
    currency: &[Currency],
    today: Date,
    kind: ItemKind,
    offered: Vec<usize>,
) -> (Vec<usize>, Vec<(usize, Shortfall)>) {
    let mut meeting = Vec::new();
    let mut short = Vec::new();
    for i in offered {
        match satisfy::judge(&docs[i], currency[i], kind, today) {
            Ok(()) => meeting.push(i),
            Err(why) => short.push((i, why)),
        }
    }
    // Stable sorts: equal keys keep path order.
    meeting.sort_by_key(|&i| std::cmp::Reverse(evidence_date(&docs[i], kind)));
    short.sort_by_key(|(_, why)| !why.is_pending());
    (meeting, short)
}

fn state(
    meeting: &[usize],
    short: &[(usize, Shortfall)],
    newest: Option<Date>,
    expected_every: Option<Period>,
    today: Date,
) -> ItemState {
    if meeting.is_empty() {
        return if short.iter().any(|(_, s)| s.is_pending()) { ItemState::Pending } else { ItemState::NotEvidenced };
    }
    match (newest, expected_every) {
        (Some(newest), Some(every)) if every.after(newest) < today => ItemState::Stale,
        _ => ItemState::Met,
    }
}

/// Whole months from `from` to `to` (the age the portal and CV003 give a record).
pub(crate) fn months_between(from: Date, to: Date) -> i64 {
    let months = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months - 1
    } else {
        months
    }
}
