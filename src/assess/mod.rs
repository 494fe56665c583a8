//! The assessment stage: every whole-tree analysis, computed once per build after linking and
//! before validation. Validation, the renderers and `serve`'s fingerprints read the one
//! [`Assessment`]; none of them recomputes currency, disposition, supersession, the SoA or the
//! checklist.

pub(crate) mod approvers;
pub(crate) mod checklist;
pub(crate) mod currency;
pub(crate) mod due;
pub(crate) mod lineage;
pub(crate) mod retention;
pub(crate) mod satisfy;
pub(crate) mod soa;

use rayon::prelude::*;

pub(crate) use checklist::{Item, ItemState};
pub(crate) use currency::Currency;
pub(crate) use lineage::Lineage;
pub(crate) use retention::Disposition;
pub(crate) use satisfy::Shortfall;
pub(crate) use soa::Soa;

use crate::config::Config;
use crate::content::types::Date;
use crate::content::Tree;
use crate::graph::Graph;

/// What the tree amounts to on the build date.
#[derive(Debug, Clone)]
pub(crate) struct Assessment {
    /// The date everything is judged against.
    pub today: Date,
    /// The approvals ledger (`approvals.lock`), read once.
    pub ledger: crate::integrity::ledger::Loaded,
    /// Per document (parallel to `tree.documents`), its currency.
    pub currency: Vec<Currency>,
    /// Per document, when it may be disposed of.
    pub disposition: Vec<Disposition>,
    /// Who supersedes whom.
    pub lineage: Lineage,
    /// The Statement of Applicability rows.
    pub soa: Soa,
    /// Whether the checklist findings apply (configured, else when the tree has an SoA).
    pub checklist_active: bool,
    /// The mandatory documented-information checklist, in catalog order.
    pub checklist: Vec<Item>,
}

/// Assesses a linked tree on `today`.
pub(crate) fn assess(tree: &Tree, graph: &Graph, config: &Config, today: Date) -> Assessment {
    let docs = &tree.documents;
    let window = currency::Window { today, warn_within_days: config.review.warn_within_days };
    let ledger = crate::integrity::ledger::Loaded::load(&tree.root.join(crate::integrity::LEDGER));
    let currency: Vec<Currency> = docs.par_iter().map(|d| Currency::of(d, window, ledger.ledger())).collect();
    let disposition = (0..docs.len()).into_par_iter().map(|i| retention::of(i, docs)).collect();
    Assessment {
        today,
        disposition,
        lineage: Lineage::build(docs, graph),
        soa: Soa::build(docs, config, &currency),
        checklist_active: soa::checklist_active(docs, config),
        checklist: checklist::build(docs, config, &currency, today),
        currency,
        ledger,
    }
}

impl Assessment {
    /// The disposition date of document `i` has passed.
    pub(crate) fn past_disposition(&self, i: usize) -> bool {
        self.disposition[i].is_past(self.today)
    }

    /// The checklist items of clause `id`.
    pub(crate) fn items_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.checklist.iter().filter(move |i| i.clause.id == id)
    }
}

#[cfg(test)]
mod tests;
