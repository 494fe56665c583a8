//! View models: the serialisable shapes templates and exports see. Built once per build from
//! the documents and the graph; every string is raw (templates escape on output).

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

use crate::assess::{Assessment, Currency, Disposition};
use crate::catalog::{self, Kind};
use crate::config::Config;
use crate::content::types::{Date, Status};
use crate::content::{Document, Tree};
use crate::graph::Graph;

/// A document as one row of the register and of every list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Type.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Owner.
    pub owner: String,
    /// Version as written.
    pub version: String,
    /// Status.
    pub status: String,
    /// Currency: current, overdue, draft, review, not-approved, superseded or withdrawn.
    pub state: &'static str,
    /// The state in words, as pages show it ("version 2.0 not approved" where the approval
    /// does not cover the current version; otherwise the state word).
    pub state_label: String,
    /// Approver (empty for drafts and documents in review: they are not approved).
    pub approved_by: String,
    /// Approval date (empty for drafts and documents in review).
    pub approval_date: String,
    /// Drafts and documents in review: who is to approve them (`approval.by`), shown as
    /// "approver (planned): X, not approved"; empty otherwise.
    pub planned_approver: String,
    /// Effective date (empty for drafts and documents in review: nothing is in force yet).
    pub effective: String,
    /// Next review date.
    pub next_review: String,
    /// Classification level.
    pub classification: String,
    /// Records: the date of what is recorded.
    pub record_date: String,
    /// Retention as written (empty when none).
    pub retention: String,
    /// Disposition date, `permanent` or `while current` (empty when unknown).
    pub disposition: String,
    /// Records: why the record is under legal hold (empty when it is not).
    pub legal_hold: String,
    /// Whether the body is published.
    pub published: bool,
    /// Source SHA-256.
    pub sha256: String,
    /// First 12 hex digits of the SHA-256.
    pub sha_short: String,
    /// Source path relative to the content root.
    pub source: String,
    /// Page path relative to the site root.
    pub href: String,
    /// Review overdue.
    pub overdue: bool,
    /// Review due within the warning window.
    pub due_soon: bool,
    /// The assessed currency (`state` is its word; not exported, so the register's columns
    /// stay as they are).
    #[serde(skip)]
    pub currency: Currency,
}

pub(crate) use crate::urls::{catalog_href, doc_href};

/// The rows of every document, parallel to `tree.documents`.
pub(crate) fn doc_rows(tree: &Tree, config: &Config, assessment: &Assessment) -> Vec<DocRow> {
    tree.documents
        .par_iter()
        .zip(&assessment.currency)
        .zip(&assessment.disposition)
        .map(|((d, &currency), &disposition)| doc_row(d, config, currency, disposition))
        .collect()
}

/// Builds the row of `doc`, whose currency the assessment found to be `currency`.
pub(crate) fn doc_row(doc: &Document, config: &Config, currency: Currency, disposition: Disposition) -> DocRow {
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let classification =
        doc.classification.as_ref().map_or_else(|| config.classification.default.clone(), |c| c.value.clone());
    // A draft or a document in review is not approved, whatever its `approval` block says (a
    // planned approver, or the approval of the version it revises): no row shows it as approved.
    let unapproved = matches!(doc.status(), Status::Draft | Status::Review);
    let approver = doc.approval.as_ref().and_then(|a| a.by.as_ref()).map(|b| b.value.clone()).unwrap_or_default();
    DocRow {
        id: doc.id.value.to_string(),
        title: doc.title.value.clone(),
        doc_type: doc.doc_type.value.clone(),
        owner: doc.owner.value.clone(),
        version: doc.version_text().to_string(),
        status: doc.status().as_str().to_string(),
        state: currency.state_word(),
        state_label: currency.label(doc),
        approved_by: if unapproved { String::new() } else { approver.clone() },
        approval_date: if unapproved { String::new() } else { date(doc.approval_date()) },
        planned_approver: if unapproved { approver } else { String::new() },
        effective: if unapproved { String::new() } else { date(doc.effective_date()) },
        next_review: date(doc.next_review.as_ref().map(|n| n.value)),
        record_date: if doc.is_record() { date(doc.record_date()) } else { String::new() },
        retention: doc.retention.as_ref().map(|r| r.value.to_string()).unwrap_or_default(),
        disposition: disposition_text(disposition),
        legal_hold: doc.legal_hold.as_ref().map(|h| h.value.clone()).unwrap_or_default(),
        published: config.is_published(&classification),
        classification,
        sha_short: doc.sha256[..12.min(doc.sha256.len())].to_string(),
        sha256: doc.sha256.clone(),
        source: doc.path.clone(),
        href: doc_href(doc.id.value.as_str()),
        overdue: currency.is_overdue(),
        due_soon: currency.is_due_soon(),
        currency,
    }
}

impl DocRow {
    /// Who approved it, or for a draft or a document in review "approver (planned): X, not
    /// approved" (just "not approved" when no approver is named yet).
    pub(crate) fn approver_text(&self) -> String {
        match (self.approved_by.is_empty(), self.planned_approver.is_empty()) {
            (false, _) => self.approved_by.clone(),
            (true, false) => format!("approver (planned): {}, not approved", self.planned_approver),
            (true, true) => "not approved".to_string(),
        }
    }
}

/// How the register shows a disposition.
pub(crate) fn disposition_text(disposition: Disposition) -> String {
    match disposition {
        Disposition::Unknown => String::new(),
        Disposition::Permanent => "permanent".into(),
        Disposition::WhileCurrent => "while current".into(),
        Disposition::On(date) => date.to_string(),
    }
}

/// A link to a catalog entry.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryLink {
    /// Number.
    pub id: String,
    /// Title.
    pub title: String,
    /// Page path relative to the site root.
    pub href: String,
}

/// Links to the catalog entries among `ids` (unknown ones are skipped: already reported).
pub(crate) fn entry_links<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<EntryLink> {
    let iso = catalog::iso42001();
    ids.filter_map(|id| iso.get(id)).map(entry_link).collect()
}

fn entry_link(e: &catalog::Entry) -> EntryLink {
    EntryLink { id: e.id.clone(), title: e.title.clone(), href: catalog_href(&e.id) }
}

/// [`entry_links`] as one template value: each link converted once per process (the catalog
/// is built in) and shared by every page that lists it, where a document page converted its
/// clauses and controls anew.
pub(crate) fn entry_values<'a>(ids: impl Iterator<Item = &'a str>) -> tera::Value {
    static VALUES: OnceLock<HashMap<&'static str, tera::Value>> = OnceLock::new();
    let all = VALUES.get_or_init(|| {
        let iso = catalog::iso42001();
        iso.entries.iter().map(|e| (e.id.as_str(), tera::Value::from_serializable(&entry_link(e)))).collect()
    });
    tera::Value::from(ids.filter_map(|id| all.get(id).cloned()).collect::<Vec<_>>())
}

/// Counts of documents per state, in lifecycle order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusCount {
    /// State word, as the badges and the register's state column show it.
    pub status: &'static str,
    /// Number of documents.
    pub count: usize,
}

/// The state words of badges, the register and the dashboard (`Currency::state_word`), in
/// lifecycle order: one word for each state everywhere ("current", never "approved", for an
/// approved document in force).
pub(crate) const STATES: [&str; 8] =
    ["draft", "review", "not-approved", "current", "overdue", "not-yet-effective", "superseded", "withdrawn"];

/// Document counts per state, the states no document is in left out.
pub(crate) fn state_counts(rows: &[DocRow]) -> Vec<StatusCount> {
    STATES
        .iter()
        .map(|&s| StatusCount { status: s, count: rows.iter().filter(|r| r.state == s).count() })
        .filter(|c| c.count > 0)
        .collect()
}

/// One catalog entry in an index, with how many documents address it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexEntry {
    /// Number.
    pub id: String,
    /// Title.
    pub title: String,
    /// Page path relative to the site root.
    pub href: String,
    /// 0 for top level, 1, 2 ...
    pub depth: usize,
    /// Documents addressing it.
    pub documents: usize,
    /// Approved, current documents addressing it.
    pub current: usize,
    /// Documented information required here.
    pub required: bool,
    /// Objective (Annex A group) rather than control.
    pub objective: bool,
}

/// Index rows for every entry of the given kinds, in catalog order.
pub(crate) fn index_entries(graph: &Graph, rows: &[DocRow], kinds: &[Kind]) -> Vec<IndexEntry> {
    let iso = catalog::iso42001();
    iso.entries
        .iter()
        .filter(|e| kinds.contains(&e.kind))
        .map(|e| {
            let docs = graph.clause_docs.get(&e.id).map_or(&[][..], Vec::as_slice);
            let depth = e.id.trim_start_matches("A.").matches('.').count();
            IndexEntry {
                id: e.id.clone(),
                title: e.title.clone(),
                href: catalog_href(&e.id),
                depth,
                documents: docs.len(),
                current: docs.iter().filter(|&&i| rows[i].currency.is_current()).count(),
                required: e.documented_information == catalog::DocInfo::Required,
                objective: e.kind == Kind::AnnexObjective,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_values_are_the_entry_links_converted() {
        let ids = ["7.5.2", "no-such-clause", "A.6.2.3", "4.1", "7.5.2"];
        let expected = tera::Value::from_serializable(&entry_links(ids.iter().copied()));
        assert_eq!(entry_values(ids.iter().copied()), expected);
        assert_eq!(entry_values(std::iter::empty()), tera::Value::from_serializable(&Vec::<EntryLink>::new()));
        assert_eq!(entry_values(ids.iter().copied()).len(), Some(4), "the unknown id is skipped");
    }
}
