//! What changed between two portals, from their manifests alone: documents added, removed,
//! given a new version, changed status, approval or text, retitled; evidence added, changed or
//! removed. The comparison knows nothing of where a manifest came from (a built site, a
//! content root checked in memory, a git revision exported and checked), so any source plugs
//! in by producing a [`Parsed`] manifest. A format-1 manifest records no approvals: the change set says so in
//! its notes instead of reporting approvals as unchanged.

use serde::Serialize;

use super::manifest_read::{Approval, Doc, Parsed};

/// One side of the comparison: what it is and what it holds.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Side {
    /// What the user named (a path or a revision).
    pub label: String,
    /// `site` (a built site's manifest), `content` (a content root checked in memory) or
    /// `revision` (a git revision's content tree, checked in memory).
    pub kind: &'static str,
    /// The commit a revision resolved to (full hex id); absent for a path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The manifest format.
    pub format: String,
    /// Number of documents.
    pub documents: usize,
}

/// How a document changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub(crate) enum DocChange {
    /// In NEW only.
    Added { version: String, status: String },
    /// In OLD only.
    Removed { version: String, status: String },
    /// A different `version`.
    NewVersion { from: String, to: String },
    /// A different `status`.
    Status { from: String, to: String },
    /// A different approval block (approver or date).
    Approval { from: Option<Approval>, to: Option<Approval> },
    /// The approved content (text and front matter but lifecycle fields) changed but the
    /// version did not.
    Content,
    /// A different title.
    Title { from: String, to: String },
}

impl DocChange {
    /// The short name of the change (`added`, `new-version`, ...), as in the JSON.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            DocChange::Added { .. } => "added",
            DocChange::Removed { .. } => "removed",
            DocChange::NewVersion { .. } => "new-version",
            DocChange::Status { .. } => "status",
            DocChange::Approval { .. } => "approval",
            DocChange::Content => "content",
            DocChange::Title { .. } => "title",
        }
    }
}

/// A change to one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DocEntry {
    /// Document id.
    pub id: String,
    /// Its title (NEW's when it has one).
    pub title: String,
    /// What changed.
    #[serde(flatten)]
    pub change: DocChange,
}

/// How an evidence file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FileChange {
    /// In NEW only.
    Added,
    /// Different bytes.
    Changed,
    /// In OLD only.
    Removed,
}

/// A change to one evidence (or other copied) file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FileEntry {
    /// Content path.
    pub path: String,
    /// What changed.
    pub change: FileChange,
    /// SHA-256 in OLD.
    pub old_sha256: Option<String>,
    /// SHA-256 in NEW.
    pub new_sha256: Option<String>,
}

/// Everything that changed from OLD to NEW, sorted by id and path.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeSet {
    /// The earlier portal.
    pub old: Side,
    /// The later portal.
    pub new: Side,
    /// Document changes, by id, in the order of [`DocChange`] for one id.
    pub documents: Vec<DocEntry>,
    /// Evidence changes, by path.
    pub evidence: Vec<FileEntry>,
    /// What could not be compared, in words.
    pub notes: Vec<String>,
}

impl ChangeSet {
    /// Whether nothing changed.
    pub(crate) fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.evidence.is_empty()
    }
}

/// An earlier portal to compare a build with (`build --changes-since REV`): its side and
/// manifest, read before the build.
#[derive(Debug, Clone)]
pub(crate) struct Baseline {
    /// What it is (the revision named).
    pub side: Side,
    /// Its manifest.
    pub manifest: Parsed,
}

impl Baseline {
    /// What changed from the baseline to the build whose `manifest.json` is `bytes`.
    pub(crate) fn changes_to(&self, bytes: &[u8]) -> anyhow::Result<ChangeSet> {
        let new = super::manifest_read::parse(bytes)
            .map_err(|why| anyhow::anyhow!("internal error: the manifest of this build {why}"))?;
        let side = Side {
            label: "this portal".into(),
            kind: "content",
            commit: None,
            format: new.format.clone(),
            documents: new.documents.len(),
        };
        Ok(compare(self.side.clone(), &self.manifest, side, &new))
    }
}

/// Compares manifest `old` with manifest `new`.
pub(crate) fn compare(old_side: Side, old: &Parsed, new_side: Side, new: &Parsed) -> ChangeSet {
    let approvals = old.has_approvals() && new.has_approvals();
    let mut notes = Vec::new();
    if !approvals {
        let which = if old.has_approvals() { &new_side.label } else { &old_side.label };
        notes.push(format!(
            "{which} has a format-1 manifest, which records no approvals: approval changes are not compared, and text changes are judged by the whole file, so a new approval or review also counts as one (rebuild it with this aimsdoc to compare them)"
        ));
    }
    ChangeSet {
        documents: documents(old, new, approvals),
        evidence: evidence(old, new),
        old: old_side,
        new: new_side,
        notes,
    }
}

fn documents(old: &Parsed, new: &Parsed, approvals: bool) -> Vec<DocEntry> {
    let mut ids: Vec<&String> = old.documents.keys().chain(new.documents.keys()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let entry = |d: &Doc, change| DocEntry { id: id.clone(), title: d.title.clone(), change };
        match (old.documents.get(id), new.documents.get(id)) {
            (None, Some(n)) => {
                out.push(entry(n, DocChange::Added { version: n.version.clone(), status: n.status.clone() }))
            }
            (Some(o), None) => {
                out.push(entry(o, DocChange::Removed { version: o.version.clone(), status: o.status.clone() }))
            }
            (Some(o), Some(n)) => out.extend(changes(o, n, approvals).into_iter().map(|c| entry(n, c))),
            (None, None) => {}
        }
    }
    out
}

/// The changes of a document present on both sides.
fn changes(o: &Doc, n: &Doc, approvals: bool) -> Vec<DocChange> {
    let mut out = Vec::new();
    if o.version != n.version {
        out.push(DocChange::NewVersion { from: o.version.clone(), to: n.version.clone() });
    } else if text_changed(o, n) {
        out.push(DocChange::Content);
    }
    if o.status != n.status {
        out.push(DocChange::Status { from: o.status.clone(), to: n.status.clone() });
    }
    if let (true, Some(from), Some(to)) = (approvals, &o.approval, &n.approval) {
        if from != to {
            out.push(DocChange::Approval { from: from.clone(), to: to.clone() });
        }
    }
    if o.title != n.title {
        out.push(DocChange::Title { from: o.title.clone(), to: n.title.clone() });
    }
    out
}

/// The approved content differs: by the ledger's content hash where both sides record it
/// (an edit of the approval, reviews or status alone is not a text change), else by file.
fn text_changed(o: &Doc, n: &Doc) -> bool {
    match (&o.content_sha256, &n.content_sha256) {
        (Some(a), Some(b)) => a != b,
        _ => o.sha256 != n.sha256,
    }
}

fn evidence(old: &Parsed, new: &Parsed) -> Vec<FileEntry> {
    let mut paths: Vec<&String> = old.attachments.keys().chain(new.attachments.keys()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|p| {
            let (o, n) = (old.attachments.get(p), new.attachments.get(p));
            let change = match (o, n) {
                (None, Some(_)) => FileChange::Added,
                (Some(_), None) => FileChange::Removed,
                (Some(a), Some(b)) if a != b => FileChange::Changed,
                _ => return None,
            };
            Some(FileEntry { path: p.clone(), change, old_sha256: o.cloned(), new_sha256: n.cloned() })
        })
        .collect()
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
