//! The assessment stage: every whole-tree analysis, computed once per build after linking and
//! before validation. Validation, the renderers and `serve`'s fingerprints read the one
//! [`Assessment`]; none of them recomputes currency, disposition, supersession, the SoA or the
//! checklist.

pub(crate) mod approvers;
pub(crate) mod checklist;
pub(crate) mod currency;
pub(crate) mod due;
pub(crate) mod in_force;
pub(crate) mod in_force_files;
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
use crate::provenance::Provenance;

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
    /// Per document, the earlier version (from git) in force while this one is a draft or in
    /// review; the checklist and the SoA count it instead.
    pub in_force: Vec<Option<Box<in_force::InForce>>>,
}

/// Assesses a linked tree on `today`, with no history from git.
#[cfg(test)]
pub(crate) fn assess(tree: &Tree, graph: &Graph, config: &Config, today: Date) -> Assessment {
    assess_with(tree, graph, config, today, &Provenance::default())
}

/// Assesses a linked tree on `today`; `provenance` says which earlier version is in force while
/// a document is in draft or review.
pub(crate) fn assess_with(
    tree: &Tree,
    graph: &Graph,
    config: &Config,
    today: Date,
    provenance: &Provenance,
) -> Assessment {
    let docs = &tree.documents;
    let window = currency::Window { today, warn_within_days: config.review.warn_within_days };
    let ledger = crate::integrity::ledger::Loaded::load(&tree.root.join(crate::integrity::LEDGER));
    let currency: Vec<Currency> = docs.par_iter().map(|d| Currency::of(d, window, ledger.ledger())).collect();
    let disposition = (0..docs.len()).into_par_iter().map(|i| retention::of(i, docs)).collect();
    let inputs = in_force::Inputs { provenance, config, window, ledger: ledger.ledger(), graph };
    let in_force = in_force::build(docs, &inputs);
    let (counted, counted_currency) = in_force::counted(docs, &currency, &in_force);
    Assessment {
        today,
        disposition,
        lineage: Lineage::build(docs, graph),
        soa: Soa::build(&counted, config, &counted_currency),
        checklist_active: soa::checklist_active(&counted, config),
        checklist: checklist::build(&counted, config, &counted_currency, today),
        currency,
        ledger,
        in_force,
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
