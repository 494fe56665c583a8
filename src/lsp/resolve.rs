//! What the token under the cursor names: a document of the tree, an ISO/IEC 42001 clause or
//! Annex A control, or a NIST AI RMF id. The key it is written under (or the link scheme before
//! it) decides which catalog to look in; a bare id that is a document's id names that document.

use super::context::{self, Spot};
use super::workspace::Workspace;
use crate::catalog::{self, Entry, NistNode};

/// A thing a token can name.
pub(crate) enum Target<'a> {
    /// The document at this index of the tree.
    Document(usize),
    /// A clause, control objective or control.
    Catalog(&'a Entry),
    /// A NIST AI RMF function, category or subcategory.
    Nist(&'a NistNode),
}

/// The target of the token at byte `offset` of `source`, with the token's byte range.
pub(crate) fn at<'a>(source: &str, offset: usize, ws: &'a Workspace) -> Option<(Target<'a>, usize, usize)> {
    let (start, end) = context::token_at(source, offset);
    let word = source.get(start..end).filter(|w| !w.is_empty())?;
    let (spot, _) = context::spot(source, end);
    let key = match &spot {
        Spot::Value { key, .. } => Some(key.as_str()),
        Spot::Item { path } => path.last().map(String::as_str),
        Spot::Link { scheme } => Some(*scheme),
        _ => None,
    };
    let in_frameworks = matches!(&spot, Spot::Value { path, .. } | Spot::Item { path } if path.first().is_some_and(|p| p == "frameworks"));
    let iso = catalog::iso42001();
    let target = match key {
        _ if in_frameworks => catalog::nist_ai_rmf().get(word).map(Target::Nist),
        Some("clauses" | "controls" | "control" | "clause:" | "control:") => iso.get(word).map(Target::Catalog),
        _ => ws.checked().graph.by_id.get(word).map(|&i| Target::Document(i)),
    };
    target.map(|t| (t, start, end))
}
