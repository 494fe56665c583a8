//! The supersession chain of a document page, read both ways: a document's predecessors are
//! those it names in `supersedes` and those naming it in `superseded_by`; its successors the
//! reverse. The whole chain is shown oldest first.

use std::collections::BTreeSet;

use tera::Context;

use super::pages::RenderCx;
use super::view::DocRow;

/// Replaces the page's `supersedes` / `superseded_by` with both directions, and adds `chain`.
pub fn extend(cx: &RenderCx, i: usize, c: &mut Context) {
    c.insert("supersedes", &cx.doc_links(predecessors(cx, i).into_iter()));
    c.insert("superseded_by", &cx.doc_links(successors(cx, i).into_iter()));
    let chain = chain(cx, i);
    c.insert("chain", &if chain.len() > 1 { chain } else { Vec::new() });
}

/// Documents `i` replaces: named in its `supersedes`, or naming it in their `superseded_by`
/// (found among its backlinks, so a page costs its references, not the whole tree).
fn predecessors(cx: &RenderCx, i: usize) -> BTreeSet<usize> {
    let docs = &cx.tree.documents;
    let d = &docs[i];
    let named = d.supersedes.iter().filter_map(|s| cx.graph.by_id.get(s.value.as_str()).copied());
    let naming = cx.graph.referenced_by[i]
        .iter()
        .copied()
        .filter(|&j| docs[j].superseded_by.as_ref().is_some_and(|s| s.value == d.id.value));
    named.chain(naming).filter(|&j| j != i).collect()
}

/// Documents replacing `i`: named in its `superseded_by`, or naming it in their `supersedes`.
fn successors(cx: &RenderCx, i: usize) -> BTreeSet<usize> {
    let docs = &cx.tree.documents;
    let d = &docs[i];
    let named = d.superseded_by.iter().filter_map(|s| cx.graph.by_id.get(s.value.as_str()).copied());
    let naming =
        cx.graph.referenced_by[i].iter().copied().filter(|&j| docs[j].supersedes.iter().any(|s| s.value == d.id.value));
    named.chain(naming).filter(|&j| j != i).collect()
}

/// Every document connected to `i` by supersession, oldest (by effective date, then id) first.
fn chain<'a>(cx: &'a RenderCx, i: usize) -> Vec<&'a DocRow> {
    let mut seen = BTreeSet::from([i]);
    let mut todo = vec![i];
    while let Some(j) = todo.pop() {
        for k in predecessors(cx, j).into_iter().chain(successors(cx, j)) {
            if seen.insert(k) {
                todo.push(k);
            }
        }
    }
    let mut out: Vec<usize> = seen.into_iter().collect();
    out.sort_by(|&a, &b| {
        let key = |x: usize| (cx.tree.documents[x].effective_date(), cx.rows[x].id.clone());
        key(a).cmp(&key(b))
    });
    cx.doc_links(out.into_iter())
}
