//! Which files of the content tree a `.gitignore` excludes. The documents walk skips them (the
//! `ignore` crate's walker); links and attachments into the evidence folder are checked here, so
//! a file the repository never tracks (a local `.env`, a build artefact) is never published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// Largest `.gitignore` read; a bigger one is not read into memory, and counts as unreadable.
const MAX_GITIGNORE_BYTES: u64 = 1 << 20;

/// A folder's matcher: `None` when it has no `.gitignore`; `Err` (why) when it has one that
/// cannot be read, which makes every file below it unpublishable rather than silently public.
type Matcher = Result<Option<Arc<Gitignore>>, String>;

/// `.gitignore` matchers of the content tree, read on demand, one per folder.
#[derive(Debug, Default)]
pub(crate) struct Ignored {
    root: Option<PathBuf>,
    by_dir: Mutex<HashMap<PathBuf, Matcher>>,
}

impl Ignored {
    /// Matchers for the tree at canonical `root` (none when the root could not be opened).
    pub(crate) fn new(root: Option<&Path>) -> Ignored {
        Ignored { root: root.map(Path::to_path_buf), by_dir: Mutex::default() }
    }

    /// Whether content-relative file `rel` is excluded by a `.gitignore` in the root or in any
    /// folder on its way; the deepest file that decides wins, as in git. `Err` says why it cannot
    /// be told: a `.gitignore` on the way that cannot be read (its rules are unknown, so the file
    /// must not be published as if it had none).
    pub(crate) fn is_ignored(&self, rel: &str) -> Result<bool, String> {
        let Some(root) = &self.root else {
            return Ok(false);
        };
        let path = root.join(rel);
        let mut dirs: Vec<PathBuf> =
            path.ancestors().skip(1).take_while(|d| d.starts_with(root)).map(Path::to_path_buf).collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in dirs {
            let Some(matcher) = self.matcher(&dir)? else {
                continue;
            };
            match matcher.matched_path_or_any_parents(&path, false) {
                Match::Ignore(_) => return Ok(true),
                Match::Whitelist(_) => return Ok(false),
                Match::None => {}
            }
        }
        Ok(false)
    }

    fn matcher(&self, dir: &Path) -> Matcher {
        let mut cache = self.by_dir.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let shown = dir.strip_prefix(self.root.as_deref().unwrap_or(dir)).unwrap_or(dir);
        cache.entry(dir.to_path_buf()).or_insert_with(|| read_matcher(dir, shown)).clone()
    }
}

/// The matcher of `dir/.gitignore` (`shown` is `dir` relative to the content root, for the
/// message): `None` when there is none; `Err` when there is one that is not a regular file (a
/// link, a folder) or cannot be read.
fn read_matcher(dir: &Path, shown: &Path) -> Matcher {
    let path = dir.join(".gitignore");
    let unknown = |why: String| {
        format!("`{}` {why}, so aimsdoc cannot tell whether it excludes this file", shown.join(".gitignore").display())
    };
    let bytes = match crate::contain::read_regular(&path, MAX_GITIGNORE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unknown(format!("cannot be read ({e})"))),
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut builder = GitignoreBuilder::new(dir);
    for line in text.lines() {
        // A malformed pattern is skipped, as git does.
        let _ = builder.add_line(None, line);
    }
    // The patterns are fine one by one, but the whole set can still be too large to compile.
    builder.build().map(|m| Some(Arc::new(m))).map_err(|e| unknown(format!("cannot be used ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_gitignores_decide_deepest_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("evidence/keep")).expect("mkdir");
        std::fs::write(root.join(".gitignore"), "*.env\nsecret/\n").expect("write");
        std::fs::write(root.join("evidence/keep/.gitignore"), "!local.env\n").expect("write");
        let ignored = Ignored::new(Some(&root));
        assert_eq!(ignored.is_ignored("evidence/a.env"), Ok(true));
        assert_eq!(ignored.is_ignored("evidence/secret/x.csv"), Ok(true));
        assert_eq!(ignored.is_ignored("evidence/a.csv"), Ok(false));
        assert_eq!(ignored.is_ignored("evidence/keep/local.env"), Ok(false));
        assert_eq!(Ignored::new(None).is_ignored("evidence/a.env"), Ok(false));
    }

    #[test]
    fn an_unreadable_gitignore_is_not_taken_as_absent() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("evidence/.gitignore")).expect("a folder where the file should be");
        let ignored = Ignored::new(Some(&root));
        let why = ignored.is_ignored("evidence/a.env").expect_err("unknown rules");
        assert!(why.contains("`evidence/.gitignore` cannot be read"), "{why}");
        assert_eq!(ignored.is_ignored("other/a.env"), Ok(false));
    }
}
