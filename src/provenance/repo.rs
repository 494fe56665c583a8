//! The repository holding the content root: found upwards from the root (honouring git's
//! `GIT_CEILING_DIRECTORIES`, never `GIT_DIR`), the root's place inside its work tree, and the
//! reads every other part of `provenance` makes: commits, the content subtree of a commit, blobs.
//! Nothing outside the content subtree of a commit is ever read.

use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail, Context as _};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::{utc_date, CommitInfo};
use crate::content::types::Date;

/// The repository and where the content root lies in it.
pub(crate) struct GitRepo {
    /// The repository (thread-local handle).
    pub repo: gix::Repository,
    /// The content root's path components inside the work tree (empty: the root is the work tree).
    pub prefix: Vec<String>,
}

/// One entry of a tree: its name, kind and object.
pub(crate) struct Entry {
    pub name: String,
    pub kind: EntryKind,
    pub oid: ObjectId,
}

impl GitRepo {
    /// Opens the repository whose work tree contains `root`; `Ok(None)` when there is none.
    pub(crate) fn open(root: &Path) -> anyhow::Result<Option<GitRepo>> {
        let root = root.canonicalize().with_context(|| format!("cannot open `{}`", root.display()))?;
        let options = gix::discover::upwards::Options::default();
        use gix::discover::upwards::Error as NotFound;
        let repo = match gix::ThreadSafeRepository::discover_opts(&root, options, Default::default()) {
            Ok(repo) => repo.to_thread_local(),
            Err(e) => match e.downcast_any_ref::<NotFound>() {
                Some(NotFound::NoGitRepository { .. } | NotFound::NoGitRepositoryWithinCeiling { .. }) => {
                    return Ok(None)
                }
                Some(NotFound::NoGitRepositoryWithinFs { .. }) => return Ok(None),
                _ => return Err(anyhow!("{e}")),
            },
        };
        let Some(workdir) = repo.workdir() else {
            return Ok(None); // a bare repository has no work tree the root could be in
        };
        let workdir = workdir.canonicalize().with_context(|| format!("cannot open `{}`", workdir.display()))?;
        if beyond_ceiling(&root, &workdir) {
            return Ok(None);
        }
        let rel = root.strip_prefix(&workdir).map_err(|_| anyhow!("the content root is outside the work tree"))?;
        let prefix = rel
            .components()
            .map(|c| match c {
                Component::Normal(s) => s.to_str().map(str::to_string).context("a folder name is not UTF-8"),
                _ => bail!("unexpected path component"),
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut repo = repo;
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        Ok(Some(GitRepo { repo, prefix }))
    }

    /// Where this repository is, to open it again later (from any thread).
    pub(crate) fn location(&self) -> super::RepoLocation {
        super::RepoLocation { git_dir: self.repo.path().to_path_buf(), prefix: self.prefix.clone() }
    }

    /// Opens the repository at `at` again.
    pub(crate) fn reopen(at: &super::RepoLocation) -> anyhow::Result<GitRepo> {
        let mut repo = gix::open(&at.git_dir).map_err(|e| anyhow!("{e}"))?;
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        Ok(GitRepo { repo, prefix: at.prefix.clone() })
    }

    /// The commit HEAD points at; `None` before the first commit.
    pub(crate) fn head(&self) -> Option<ObjectId> {
        self.repo.head_id().ok().map(|id| id.detach())
    }

    /// Resolves a revision (`main`, `HEAD~3`, a hash) to a commit.
    pub(crate) fn resolve(&self, rev: &str) -> anyhow::Result<ObjectId> {
        let id = self
            .repo
            .rev_parse_single(rev)
            .map_err(|e| anyhow!("`{rev}` is not a revision of this repository: {e}"))?;
        let commit = id.object().map_err(|e| anyhow!("{e}"))?.peel_to_commit().map_err(|e| anyhow!("{e}"))?;
        Ok(commit.id)
    }

    /// The commit's shown identity.
    pub(crate) fn commit_info(&self, id: ObjectId) -> anyhow::Result<CommitInfo> {
        let commit = self.repo.find_commit(id).map_err(|e| anyhow!("{e}"))?;
        let author = commit.author().map_err(|e| anyhow!("{e}"))?;
        let time = author.time().map_err(|e| anyhow!("{e}"))?.seconds;
        let hash = id.to_string();
        Ok(CommitInfo {
            short: hash[..10.min(hash.len())].to_string(),
            hash,
            author: author.name.to_string().trim().to_string(),
            date: utc_date(time).map(|d| d.to_string()).unwrap_or_default(),
            time,
        })
    }

    /// The tree at content-relative folder `sub` (`""`: the content root) of commit `id`.
    pub(crate) fn subtree(&self, id: ObjectId, sub: &str) -> anyhow::Result<Option<ObjectId>> {
        let commit = self.repo.find_commit(id).map_err(|e| anyhow!("{e}"))?;
        let mut tree = commit.tree_id().map_err(|e| anyhow!("{e}"))?.detach();
        let parts = self.prefix.iter().map(String::as_str).chain(sub.split('/').filter(|s| !s.is_empty()));
        for part in parts {
            match self.entries(tree)?.into_iter().find(|e| e.name == part) {
                Some(e) if e.kind == EntryKind::Tree => tree = e.oid,
                _ => return Ok(None),
            }
        }
        Ok(Some(tree))
    }

    /// The entries of tree `id` whose names are UTF-8 (others cannot be content paths).
    pub(crate) fn entries(&self, id: ObjectId) -> anyhow::Result<Vec<Entry>> {
        let tree = self.repo.find_tree(id).map_err(|e| anyhow!("{e}"))?;
        let decoded = tree.decode().map_err(|e| anyhow!("{e}"))?;
        Ok(decoded
            .entries
            .iter()
            .filter_map(|e| {
                let name = std::str::from_utf8(e.filename.as_ref()).ok()?.to_string();
                Some(Entry { name, kind: e.mode.kind(), oid: e.oid.to_owned() })
            })
            .collect())
    }

    /// The bytes of blob `id`, refused past `max` bytes.
    pub(crate) fn blob(&self, id: ObjectId, max: u64) -> anyhow::Result<Vec<u8>> {
        let header = self.repo.find_header(id).map_err(|e| anyhow!("{e}"))?;
        if header.size() > max {
            bail!("blob {id} is {} bytes, over the limit of {max}", header.size());
        }
        let blob = self.repo.find_blob(id).map_err(|e| anyhow!("{e}"))?;
        Ok(blob.data.clone())
    }
}

/// Whether git would not have found a repository whose work tree is `workdir` from `root`:
/// `GIT_CEILING_DIRECTORIES` names a folder above `root` at or below `workdir` (git never
/// climbs into a ceiling folder).
fn beyond_ceiling(root: &Path, workdir: &Path) -> bool {
    let Some(dirs) = std::env::var_os("GIT_CEILING_DIRECTORIES") else { return false };
    let ceilings: Vec<PathBuf> =
        std::env::split_paths(&dirs).filter(|c| c.is_absolute()).filter_map(|c| c.canonicalize().ok()).collect();
    beyond_ceiling_of(root, workdir, &ceilings)
}

/// [`beyond_ceiling`] with the (canonical) ceiling folders given.
pub(crate) fn beyond_ceiling_of(root: &Path, workdir: &Path, ceilings: &[PathBuf]) -> bool {
    ceilings.iter().any(|c| root != c && root.starts_with(c) && c.starts_with(workdir))
}

/// The newest commit reachable from HEAD whose commit date is on or before `date` (UTC).
pub(crate) fn commit_on_or_before(repo: &GitRepo, date: Date) -> anyhow::Result<Option<ObjectId>> {
    // Commit (not author) dates: what the repository held on that day, rebases included.
    let Some(head) = repo.head() else { return Ok(None) };
    let sorting = gix::revision::walk::Sorting::ByCommitTime(Default::default());
    let walk = repo.repo.rev_walk([head]).sorting(sorting).all().map_err(|e| anyhow!("{e}"))?;
    for info in walk {
        let info = info.map_err(|e| anyhow!("{e}"))?;
        let commit = repo.repo.find_commit(info.id).map_err(|e| anyhow!("{e}"))?;
        let seconds = commit.time().map_err(|e| anyhow!("{e}"))?.seconds;
        if utc_date(seconds).is_some_and(|d| d <= date) {
            return Ok(Some(info.id));
        }
    }
    Ok(None)
}
