//! The Statement of Applicability (6.1.3) as the tree states it: the SoA in force, and for
//! every Annex A control its entry there, the documents listing it in `controls`, and whether
//! an applicable control lacks an approved document in force (not overdue, already effective). The SoA rules, the SoA page and
//! export, the dashboard and the control pages all read these rows.

use std::collections::HashMap;

use super::currency::Currency;
use crate::catalog::{self, Entry, Kind};
use crate::config::Config;
use crate::content::document::{Implementation, SoaEntry};
use crate::content::Document;

/// One Annex A control as the SoA and the documents see it.
#[derive(Debug, Clone)]
pub(crate) struct ControlRow {
    /// The control.
    pub control: &'static Entry,
    /// Its entry in the SoA in force, if stated (the last one, if stated twice: an error).
    pub entry: Option<SoaEntry>,
    /// Documents (other than SoAs) listing the control in `controls`, in path order.
    pub implementers: Vec<usize>,
    /// Applicable, but no approved document in force (not overdue, already effective)
    /// implements it.
    pub flagged: bool,
}

impl ControlRow {
    /// Whether the SoA states the control applicable (`Some(true)`), excluded, or nothing.
    pub(crate) fn applicable(&self) -> Option<bool> {
        self.entry.as_ref().and_then(|e| e.applicable)
    }

    /// The implementation status stated for the control.
    pub(crate) fn status(&self) -> Option<Implementation> {
        self.entry.as_ref().and_then(|e| e.status)
    }

    /// `yes`, `no` or `not stated`, as the portal and `soa.csv` show applicability.
    pub(crate) fn applicable_word(&self) -> &'static str {
        match self.applicable() {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not stated",
        }
    }

    /// The justification as written (empty when not stated).
    pub(crate) fn justification(&self) -> &str {
        self.entry.as_ref().map_or("", |e| e.justification.as_str())
    }
}

/// The Statement of Applicability of a tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Soa {
    /// SoA documents still in force (not superseded or withdrawn), in path order; more than
    /// one is an error.
    pub in_force: Vec<usize>,
    /// The SoA document in force (the first of `in_force`).
    pub document: Option<usize>,
    /// All 38 controls in catalog order.
    pub rows: Vec<ControlRow>,
    /// Entries of the SoA in force for controls from other sources (an id outside the catalog
    /// with `source:`, as 6.1.3 allows), in the order written, each id once.
    pub others: Vec<SoaEntry>,
}

impl Soa {
    /// Builds the SoA view of the tree from each document's currency.
    pub(crate) fn build(docs: &[Document], config: &Config, currency: &[Currency]) -> Soa {
        let in_force: Vec<usize> =
            (0..docs.len()).filter(|&i| is_soa(&docs[i], config) && !currency[i].is_retired()).collect();
        let document = in_force.first().copied();
        let mut implementers = implementers(docs, config);
        let entries: HashMap<&str, &SoaEntry> = document
            .map(|i| {
                docs[i]
                    .applicability
                    .iter()
                    .rev()
                    .filter_map(|e| Some((e.control.as_ref()?.value.as_str(), e)))
                    .collect()
            })
            .unwrap_or_default();
        let rows = catalog::iso42001()
            .of_kind(Kind::AnnexControl)
            .map(|control| {
                let entry = entries.get(control.id.as_str()).map(|e| (*e).clone());
                let implementers = implementers.remove(control.id.as_str()).unwrap_or_default();
                let applicable = entry.as_ref().is_some_and(|e| e.applicable == Some(true));
                // Approved, not overdue and already effective: a document taking effect next
                // month implements nothing today.
                let flagged = applicable && !implementers.iter().any(|&i| currency[i].is_in_force());
                ControlRow { control, entry, implementers, flagged }
            })
            .collect();
        let others = document.map(|i| other_controls(&docs[i])).unwrap_or_default();
        Soa { in_force, document, rows, others }
    }

    /// The row of control `id`.
    pub(crate) fn row(&self, id: &str) -> Option<&ControlRow> {
        self.rows.iter().find(|r| r.control.id == id)
    }
}

/// The documents listing each control, SoAs excepted (an SoA states controls; it does not
/// implement them).
fn implementers<'a>(docs: &'a [Document], config: &Config) -> HashMap<&'a str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| !is_soa(d, config)) {
        for c in &d.controls {
            let list = out.entry(c.value.as_str()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    out
}

/// The entries of `soa` for controls from other sources: an id that is no catalog entry at all,
/// with `source:` naming where it comes from (the first entry of an id listed twice).
fn other_controls(soa: &Document) -> Vec<SoaEntry> {
    let iso = catalog::iso42001();
    let mut out: Vec<SoaEntry> = Vec::new();
    for e in soa.applicability.iter().filter(|e| is_other_control(e, iso)) {
        if !out.iter().any(|o| o.control.as_ref().map(|c| &c.value) == e.control.as_ref().map(|c| &c.value)) {
            out.push(e.clone());
        }
    }
    out
}

/// Whether SoA entry `e` states a control from another source (not in the ISO/IEC 42001
/// catalog, with `source:`).
pub(crate) fn is_other_control(e: &SoaEntry, iso: &catalog::Catalog) -> bool {
    e.source.is_some() && e.control.as_ref().is_some_and(|c| iso.get(&c.value).is_none())
}

/// Whether `doc` is a Statement of Applicability.
pub(crate) fn is_soa(doc: &Document, config: &Config) -> bool {
    doc.doc_type.value == config.soa.document_type
}

/// Whether the checklist findings apply: configured, else when the tree has an SoA.
pub(crate) fn checklist_active(docs: &[Document], config: &Config) -> bool {
    config.checklist.enabled.unwrap_or_else(|| docs.iter().any(|d| is_soa(d, config)))
}

/// The lowercase word of an implementation status (empty when unset).
pub(crate) fn status_word(status: Option<Implementation>) -> &'static str {
    status.map_or("", Implementation::as_str)
}
