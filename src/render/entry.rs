//! What clause and control pages add for an auditor: the evidence behind the entry with its
//! currency, the checklist items of a clause that requires documented information, the SoA
//! entry of a control, and the NIST AI RMF subcategories NIST's crosswalk relates to it.

use serde::Serialize;
use tera::Context;

use super::checklist::items_of;
use super::crosswalk::{nist_anchor, NIST_PAGE};
use super::evidence::for_documents;
use super::pages::RenderCx;
use crate::assess::soa::status_word;
use crate::catalog::{self, Entry, Kind};

/// A control's line of the Statement of Applicability.
#[derive(Serialize)]
pub(crate) struct SoaView {
    /// `yes`, `no` or `not stated`.
    pub applicable: &'static str,
    /// Implementation status word, or empty.
    pub status: &'static str,
    /// Why.
    pub justification: String,
    /// Applicable, but no approved, current document lists the control.
    pub flagged: bool,
    /// Site path of the SoA document, when there is one.
    pub soa: Option<String>,
}

/// A NIST AI RMF subcategory related to an entry.
#[derive(Serialize)]
pub(crate) struct NistLink {
    /// Subcategory id (`GOVERN 1.1`).
    pub id: String,
    /// Short title.
    pub short_title: String,
    /// Our summary of the subcategory.
    pub statement: String,
    /// Link to it on the crosswalk page, relative to the site root.
    pub href: String,
}

/// Adds evidence, checklist items, SoA entry and NIST links to a catalog entry page's context.
pub(crate) fn extend(cx: &RenderCx, entry: &Entry, c: &mut Context) {
    c.insert("evidence", &for_documents(cx, super::pages::entry_docs(cx, entry)));
    if entry.kind == Kind::Clause {
        c.insert_value("checklist", super::checklist_value::items_value(cx, items_of(cx, &entry.id)));
    }
    if entry.kind == Kind::AnnexControl {
        c.insert("soa_entry", &soa_view(cx, entry));
    }
    c.insert("nist", &nist_links(&entry.id));
}

/// The SoA line of an Annex A control (`None` for other entries, and for a control the SoA
/// does not list).
pub(crate) fn soa_view(cx: &RenderCx, entry: &Entry) -> Option<SoaView> {
    if entry.kind != Kind::AnnexControl {
        return None;
    }
    let soa = &cx.assessment.soa;
    soa.row(&entry.id).map(|r| SoaView {
        applicable: r.applicable_word(),
        status: status_word(r.status()),
        justification: r.justification().to_string(),
        flagged: r.flagged,
        soa: soa.document.map(|i| cx.rows[i].href.clone()),
    })
}

/// The NIST AI RMF subcategories NIST's crosswalk relates to entry `id`.
pub(crate) fn nist_links(id: &str) -> Vec<NistLink> {
    let nist = catalog::nist_ai_rmf();
    catalog::nist_iso42001()
        .mappings
        .iter()
        .filter(|m| m.clauses.iter().chain(&m.controls).any(|x| x == id))
        .filter_map(|m| nist.get(&m.nist))
        .map(|n| NistLink {
            id: n.id.clone(),
            short_title: n.short_title.clone(),
            statement: n.statement.clone(),
            href: format!("{NIST_PAGE}#{}", nist_anchor(&n.id)),
        })
        .collect()
}
