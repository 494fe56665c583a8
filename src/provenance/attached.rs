//! Files as a commit held them: the attachments of a committed version (the version in force
//! while its successor is drafted) are looked up in the last commit that held that version, by
//! content-relative path, hashed, and later copied into the site from their blobs. Only regular
//! blobs count: a link or a submodule in the commit's tree is never followed, and nothing
//! outside the content subtree is read.

use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::repo::GitRepo;
use super::RepoLocation;
use crate::util::sha256_hex;

/// Attachments larger than this are not read from git (the blob is inflated in memory).
pub(crate) const MAX_ATTACHMENT_BYTES: u64 = 256 << 20;

/// One file as a commit held it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Committed {
    /// A regular file: its blob, size and SHA-256.
    File { blob: ObjectId, size: u64, sha256: String },
    /// No bytes can be read, and why (absent, not a regular file, too large, unreadable).
    Absent(String),
}

impl Committed {
    /// The SHA-256, when the commit holds the file.
    pub(crate) fn sha256(&self) -> Option<&str> {
        match self {
            Committed::File { sha256, .. } => Some(sha256),
            Committed::Absent(_) => None,
        }
    }
}

/// Each of `paths` (content-relative, `/`-separated) as commit `commit` held it.
pub(crate) fn files_at(at: &RepoLocation, commit: ObjectId, paths: &[String]) -> Vec<Committed> {
    let repo = match GitRepo::reopen(at) {
        Ok(repo) => repo,
        Err(e) => {
            return paths.iter().map(|_| Committed::Absent(format!("the repository cannot be read: {e}"))).collect()
        }
    };
    paths.iter().map(|p| file_at(&repo, commit, p)).collect()
}

fn file_at(repo: &GitRepo, commit: ObjectId, path: &str) -> Committed {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let entry = repo
        .subtree(commit, dir)
        .and_then(|tree| tree.map(|t| repo.entries(t)).transpose())
        .map(|entries| entries.and_then(|es| es.into_iter().find(|e| e.name == name)));
    let entry = match entry {
        Ok(Some(e)) => e,
        Ok(None) => return Committed::Absent("not in that commit".to_string()),
        Err(e) => return Committed::Absent(format!("cannot be read: {e}")),
    };
    if !matches!(entry.kind, EntryKind::Blob | EntryKind::BlobExecutable) {
        return Committed::Absent("not a regular file in that commit".to_string());
    }
    match repo.blob(entry.oid, MAX_ATTACHMENT_BYTES) {
        Ok(bytes) => Committed::File { blob: entry.oid, size: bytes.len() as u64, sha256: sha256_hex(&bytes) },
        Err(e) => Committed::Absent(format!("cannot be read: {e}")),
    }
}

/// The bytes of blob `blob` (a [`Committed::File`]'s), to copy into the site.
pub(crate) fn blob_bytes(at: &RepoLocation, blob: ObjectId) -> anyhow::Result<Vec<u8>> {
    GitRepo::reopen(at)?.blob(blob, MAX_ATTACHMENT_BYTES)
}
