//! The supersession section of a document page: the documents it replaces, those replacing it,
//! and the whole chain oldest first, as the assessment ([`crate::assess::lineage`]) found them.

use tera::Context;

use super::pages::RenderCx;

/// Replaces the page's `supersedes` / `superseded_by` with both directions, and adds `chain`.
pub(crate) fn extend(cx: &RenderCx, i: usize, c: &mut Context) {
    let lineage = &cx.assessment.lineage;
    c.insert_value("supersedes", cx.doc_values(lineage.predecessors[i].iter().copied()));
    c.insert_value("superseded_by", cx.doc_values(lineage.successors[i].iter().copied()));
    // A chain of one (the document alone) is not shown; `chain` is empty then.
    c.insert_value("chain", cx.doc_values(lineage.chain(i).iter().copied()));
}
