//! The attachments of the version in force, as approved. While a successor is drafted, the work
//! tree's evidence files belong to the draft: they may already hold the next version's bytes.
//! The version in force keeps the files of the last commit that held it, so each of its
//! attachments is read from that commit, compared with what `approvals.lock` records for the
//! version (when it records recipe v2), and published from the blob where the work tree's file
//! differs. What cannot be shown as approved is a problem the validate stage reports; a version
//! whose text or attachments contradict its ledger entry does not count as in force.

use crate::content::Document;
use crate::graph::{attachment_rel, unpublishable_name, Graph};
use crate::integrity::content_hash::{self, Recorded};
use crate::integrity::ledger::{Entry, Ledger};
use crate::provenance::attached::{self, Committed};
use crate::provenance::{RepoLocation, Snapshot};

/// Where the portal gets the approved bytes of one attachment of the version in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// The work tree's file has the approved bytes: the site's ordinary copy serves.
    WorkTree,
    /// Only the commit has them: copied into the site from the blob.
    Blob(gix::ObjectId),
    /// No copy of the approved bytes is known.
    None,
}

/// One attachment of the version in force.
#[derive(Debug, Clone)]
pub(crate) struct ApprovedFile {
    /// As the version lists it under `attachments`.
    pub listed: String,
    /// Content-relative path (`evidence/...`); `None` when the entry names no file inside the
    /// evidence folder.
    pub rel: Option<String>,
    /// What the commit held at that path.
    pub committed: Committed,
    /// The SHA-256 `approvals.lock` records for it (recipe v2), if any.
    pub approved_sha256: Option<String>,
    /// Where the published approved bytes come from.
    pub source: Source,
}

impl ApprovedFile {
    /// The SHA-256 of the bytes the portal shows as this attachment of the version in force.
    pub(crate) fn sha256(&self) -> Option<&str> {
        match self.source {
            Source::WorkTree => self.approved_sha256.as_deref().or(self.committed.sha256()),
            Source::Blob(_) => self.committed.sha256(),
            Source::None => None,
        }
    }

    /// The work tree's file at this path has other bytes (or is gone) since approval.
    pub(crate) fn changed_in_work_tree(&self) -> bool {
        self.source != Source::WorkTree
    }
}

/// Why the version in force cannot be shown as approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Its committed text is not the text the ledger records for the version.
    TextChanged { entry_line: usize },
    /// Attachment `k`: neither the commit nor the work tree holds the bytes the ledger records.
    AttachmentChanged { k: usize, entry_line: usize },
    /// Attachment `k`: there is no ledger hash, and the commit does not hold the file.
    NotCommitted { k: usize },
}

impl Problem {
    /// Whether the problem contradicts the ledger (the version then does not count as in force).
    pub(crate) fn contradicts_ledger(&self) -> bool {
        !matches!(self, Problem::NotCommitted { .. })
    }
}

/// The attachments of `doc` (the version in force, parsed from `snapshot`) and the problems
/// with showing it as approved.
pub(crate) fn check(
    doc: &Document,
    snapshot: &Snapshot,
    repo: &RepoLocation,
    evidence_dir: &str,
    ledger: Option<&Ledger>,
    graph: &Graph,
) -> (Vec<ApprovedFile>, Vec<Problem>) {
    let rels: Vec<Option<String>> = doc.attachments.iter().map(|a| content_rel(evidence_dir, &a.value)).collect();
    let wanted: Vec<String> = rels.iter().flatten().cloned().collect();
    let mut found = attached::files_at(repo, snapshot.held_until, &wanted).into_iter();
    let entry = ledger.and_then(|l| l.judged(doc.id.value.as_str(), doc.version_text()));
    let approved = approved_hashes(entry, rels.len());
    let mut problems = text_problem(snapshot, entry).into_iter().collect::<Vec<_>>();
    let files: Vec<ApprovedFile> = rels
        .into_iter()
        .enumerate()
        .map(|(k, rel)| {
            let committed = match &rel {
                Some(_) => found.next().unwrap_or_else(|| Committed::Absent("not read".to_string())),
                None => Committed::Absent("not a file inside the evidence folder".to_string()),
            };
            let work_tree = rel.as_ref().and_then(|r| graph.files.get(r)).map(|f| f.sha256.as_str());
            let approved_sha256 = approved.get(k).cloned().flatten();
            let source = source(&committed, approved_sha256.as_deref(), work_tree);
            if source == Source::None {
                problems.push(match (entry, &approved_sha256) {
                    (Some(e), Some(_)) => Problem::AttachmentChanged { k, entry_line: e.line },
                    _ => Problem::NotCommitted { k },
                });
            }
            ApprovedFile { listed: doc.attachments[k].value.clone(), rel, committed, approved_sha256, source }
        })
        .collect();
    (files, problems)
}

/// The content-relative path an `attachments` entry names, resolved and judged by name as the
/// link stage does (so no unsafe or hidden name reaches a site path or `SHA256SUMS`).
fn content_rel(evidence_dir: &str, listed: &str) -> Option<String> {
    let evidence = evidence_dir.trim_end_matches('/');
    attachment_rel(evidence, listed).filter(|rel| unpublishable_name(evidence, rel).is_none())
}

/// The per-attachment hashes a v2 entry records (none for v1, or a list of another length).
fn approved_hashes(entry: Option<&Entry>, n: usize) -> Vec<Option<String>> {
    match entry.map(|e| &e.hash) {
        Some(Recorded::V2 { attachments, .. }) if attachments.len() == n => {
            attachments.iter().map(|a| Some(a.clone())).collect()
        }
        _ => vec![None; n],
    }
}

/// The text committed is not the text approved.
fn text_problem(snapshot: &Snapshot, entry: Option<&Entry>) -> Option<Problem> {
    let entry = entry?;
    let text = content_hash::of_text(&snapshot.text).ok();
    (text.as_deref() != Some(entry.hash.text())).then_some(Problem::TextChanged { entry_line: entry.line })
}

/// Where the approved bytes come from: the commit's, unless the ledger says they are not the
/// approved ones; else the work tree's, when the ledger proves they are.
fn source(committed: &Committed, approved: Option<&str>, work_tree: Option<&str>) -> Source {
    if let Committed::File { blob, sha256, .. } = committed {
        if approved.is_none_or(|a| a == sha256) {
            return if work_tree == Some(sha256.as_str()) { Source::WorkTree } else { Source::Blob(*blob) };
        }
    }
    match approved {
        Some(a) if work_tree == Some(a) => Source::WorkTree,
        _ => Source::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(sha: &str) -> Committed {
        Committed::File { blob: gix::ObjectId::null(gix::hash::Kind::Sha1), size: 1, sha256: sha.to_string() }
    }

    #[test]
    fn the_commit_serves_unless_the_ledger_disowns_it() {
        let blob = Source::Blob(gix::ObjectId::null(gix::hash::Kind::Sha1));
        // No ledger hash: the commit's bytes are the approved ones.
        assert_eq!(source(&file("a"), None, Some("a")), Source::WorkTree);
        assert_eq!(source(&file("a"), None, Some("b")), blob);
        assert_eq!(source(&file("a"), None, None), blob);
        // The ledger agrees with the commit.
        assert_eq!(source(&file("a"), Some("a"), Some("b")), blob);
        // The ledger disowns the commit's bytes: only a work tree copy it proves serves.
        assert_eq!(source(&file("a"), Some("b"), Some("b")), Source::WorkTree);
        assert_eq!(source(&file("a"), Some("b"), Some("c")), Source::None);
        // Not committed: the work tree serves only when the ledger proves it.
        let absent = Committed::Absent("not in that commit".to_string());
        assert_eq!(source(&absent, Some("b"), Some("b")), Source::WorkTree);
        assert_eq!(source(&absent, None, Some("b")), Source::None);
    }

    #[test]
    fn attachment_entries_resolve_as_the_link_stage_does() {
        assert_eq!(content_rel("evidence/", "a/b.csv").as_deref(), Some("evidence/a/b.csv"));
        assert_eq!(content_rel("evidence", "./a/../b.csv").as_deref(), Some("evidence/b.csv"));
        for bad in ["/etc/passwd", "../secret", "c:x", "_private/x", ".hidden", "", "a\nb.csv", "a\\b.csv"] {
            assert_eq!(content_rel("evidence", bad), None, "{bad}");
        }
    }
}
