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
    let mut docs = Docs::new(cx);
    let mut functions: Vec<NodeView> = Vec::new();
    for n in &catalog::nist_ai_rmf().nodes {
        let mapping = if n.level == 2 { cw.get(&n.id) } else { cw.category(&n.id) };
        let view = node(cx, &mut docs, n, mapping, cited.get(n.id.as_str()));
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
    docs: &mut Docs,
    n: &'a NistNode,
    m: Option<&'a Mapping>,
    cited: Option<&BTreeSet<usize>>,
) -> NodeView<'a> {
    let (clauses, controls) = m.map_or((Vec::new(), Vec::new()), |m| {
        (entry_links(m.clauses.iter().map(String::as_str)), entry_links(m.controls.iter().map(String::as_str)))
    });
    // Tens of thousands of documents address a mapped clause in a large tree: each counted once
    // (a mark per document, not a sort), and only the first few put in order of id.
    let lists =
        m.into_iter().flat_map(|m| m.clauses.iter().chain(&m.controls)).filter_map(|id| cx.graph.clause_docs.get(id));
    let via = docs.distinct_backing(lists.flatten().copied());
    let (cited, cited_other): (Vec<usize>, Vec<usize>) =
        cited.into_iter().flatten().copied().partition(|&i| docs.backs[i]);
    NodeView {
        id: &n.id,
        anchor: nist_anchor(&n.id),
        short_title: &n.short_title,
        statement: &n.statement,
        clauses,
        controls,
        note: m.and_then(|m| m.note.as_deref()),
        cited_more: cited.len().saturating_sub(LIST_CAP),
        cited_by: rows(cx, docs.first_by_id(cited, LIST_CAP)),
        cited_other: docs
            .first_by_id(cited_other, LIST_CAP)
            .into_iter()
            .map(|i| NotCounted { doc: &cx.rows[i], why: why_not(cx, i) })
            .collect(),
        via_more: via.len().saturating_sub(LIST_CAP),
        via_iso: rows(cx, docs.first_by_id(via, LIST_CAP)),
        children: Vec::new(),
    }
}

/// What the page asks of every document, worked out once rather than per subcategory (at
/// 100,000 documents the subcategories' lists hold millions of entries): whether it backs a
/// subcategory, and its place in order of id.
struct Docs {
    /// Per document: our own, approved and in force.
    backs: Vec<bool>,
    /// Per document: its place in order of id (equal ids, a tree with a duplicate id, in order
    /// of index).
    rank: Vec<u32>,
    /// Per document: already taken into the list being gathered (cleared after each list).
    taken: Vec<bool>,
}

impl Docs {
    fn new(cx: &RenderCx) -> Docs {
        let n = cx.rows.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| cx.rows[a].id.cmp(&cx.rows[b].id).then(a.cmp(&b)));
        let mut rank = vec![0u32; n];
        for (place, &i) in order.iter().enumerate() {
            rank[i] = u32::try_from(place).unwrap_or(u32::MAX);
        }
        Docs { backs: (0..n).map(|i| counts(cx, i)).collect(), rank, taken: vec![false; n] }
    }

    /// The distinct documents of `list` that back a subcategory, in order of first appearance.
    fn distinct_backing(&mut self, list: impl Iterator<Item = usize>) -> Vec<usize> {
        let mut out = Vec::new();
        for i in list {
            if self.backs[i] && !self.taken[i] {
                self.taken[i] = true;
                out.push(i);
            }
        }
        for &i in &out {
            self.taken[i] = false;
        }
        out
    }

    /// The first `n` of the distinct document indices `list` in order of id: a partial
    /// selection, then a sort of `n`.
    fn first_by_id(&self, mut list: Vec<usize>, n: usize) -> Vec<usize> {
        let key = |&i: &usize| self.rank[i];
        if list.len() > n {
            list.select_nth_unstable_by_key(n, key);
            list.truncate(n);
        }
        list.sort_unstable_by_key(key);
        list
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
    use super::{nist_anchor, Docs};

    #[test]
    fn anchors_are_url_safe() {
        assert_eq!(nist_anchor("GOVERN 1.1"), "govern-1-1");
        assert_eq!(nist_anchor("MAP"), "map");
    }

    #[test]
    fn each_backing_document_is_gathered_once_and_the_marks_are_cleared() {
        let (checked, theme) = crate::site::checked_for_tests("content-example", "2026-06-01");
        let cx = checked.render_cx(&theme, String::new());
        let mut docs = Docs::new(&cx);
        let n = cx.rows.len();
        let backing: Vec<usize> = (0..n).filter(|&i| docs.backs[i]).collect();
        assert!(!backing.is_empty() && backing.len() < n, "the example has documents of both kinds");
        let twice = || (0..n).rev().chain(0..n).chain([0, n - 1]);
        let mut first = docs.distinct_backing(twice());
        assert!(docs.taken.iter().all(|&t| !t), "no mark is left for the next list");
        assert_eq!(docs.distinct_backing(twice()), first, "the next list starts afresh");
        first.sort_unstable();
        assert_eq!(first, backing);
    }

    #[test]
    fn the_first_by_id_are_the_head_of_the_whole_list_sorted_by_id() {
        let (checked, theme) = crate::site::checked_for_tests("content-example", "2026-06-01");
        let cx = checked.render_cx(&theme, String::new());
        let all: Vec<usize> = (0..cx.rows.len()).rev().collect();
        let mut sorted = all.clone();
        sorted.sort_by(|&a, &b| cx.rows[a].id.cmp(&cx.rows[b].id));
        assert!(sorted.len() > 12 && sorted != all, "the example has enough documents out of id order");
        let docs = Docs::new(&cx);
        for n in [0, 1, 5, 12, sorted.len(), sorted.len() + 3] {
            let head: Vec<usize> = sorted.iter().copied().take(n).collect();
            assert_eq!(docs.first_by_id(all.clone(), n), head, "n = {n}");
        }
    }
}
