//! The mandatory documented-information checklist (7.5.1 a): one item per `di_items` entry of
//! every clause the catalog marks `required` (16 clauses, 21 items), met by an approved,
//! current document addressing the clause. The Statement of Applicability item of 6.1.3 is
//! met by the SoA document, and only by it; the SoA meets no other item. The analysis also
//! feeds the dashboard and checklist page.

use serde::Serialize;

use super::soa::{checklist_active, is_current, is_soa};
use super::Ctx;
use crate::catalog::{self, DocInfo, Entry, Kind};
use crate::config::{Config, FILE_NAME};
use crate::content::types::{Date, Status};
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};
use crate::graph::Graph;
use crate::yaml::Pos;

/// How far a required item is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
pub fn checklist(docs: &[Document], graph: &Graph, config: &Config, today: Date) -> Vec<Item> {
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
            let current: Vec<usize> = candidates.iter().copied().filter(|&i| is_current(&docs[i], today)).collect();
            let pending: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&i| !is_current(&docs[i], today))
                .filter(|&i| matches!(docs[i].status(), Status::Draft | Status::Review | Status::Approved))
                .collect();
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

/// Reports every item not met, at the configuration file (the gap is in the tree, not in a
/// document). The SoA item is left to the SoA rules when no SoA exists at all.
pub fn check_tree(cx: &Ctx) -> Vec<Diagnostic> {
    if !checklist_active(cx.docs, cx.config) {
        return Vec::new();
    }
    let at = Pos { line: 1, column: 1 };
    let mut out = Vec::new();
    for item in checklist(cx.docs, cx.graph, cx.config, cx.today) {
        let id = &item.clause.id;
        match item.state {
            ItemState::Met => {}
            ItemState::Missing if item.soa => {}
            ItemState::Missing => out.push(
                Diagnostic::new(
                    rules::CV_MISSING,
                    FILE_NAME,
                    at,
                    format!("clause {id} ({}) requires documented information that no approved, current document provides: {}", item.clause.title, item.text),
                )
                .hint(format!("approve a document with `clauses: [\"{id}\"]`, or add \"{id}\" to the `clauses` of the approved document that provides it")),
            ),
            ItemState::Partial => {
                let ids: Vec<String> = item.pending.iter().map(|&i| pending_label(&cx.docs[i], cx.today)).collect();
                out.push(
                    Diagnostic::new(
                        rules::CV_NOT_CURRENT,
                        FILE_NAME,
                        at,
                        format!("clause {id} ({}): \"{}\" is only in {}", item.clause.title, item.text, ids.join(", ")),
                    )
                    .hint("approve the draft, or complete the overdue review and move `next_review` on"),
                );
            }
        }
    }
    out
}

fn pending_label(d: &Document, today: Date) -> String {
    let state = match d.status() {
        Status::Approved if !is_current(d, today) => "overdue",
        other => other.as_str(),
    };
    format!("{} ({state})", d.id.value)
}
