//! The `history` field of `manifest.json`: the commit the history was read at and, per document
//! of the tree, the commits that changed it and where each version first appeared. Part of the
//! content digest, so two builds of the same files with different histories differ.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CommitInfo, Provenance};
use crate::content::Tree;

/// The manifest's `history` value.
#[derive(Serialize)]
pub(crate) struct HistoryEntry<'a> {
    head: Option<&'a CommitInfo>,
    documents: BTreeMap<&'a str, DocEntry<'a>>,
}

#[derive(Serialize)]
struct DocEntry<'a> {
    commits: Vec<&'a str>,
    versions: Vec<VersionEntry<'a>>,
}

#[derive(Serialize)]
struct VersionEntry<'a> {
    version: &'a str,
    first_commit: &'a CommitInfo,
    /// The commit holding the approved text of this version, if it was committed approved.
    approved_commit: Option<&'a str>,
}

/// The `history` field for `tree`, when history was read.
pub(crate) fn entry<'a>(tree: &'a Tree, provenance: &'a Provenance) -> Option<HistoryEntry<'a>> {
    let history = provenance.history()?;
    let documents = tree
        .documents
        .iter()
        .filter_map(|d| {
            let h = history.docs.get(d.id.value.as_str())?;
            let versions = h
                .versions
                .iter()
                .map(|v| VersionEntry {
                    version: &v.version,
                    first_commit: &v.first,
                    approved_commit: v.approved.as_ref().map(|s| s.commit.hash.as_str()),
                })
                .collect();
            let commits = h.commits.iter().map(|c| c.hash.as_str()).collect();
            Some((d.id.value.as_str(), DocEntry { commits, versions }))
        })
        .collect();
    Some(HistoryEntry { head: history.head.as_ref(), documents })
}
