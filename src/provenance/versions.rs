//! From the walk to each document's history: every changed blob is read once (in parallel) and
//! its front matter's `id`, `version` and `status` taken (a blob that does not parse is skipped: it was
//! never a readable version); then per id, oldest first, the commit where each version first
//! appeared and the last committed (and last approved) state of each version.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use gix::ObjectId;
use rayon::prelude::*;

use super::repo::GitRepo;
use super::walk::{self, Walked};
use super::{CommitInfo, DocHistory, History, Snapshot, VersionInfo};
use crate::config::Config;
use crate::content::frontmatter;
use crate::content::types::Status;
use crate::yaml::{self, Limits};

/// The largest committed file read for an export or a change check (front matter and hashes
/// only). A committed document is read as a version only up to the work tree's cap
/// (`content::load::MAX_DOCUMENT_BYTES`), since its body is rendered.
pub(crate) const MAX_BLOB_BYTES: u64 = 64 << 20;

/// The fields of a committed document file that history needs.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub id: String,
    pub version: String,
    pub status: Option<Status>,
    pub classification: Option<String>,
    pub text: Arc<str>,
}

/// Reads the history; `None` before the first commit.
pub(crate) fn history(repo: &GitRepo, config: &Config, tip: Option<ObjectId>) -> anyhow::Result<Option<History>> {
    let docs_dir = config.paths.documents.trim_end_matches('/');
    let Some(tip) = tip.or_else(|| repo.head()) else { return Ok(None) };
    let walked = walk::walk(repo, docs_dir, tip)?;
    let infos = walked.commits.iter().map(|c| repo.commit_info(*c)).collect::<anyhow::Result<Vec<_>>>()?;
    let heads = read_heads(repo, &walked)?;
    let mut per_id: BTreeMap<String, Vec<(usize, String, Head)>> = BTreeMap::new();
    for change in &walked.changes {
        if let Some(Some(head)) = heads.get(&change.blob) {
            per_id.entry(head.id.clone()).or_default().push((change.commit, change.path.clone(), head.clone()));
        }
    }
    let docs = per_id.into_iter().map(|(id, events)| (id, doc_history(&infos, &walked, tip, events))).collect();
    let head = head_info(&walked, &infos);
    Ok(Some(History { docs, head, repo: Some(repo.location()) }))
}

fn head_info(walked: &Walked, infos: &[CommitInfo]) -> Option<CommitInfo> {
    walked.commits.len().checked_sub(1).map(|last| infos[last].clone())
}

/// Every changed blob read once, in parallel: inflating and parsing 10,000 blobs is most of the
/// cost of reading history. Each chunk opens its own handle on the repository (gix is built
/// without its `parallel` feature, so a handle cannot cross threads); the result is a map, so
/// the order of reading is not seen.
fn read_heads(repo: &GitRepo, walked: &Walked) -> anyhow::Result<HashMap<ObjectId, Option<Head>>> {
    let mut blobs: Vec<ObjectId> = walked.changes.iter().map(|c| c.blob).collect();
    blobs.sort_unstable();
    blobs.dedup();
    let git_dir = repo.repo.path();
    let chunk = blobs.len().div_ceil(rayon::current_num_threads() * 4).max(64);
    let read_chunk = |ids: &[ObjectId]| -> anyhow::Result<Vec<(ObjectId, Option<Head>)>> {
        let mut local = gix::open(git_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
        local.object_cache_size_if_unset(4 * 1024 * 1024);
        let local = GitRepo { repo: local, prefix: Vec::new() };
        Ok(ids.iter().map(|id| (*id, read_head(&local, *id))).collect())
    };
    let chunks: Vec<_> = blobs.par_chunks(chunk).map(read_chunk).collect::<anyhow::Result<_>>()?;
    Ok(chunks.into_iter().flatten().collect())
}

/// The id, version and status of blob `id`, if it is a readable document.
fn read_head(repo: &GitRepo, id: ObjectId) -> Option<Head> {
    let bytes = repo.blob(id, crate::content::load::MAX_DOCUMENT_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let fields = fields(&text, &["id", "version", "status", "classification"])?;
    let [id, version, status, classification] = fields;
    let status = status.and_then(|s| Status::parse(&s));
    Some(Head { id: id?, version: version?, status, classification, text: Arc::from(text) })
}

/// The `id`, `version` and `status` of a document's front matter, when it has an id and a version.
pub(crate) fn parse_head(text: &str) -> Option<(String, String, Option<Status>)> {
    let [id, version, status] = fields(text, &["id", "version", "status"])?;
    Some((id?, version?, status.and_then(|s| Status::parse(&s))))
}

/// The scalar front matter fields `keys` of a document's text; `None` when it has no readable
/// front matter.
fn fields<const N: usize>(text: &str, keys: &[&str; N]) -> Option<[Option<String>; N]> {
    let split = frontmatter::split(text).ok()?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default()).ok()??;
    Some(keys.map(|k| root.get(k).and_then(|n| n.as_str()).map(str::to_string)))
}

/// One id's history from its changes (in commit order, oldest first).
fn doc_history(infos: &[CommitInfo], walked: &Walked, tip: ObjectId, events: Vec<(usize, String, Head)>) -> DocHistory {
    let mut commits: Vec<CommitInfo> = Vec::new();
    let mut versions: Vec<VersionInfo> = Vec::new();
    let held: Vec<ObjectId> = (0..events.len()).map(|j| held_until(walked, tip, &events, j)).collect();
    for ((commit, path, head), held_until) in events.into_iter().zip(held) {
        let info = &infos[commit];
        if commits.last() != Some(info) {
            commits.push(info.clone());
        }
        let snapshot = Snapshot {
            commit: info.clone(),
            path,
            text: head.text,
            status: head.status,
            classification: head.classification,
            held_until,
        };
        let approved = head.status.is_some_and(Status::needs_approval).then(|| snapshot.clone());
        match versions.iter_mut().find(|v| v.version == head.version) {
            Some(v) => {
                v.last = snapshot;
                if approved.is_some() {
                    v.approved = approved;
                }
            }
            None => versions.push(VersionInfo { version: head.version, first: info.clone(), approved, last: snapshot }),
        }
    }
    commits.reverse();
    versions.reverse();
    DocHistory { commits, versions }
}

/// The last commit whose tree still held the state event `j` committed: the first parent of the
/// next commit that changed the document again, else the tip.
fn held_until(walked: &Walked, tip: ObjectId, events: &[(usize, String, Head)], j: usize) -> ObjectId {
    let commit = events[j].0;
    events[j + 1..]
        .iter()
        .find(|e| e.0 > commit)
        .and_then(|e| walked.first_parents.get(e.0).copied().flatten())
        .unwrap_or(tip)
}
