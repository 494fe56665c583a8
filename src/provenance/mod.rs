//! Provenance from git: the content root's repository, read in-process with gitoxide (no `git`
//! binary, no network). Per document id: the commits that changed its file, and for each version
//! the commit where `version` first took that value and the last committed text of that version
//! (rendered as the superseded version's page and diffed into redlines).
//!
//! The repository may be the content root or an ancestor of it; only the content subtree of each
//! commit is read, symlinks in trees are never followed, and a tree that is not a repository
//! builds as before with a notice ([`Provenance::Unavailable`]). A dirty work tree is built from
//! its files; history comes from commits only.

pub(crate) mod attached;
mod changed;
mod export;
pub(crate) mod manifest;
pub(crate) mod repo;
mod versions;
mod walk;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::content::types::{Date, Status};

pub(crate) use changed::changed_since;
pub(crate) use export::export_commit;
#[cfg(test)]
pub(crate) use export::export_tree;
pub(crate) use repo::{commit_on_or_before, GitRepo};

/// One commit, as the portal shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CommitInfo {
    /// Full hex object id.
    pub hash: String,
    /// The first 10 hex digits.
    pub short: String,
    /// The author's name (e-mail addresses are not published).
    pub author: String,
    /// Author date (UTC), `YYYY-MM-DD`.
    pub date: String,
    /// Author time, seconds since the epoch (for ordering; not shown).
    #[serde(skip)]
    pub time: i64,
}

/// A document's file as committed at one commit.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    /// The commit.
    pub commit: CommitInfo,
    /// Content-relative path of the file in that commit.
    pub path: String,
    /// The file's text.
    pub text: Arc<str>,
    /// Its status then (`None` when unreadable).
    pub status: Option<Status>,
    /// Its classification then, if written.
    pub classification: Option<String>,
    /// The last commit whose tree still held this state of the file (the first parent of the
    /// next commit that changed the document, else the commit history was read at): the
    /// attachments of this state are read from it.
    pub held_until: gix::ObjectId,
}

/// One version of a document as git knows it.
#[derive(Debug, Clone)]
pub(crate) struct VersionInfo {
    /// The version as written.
    pub version: String,
    /// The commit where `version` first took this value.
    pub first: CommitInfo,
    /// The last committed state of this version whose status was approved (or superseded).
    pub approved: Option<Snapshot>,
    /// The last committed state of this version, whatever its status.
    pub last: Snapshot,
}

/// What git knows about one document id.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocHistory {
    /// The commits that changed its file, newest first.
    pub commits: Vec<CommitInfo>,
    /// Its versions, newest first (in order of first appearance).
    pub versions: Vec<VersionInfo>,
}

impl DocHistory {
    /// The version `version`, if committed.
    pub(crate) fn version(&self, version: &str) -> Option<&VersionInfo> {
        self.versions.iter().find(|v| v.version == version)
    }
}

/// The history of every document id of the content tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    /// Per document id.
    pub docs: BTreeMap<String, DocHistory>,
    /// The commit the history was read at (HEAD).
    pub head: Option<CommitInfo>,
    /// Where the repository is, for reads after the history (a committed version's attachments).
    pub repo: Option<RepoLocation>,
}

/// A repository's folder and the content root's place in its work tree.
#[derive(Debug, Clone)]
pub(crate) struct RepoLocation {
    /// The `.git` folder.
    pub git_dir: std::path::PathBuf,
    /// The content root's path components inside the work tree.
    pub prefix: Vec<String>,
}

/// Whether git history could be read, and if not why.
#[derive(Debug, Clone)]
pub(crate) enum Provenance {
    /// Read from the repository.
    Available(History),
    /// Not a repository (or no commits): the tree builds as before; the reason is a notice.
    Unavailable(String),
}

impl Default for Provenance {
    fn default() -> Self {
        Provenance::Unavailable("history not read".to_string())
    }
}

impl Provenance {
    /// The history, or an empty one.
    pub(crate) fn history(&self) -> Option<&History> {
        match self {
            Provenance::Available(h) => Some(h),
            Provenance::Unavailable(_) => None,
        }
    }

    /// The history of document `id`, if any.
    pub(crate) fn doc(&self, id: &str) -> Option<&DocHistory> {
        self.history().and_then(|h| h.docs.get(id))
    }
}

/// Reads the history of the documents under `root` (its `paths.documents` folder) from the
/// repository containing it. Never fails: problems make the history unavailable, with the reason.
pub(crate) fn read(root: &Path, config: &Config) -> Provenance {
    read_at(root, config, None)
}

/// [`read`] as of commit `tip` (HEAD when `None`): only commits reachable from it count.
pub(crate) fn read_at(root: &Path, config: &Config, tip: Option<gix::ObjectId>) -> Provenance {
    let repo = match GitRepo::open(root) {
        Ok(Some(repo)) => repo,
        Ok(None) => return Provenance::Unavailable("the content root is not in a git repository".to_string()),
        Err(e) => return Provenance::Unavailable(format!("cannot read the git repository: {e:#}")),
    };
    match versions::history(&repo, config, tip) {
        Ok(Some(h)) => Provenance::Available(h),
        Ok(None) => Provenance::Unavailable("the git repository has no commits yet".to_string()),
        Err(e) => Provenance::Unavailable(format!("cannot read the git history: {e:#}")),
    }
}

/// `YYYY-MM-DD` (UTC) of a time in seconds since the epoch.
pub(crate) fn utc_date(seconds: i64) -> Option<Date> {
    jiff::Timestamp::from_second(seconds).ok().map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
}

#[cfg(test)]
mod tests;
