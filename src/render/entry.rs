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

#[derive(Serialize)]
struct SoaView {
    applicable: &'static str,
    status: &'static str,
    justification: String,
    flagged: bool,
    soa: Option<String>,
}

#[derive(Serialize)]
struct NistLink {
    id: String,
    short_title: String,
    statement: String,
    href: String,
}

/// Adds evidence, checklist items, SoA entry and NIST links to a catalog entry page's context.
pub(crate) fn extend(cx: &RenderCx, entry: &Entry, c: &mut Context) {
    let docs = cx.graph.clause_docs.get(&entry.id).map_or(&[][..], Vec::as_slice);
    c.insert("evidence", &for_documents(cx, docs));
    if entry.kind == Kind::Clause {
        c.insert_value("checklist", super::checklist_value::items_value(cx, items_of(cx, &entry.id)));
    }
    if entry.kind == Kind::AnnexControl {
        let soa = &cx.assessment.soa;
        let view = soa.row(&entry.id).map(|r| SoaView {
            applicable: r.applicable_word(),
            status: status_word(r.status()),
            justification: r.justification().to_string(),
            flagged: r.flagged,
            soa: soa.document.map(|i| cx.rows[i].href.clone()),
        });
        c.insert("soa_entry", &view);
    }
    c.insert("nist", &nist_links(&entry.id));
}

fn nist_links(id: &str) -> Vec<NistLink> {
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
