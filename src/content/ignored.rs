//! Which files of the content tree a `.gitignore` excludes. The documents walk skips them (the
//! `ignore` crate's walker); links and attachments into the evidence folder are checked here, so
//! a file the repository never tracks (a local `.env`, a build artefact) is never published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// Largest `.gitignore` read; a bigger one is treated as absent rather than read into memory.
const MAX_GITIGNORE_BYTES: u64 = 1 << 20;

/// `.gitignore` matchers of the content tree, read on demand, one per folder.
#[derive(Debug, Default)]
pub struct Ignored {
    root: Option<PathBuf>,
    by_dir: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
}

impl Ignored {
    /// Matchers for the tree at canonical `root` (none when the root could not be opened).
    pub fn new(root: Option<&Path>) -> Ignored {
        Ignored { root: root.map(Path::to_path_buf), by_dir: Mutex::default() }
    }

    /// Whether content-relative file `rel` is excluded by a `.gitignore` in the root or in any
    /// folder on its way; the deepest file that decides wins, as in git.
    pub fn is_ignored(&self, rel: &str) -> bool {
        let Some(root) = &self.root else {
            return false;
        };
        let path = root.join(rel);
        let mut dirs: Vec<PathBuf> =
            path.ancestors().skip(1).take_while(|d| d.starts_with(root)).map(Path::to_path_buf).collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in dirs {
            let Some(matcher) = self.matcher(&dir) else {
                continue;
            };
            match matcher.matched_path_or_any_parents(&path, false) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }

    fn matcher(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        let mut cache = self.by_dir.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.entry(dir.to_path_buf()).or_insert_with(|| read_matcher(dir)).clone()
    }
}

/// The matcher of `dir/.gitignore`, when that is a regular file (never a link) aimsdoc can read.
fn read_matcher(dir: &Path) -> Option<Arc<Gitignore>> {
    let bytes = crate::contain::read_regular(&dir.join(".gitignore"), MAX_GITIGNORE_BYTES).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut builder = GitignoreBuilder::new(dir);
    for line in text.lines() {
        // A malformed pattern is skipped, as git does.
        let _ = builder.add_line(None, line);
    }
    builder.build().ok().map(Arc::new)
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
        assert!(ignored.is_ignored("evidence/a.env"));
        assert!(ignored.is_ignored("evidence/secret/x.csv"));
        assert!(!ignored.is_ignored("evidence/a.csv"));
        assert!(!ignored.is_ignored("evidence/keep/local.env"));
        assert!(!Ignored::new(None).is_ignored("evidence/a.env"));
    }
}
