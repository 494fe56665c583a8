//! `export_commit`: the content subtree of one commit written into an empty folder (for
//! `build --as-of`, `aimsdoc diff REV` and `build --changes-since REV`). Only regular files and
//! folders are written; symlinks and submodules in the tree are skipped, never followed or
//! recreated; every file is created new (`create_new`), so nothing is written through a link,
//! and a name that could leave the folder (`..`, a separator) is refused.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::Path;

use anyhow::{bail, Context as _};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::repo::GitRepo;
use super::versions::MAX_BLOB_BYTES;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exported {
    /// The commit exported.
    pub commit: String,
    /// Files written.
    pub files: usize,
    /// Symlinks and submodules skipped.
    pub skipped: usize,
}

/// Writes the content subtree (the part of the repository under `root`) of revision `rev` into
/// `dest`, which must be an existing empty folder (the tests' entry point; the commands resolve
/// the revision themselves, to name it in their errors, and call [`export_commit`]).
#[cfg(test)]
pub(crate) fn export_tree(root: &Path, rev: &str, dest: &Path) -> anyhow::Result<Exported> {
    let Some(repo) = GitRepo::open(root)? else {
        bail!("`{}` is not in a git repository", root.display());
    };
    let commit = repo.resolve(rev)?;
    export_commit(&repo, commit, dest)
}

/// [`export_tree`] of an already resolved commit.
pub(crate) fn export_commit(repo: &GitRepo, commit: ObjectId, dest: &Path) -> anyhow::Result<Exported> {
    if fs::read_dir(dest).with_context(|| format!("cannot open `{}`", dest.display()))?.next().is_some() {
        bail!("`{}` is not empty", dest.display());
    }
    let mut out = Exported { commit: commit.to_string(), files: 0, skipped: 0 };
    if let Some(tree) = repo.subtree(commit, "")? {
        write_tree(repo, tree, dest, &mut out)?;
    }
    Ok(out)
}

fn write_tree(repo: &GitRepo, tree: ObjectId, dir: &Path, out: &mut Exported) -> anyhow::Result<()> {
    for e in repo.entries(tree)? {
        if !safe_name(&e.name) {
            bail!("the tree holds a file named {:?}, which cannot be written safely", e.name);
        }
        let path = dir.join(&e.name);
        match e.kind {
            EntryKind::Tree => {
                fs::create_dir(&path).with_context(|| format!("cannot create `{}`", path.display()))?;
                write_tree(repo, e.oid, &path, out)?;
            }
            EntryKind::Blob | EntryKind::BlobExecutable => {
                let bytes = repo.blob(e.oid, MAX_BLOB_BYTES)?;
                let mut f = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .with_context(|| format!("cannot create `{}`", path.display()))?;
                f.write_all(&bytes).with_context(|| format!("cannot write `{}`", path.display()))?;
                out.files += 1;
            }
            EntryKind::Link | EntryKind::Commit => out.skipped += 1,
        }
    }
    Ok(())
}

/// A single path component that stays inside its folder.
fn safe_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn names_that_could_leave_the_folder_are_refused() {
        assert!(safe_name("a.md"));
        assert!(safe_name(".gitignore"));
        for bad in ["", ".", "..", "a/b", "a\\b", "a\0"] {
            assert!(!safe_name(bad), "{bad:?}");
        }
    }
}
