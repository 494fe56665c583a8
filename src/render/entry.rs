//! What clause and control pages add for an auditor: the evidence behind the entry with its
//! currency, the checklist items of a clause that requires documented information, the SoA
//! entry of a control, and the NIST AI RMF subcategories NIST's crosswalk relates to it.

use serde::Serialize;
use tera::Context;

use super::checklist::items;
use super::crosswalk::{nist_anchor, NIST_PAGE};
use super::evidence::for_documents;
use super::pages::RenderCx;
use crate::catalog::{self, Entry, Kind};
use crate::validate::soa::{analyse, status_word};

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
pub fn extend(cx: &RenderCx, entry: &Entry, c: &mut Context) {
    let docs = cx.graph.clause_docs.get(&entry.id).map_or(&[][..], Vec::as_slice);
    c.insert("evidence", &for_documents(cx, docs));
    if entry.kind == Kind::Clause {
        let mine: Vec<_> = items(cx).into_iter().filter(|i| i.clause == entry.id).collect();
        c.insert("checklist", &mine);
    }
    if entry.kind == Kind::AnnexControl {
        let soa = analyse(&cx.tree.documents, cx.config, cx.today);
        let view = soa.rows.iter().find(|r| r.control.id == entry.id).map(|r| SoaView {
            applicable: match r.entry.and_then(|e| e.applicable) {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not stated",
            },
            status: status_word(r.entry.and_then(|e| e.status)),
            justification: r.entry.map(|e| e.justification.clone()).unwrap_or_default(),
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
