//! Crosswalk pages: NIST AI RMF 1.0 (functions, categories, subcategories with NIST's
//! statements verbatim, the ISO/IEC 42001 clauses and controls NIST's crosswalk relates them to,
//! and our documents behind each) and the ISO/IEC 27001 harmonized-structure comparison. Only
//! our own approved documents in force back a subcategory, directly (citing it in `frameworks`)
//! or through the crosswalk; drafts, documents not in force and external documents are listed
//! apart and count for neither.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::checklist::LIST_CAP;
use super::pages::RenderCx;
use super::view::{catalog_href, entry_links, DocRow, EntryLink};
use crate::assess::satisfy::is_external;
use crate::assess::Currency;
use crate::catalog::{self, Mapping, NistNode};

/// Page path of the NIST AI RMF crosswalk.
pub(crate) const NIST_PAGE: &str = "nist-ai-rmf.html";
/// Page path of the ISO/IEC 27001 comparison.
pub(crate) const ISO27001_PAGE: &str = "iso27001.html";

/// The anchor of a NIST id on the NIST page (`GOVERN 1.1` -> `govern-1-1`).
pub(crate) fn nist_anchor(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

#[derive(Serialize)]
struct NodeView<'a> {
    id: &'a str,
    anchor: String,
    short_title: &'a str,
    statement: &'a str,
    clauses: Vec<EntryLink>,
    controls: Vec<EntryLink>,
    note: Option<&'a str>,
    cited_by: Vec<&'a DocRow>,
    cited_more: usize,
    /// Documents citing it that do not count, and why (drafts, not in force, external).
    cited_other: Vec<NotCounted<'a>>,
    via_iso: Vec<&'a DocRow>,
    via_more: usize,
    children: Vec<NodeView<'a>>,
}

/// A document citing a subcategory that does not back it.
#[derive(Serialize)]
struct NotCounted<'a> {
    doc: &'a DocRow,
    why: &'static str,
}

/// The NIST AI RMF crosswalk page.
pub(crate) fn nist_page(cx: &RenderCx) -> anyhow::Result<String> {
    let cw = catalog::nist_iso42001();
    let cited = citations(cx);
    let mut functions: Vec<NodeView> = Vec::new();
    for n in &catalog::nist_ai_rmf().nodes {
        let mapping = if n.level == 2 { cw.get(&n.id) } else { cw.category(&n.id) };
        let view = node(cx, n, mapping, cited.get(n.id.as_str()));
        match n.level {
            0 => functions.push(view),
            1 => {
                if let Some(f) = functions.last_mut() {
                    f.children.push(view);
                }
            }
            _ => {
                if let Some(c) = functions.last_mut().and_then(|f| f.children.last_mut()) {
                    c.children.push(view);
                }
            }
        }
    }
    let subs: Vec<&NodeView> = functions.iter().flat_map(|f| &f.children).flat_map(|c| &c.children).collect();
    let mut c = cx.base(0, "NIST AI RMF crosswalk", super::section::Section::Nist);
    let cited = subs.iter().filter(|s| !s.cited_by.is_empty()).count();
    let via_only = subs.iter().filter(|s| s.cited_by.is_empty() && !s.via_iso.is_empty()).count();
    c.insert("subcategories", &subs.len());
    c.insert("cited", &cited);
    c.insert("via_only", &via_only);
    c.insert("unbacked", &(subs.len() - cited - via_only));
    c.insert("functions", &functions);
    c.insert("source_title", &cw.title);
    c.insert("source_url", &cw.url);
    c.insert("based_on", &cw.based_on);
    cx.render("nist.html", c)
}

fn node<'a>(
    cx: &'a RenderCx,
    n: &'a NistNode,
    m: Option<&'a Mapping>,
    cited: Option<&BTreeSet<usize>>,
) -> NodeView<'a> {
    let (clauses, controls) = m.map_or((Vec::new(), Vec::new()), |m| {
        (entry_links(m.clauses.iter().map(String::as_str)), entry_links(m.controls.iter().map(String::as_str)))
    });
    // Tens of thousands of documents address a mapped clause in a large tree: a sorted vector
    // rather than a tree set, and only the first few put in order of id (see `first_by_id`).
    let mut via: Vec<usize> = m
        .into_iter()
        .flat_map(|m| m.clauses.iter().chain(&m.controls))
        .filter_map(|id| cx.graph.clause_docs.get(id))
        .flatten()
        .copied()
        .filter(|&i| counts(cx, i))
        .collect();
    via.sort_unstable();
    via.dedup();
    let (cited, cited_other): (Vec<usize>, Vec<usize>) =
        cited.into_iter().flatten().copied().partition(|&i| counts(cx, i));
    NodeView {
        id: &n.id,
        anchor: nist_anchor(&n.id),
        short_title: &n.short_title,
        statement: &n.statement,
        clauses,
        controls,
        note: m.and_then(|m| m.note.as_deref()),
        cited_more: cited.len().saturating_sub(LIST_CAP),
        cited_by: rows(cx, first_by_id(cx, cited, LIST_CAP)),
        cited_other: first_by_id(cx, cited_other, LIST_CAP)
            .into_iter()
            .map(|i| NotCounted { doc: &cx.rows[i], why: why_not(cx, i) })
            .collect(),
        via_more: via.len().saturating_sub(LIST_CAP),
        via_iso: rows(cx, first_by_id(cx, via, LIST_CAP)),
        children: Vec::new(),
    }
}

/// Whether document `i` backs a NIST subcategory: our own, approved and in force.
fn counts(cx: &RenderCx, i: usize) -> bool {
    cx.assessment.currency[i].is_in_force() && !is_external(&cx.tree.documents[i])
}

/// Why document `i` does not back a subcategory.
fn why_not(cx: &RenderCx, i: usize) -> &'static str {
    if is_external(&cx.tree.documents[i]) {
        return "external document";
    }
    match cx.assessment.currency[i] {
        Currency::NotYetEffective => "not yet effective",
        Currency::Overdue => "review overdue",
        Currency::InReview => "in review",
        other => other.as_str(),
    }
}

/// The first `n` of the distinct document indices `list` in order of document id (equal ids,
/// a tree with a duplicate id, in order of index): a partial selection, then a sort of `n`.
fn first_by_id(cx: &RenderCx, mut list: Vec<usize>, n: usize) -> Vec<usize> {
    let key = |&i: &usize| (cx.rows[i].id.as_str(), i);
    if list.len() > n {
        list.select_nth_unstable_by_key(n, key);
        list.truncate(n);
    }
    list.sort_unstable_by_key(key);
    list
}

/// The rows of documents `indices`.
fn rows<'a>(cx: &'a RenderCx, indices: Vec<usize>) -> Vec<&'a DocRow> {
    indices.into_iter().map(|i| &cx.rows[i]).collect()
}

/// Documents citing each NIST id in `frameworks: { nist-ai-rmf: [...] }`.
fn citations<'a>(cx: &'a RenderCx) -> BTreeMap<&'a str, BTreeSet<usize>> {
    let mut out: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (i, d) in cx.tree.documents.iter().enumerate() {
        for id in d.frameworks.get(catalog::NIST_AI_RMF).iter().flat_map(|ids| &ids.value) {
            out.entry(id.value.as_str()).or_default().insert(i);
        }
    }
    out
}

#[derive(Serialize)]
struct HsRow<'a> {
    #[serde(flatten)]
    clause: &'a catalog::HsClause,
    href: String,
    depth: usize,
    documents: usize,
    current: usize,
}

/// The ISO/IEC 27001 harmonized-structure comparison page.
pub(crate) fn iso27001_page(cx: &RenderCx) -> anyhow::Result<String> {
    let rows: Vec<HsRow> = catalog::iso27001_comparison()
        .iter()
        .map(|c| {
            let docs = cx.graph.clause_docs.get(&c.id).map_or(&[][..], Vec::as_slice);
            HsRow {
                clause: c,
                href: catalog_href(&c.id),
                depth: c.id.matches('.').count(),
                documents: docs.len(),
                current: docs.iter().filter(|&&i| cx.rows[i].state == "current").count(),
            }
        })
        .collect();
    let count = |r: &str| rows.iter().filter(|x| x.clause.relation == r).count();
    let mut c = cx.base(0, "ISO/IEC 27001 comparison", super::section::Section::Iso27001);
    c.insert("identical", &count("identical"));
    c.insert("discipline_named", &count("discipline-named"));
    c.insert("reworded", &count("reworded"));
    c.insert("only_42001", &count("iso42001-only"));
    c.insert("shared", &rows.iter().filter(|r| r.clause.hs_core).count());
    c.insert("rows", &rows);
    cx.render("iso27001.html", c)
}

#[cfg(test)]
mod tests {
    use super::{first_by_id, nist_anchor};

    #[test]
    fn anchors_are_url_safe() {
        assert_eq!(nist_anchor("GOVERN 1.1"), "govern-1-1");
        assert_eq!(nist_anchor("MAP"), "map");
    }

    #[test]
    fn the_first_by_id_are_the_head_of_the_whole_list_sorted_by_id() {
        let (checked, theme) = crate::site::checked_for_tests("content-example", "2026-06-01");
        let cx = checked.render_cx(&theme, String::new());
        let all: Vec<usize> = (0..cx.rows.len()).rev().collect();
        let mut sorted = all.clone();
        sorted.sort_by(|&a, &b| cx.rows[a].id.cmp(&cx.rows[b].id));
        assert!(sorted.len() > 12 && sorted != all, "the example has enough documents out of id order");
        for n in [0, 1, 5, 12, sorted.len(), sorted.len() + 3] {
            let head: Vec<usize> = sorted.iter().copied().take(n).collect();
            assert_eq!(first_by_id(&cx, all.clone(), n), head, "n = {n}");
        }
    }
}
