//! The mandatory documented-information checklist (7.5.1 a): one item per `di_items` entry of
//! every clause the catalog marks `required` (16 clauses, 21 items), met by an approved,
//! current document addressing the clause. The Statement of Applicability item of 6.1.3 is
//! met by the SoA document, and only by it; the SoA meets no other item. The coverage rules,
//! the checklist page, the dashboard and the clause pages all read these items.

use serde::Serialize;

use super::currency::Currency;
use super::soa::is_soa;
use crate::catalog::{self, DocInfo, Entry, Kind};
use crate::config::Config;
use crate::content::Document;
use crate::graph::Graph;

/// How far a required item is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemState {
    /// At least one approved, current document.
    Met,
    /// Only drafts, documents in review, or approved documents overdue for review.
    Partial,
    /// Nothing (superseded and withdrawn documents do not count).
    Missing,
}

impl ItemState {
    /// What the portal shows.
    pub fn label(self) -> &'static str {
        match self {
            ItemState::Met => "met",
            ItemState::Partial => "only draft or overdue",
            ItemState::Missing => "missing",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone)]
pub struct Item {
    /// The clause that requires it.
    pub clause: &'static Entry,
    /// What has to be documented (the catalog's `di_items` entry).
    pub text: &'static str,
    /// The Statement of Applicability item, met by the SoA document.
    pub soa: bool,
    /// Its state.
    pub state: ItemState,
    /// Approved, current documents that satisfy it, in path order.
    pub current: Vec<usize>,
    /// Drafts, documents in review and overdue documents addressing it.
    pub pending: Vec<usize>,
}

/// The checklist of a tree, in catalog order.
pub fn build(docs: &[Document], graph: &Graph, config: &Config, currency: &[Currency]) -> Vec<Item> {
    let mut out = Vec::new();
    for clause in catalog::iso42001().of_kind(Kind::Clause).filter(|e| e.documented_information == DocInfo::Required) {
        let addressing = graph.clause_docs.get(&clause.id).map_or(&[][..], Vec::as_slice);
        for text in &clause.di_items {
            let soa = clause.id == "6.1.3" && text.starts_with("Statement of Applicability");
            let candidates: Vec<usize> = if soa {
                (0..docs.len()).filter(|&i| is_soa(&docs[i], config)).collect()
            } else {
                // The SoA states controls; it is not, say, the risk treatment plan of 6.1.3.
                addressing.iter().copied().filter(|&i| !is_soa(&docs[i], config)).collect()
            };
            let (current, rest): (Vec<usize>, Vec<usize>) =
                candidates.into_iter().partition(|&i| currency[i].is_current());
            let pending: Vec<usize> = rest.into_iter().filter(|&i| currency[i].is_pending()).collect();
            let state = match (current.is_empty(), pending.is_empty()) {
                (false, _) => ItemState::Met,
                (true, false) => ItemState::Partial,
                (true, true) => ItemState::Missing,
            };
            out.push(Item { clause, text, soa, state, current, pending });
        }
    }
    out
}
