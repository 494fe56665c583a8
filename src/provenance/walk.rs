//! The commits reachable from HEAD and, for each, the document files it changed: the documents
//! folder of each commit is compared with its parents' tree by tree, descending only where the
//! tree ids differ (so an unchanged folder costs one comparison). A merge counts a file as
//! changed only when it differs from every parent (as `git log` does). Only regular `.md` blobs
//! with names the loader would read count; links and submodules are never followed.

use std::collections::HashMap;

use anyhow::anyhow;
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::repo::GitRepo;

/// A document file's new content in one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// Index into [`Walked::commits`].
    pub commit: usize,
    /// Content-relative path (`documents/...`).
    pub path: String,
    /// The new blob.
    pub blob: ObjectId,
}

/// Every commit (oldest first) and every document change.
pub(crate) struct Walked {
    /// Commits, oldest first.
    pub commits: Vec<ObjectId>,
    /// Changes, in commit order.
    pub changes: Vec<Change>,
    /// Per commit (parallel to `commits`), its first parent, if any.
    pub first_parents: Vec<Option<ObjectId>>,
}

/// Walks the history from commit `head`.
pub(crate) fn walk(repo: &GitRepo, docs_dir: &str, head: ObjectId) -> anyhow::Result<Walked> {
    let sorting = gix::revision::walk::Sorting::ByCommitTime(Default::default());
    let mut newest_first = Vec::new();
    for info in repo.repo.rev_walk([head]).sorting(sorting).all().map_err(|e| anyhow!("{e}"))? {
        let info = info.map_err(|e| anyhow!("{e}"))?;
        newest_first.push((info.id, info.parent_ids.iter().copied().collect::<Vec<_>>()));
    }
    newest_first.reverse();
    let mut subtrees = Subtrees { repo, docs_dir, cache: HashMap::new() };
    let n = newest_first.len();
    let mut out = Walked { commits: Vec::with_capacity(n), changes: Vec::new(), first_parents: Vec::with_capacity(n) };
    for (index, (id, parents)) in newest_first.into_iter().enumerate() {
        out.commits.push(id);
        out.first_parents.push(parents.first().copied());
        for (path, blob) in changed_in(&mut subtrees, id, &parents)? {
            out.changes.push(Change { commit: index, path, blob });
        }
    }
    Ok(out)
}

/// The documents subtree of each commit, looked up once.
struct Subtrees<'a> {
    repo: &'a GitRepo,
    docs_dir: &'a str,
    cache: HashMap<ObjectId, Option<ObjectId>>,
}

impl Subtrees<'_> {
    fn of(&mut self, commit: ObjectId) -> anyhow::Result<Option<ObjectId>> {
        if let Some(t) = self.cache.get(&commit) {
            return Ok(*t);
        }
        let t = self.repo.subtree(commit, self.docs_dir)?;
        self.cache.insert(commit, t);
        Ok(t)
    }
}

/// The document files commit `id` changed relative to all of its parents.
fn changed_in(trees: &mut Subtrees, id: ObjectId, parents: &[ObjectId]) -> anyhow::Result<Vec<(String, ObjectId)>> {
    let new = trees.of(id)?;
    let olds = parents.iter().map(|p| trees.of(*p)).collect::<anyhow::Result<Vec<_>>>()?;
    if olds.contains(&new) {
        return Ok(Vec::new());
    }
    let base = trees.docs_dir.trim_end_matches('/');
    let mut per_parent = Vec::new();
    for old in olds.iter().copied().chain(parents.is_empty().then_some(None)) {
        let mut out = Vec::new();
        diff(trees.repo, old, new, base, &mut out)?;
        per_parent.push(out);
    }
    let mut iter = per_parent.into_iter();
    let first = iter.next().unwrap_or_default();
    let rest: Vec<_> = iter.collect();
    Ok(first.into_iter().filter(|c| rest.iter().all(|r| r.contains(c))).collect())
}

/// Appends the document blobs of `new` that differ from `old` (both trees at folder `base`).
fn diff(
    repo: &GitRepo,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    base: &str,
    out: &mut Vec<(String, ObjectId)>,
) -> anyhow::Result<()> {
    let Some(new) = new else { return Ok(()) };
    if old == Some(new) {
        return Ok(());
    }
    let old_entries: HashMap<String, (EntryKind, ObjectId)> = match old {
        Some(old) => repo.entries(old)?.into_iter().map(|e| (e.name, (e.kind, e.oid))).collect(),
        None => HashMap::new(),
    };
    for e in repo.entries(new)? {
        if e.name.starts_with('.') || e.name.starts_with('_') {
            continue; // the loader skips hidden and `_` names
        }
        let path = if base.is_empty() { e.name.clone() } else { format!("{base}/{}", e.name) };
        let before = old_entries.get(&e.name).filter(|(k, _)| *k == e.kind).map(|(_, o)| *o);
        match e.kind {
            EntryKind::Tree => diff(repo, before, Some(e.oid), &path, out)?,
            EntryKind::Blob | EntryKind::BlobExecutable if e.name.ends_with(".md") && before != Some(e.oid) => {
                out.push((path, e.oid));
            }
            _ => {} // links, submodules and unchanged files
        }
    }
    Ok(())
}

/// Every document file (path and blob) of commit `commit`'s documents folder.
pub(crate) fn files_at(repo: &GitRepo, commit: ObjectId, docs_dir: &str) -> anyhow::Result<Vec<(String, ObjectId)>> {
    let mut out = Vec::new();
    let tree = repo.subtree(commit, docs_dir)?;
    diff(repo, None, tree, docs_dir.trim_end_matches('/'), &mut out)?;
    Ok(out)
}
