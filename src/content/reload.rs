//! Re-reading part of a loaded tree after edits, for `serve`. It wraps the loader: the loader's
//! walk ([`discover`]) decides which files belong to the tree, its reader ([`read_all`]) reads
//! and parses them, and [`Tree::forget`] / [`Tree::absorb`] swap them in. What the reloader
//! adds is only the choice of files: those named as changed, or that the walk finds new; files
//! gone are dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::load::{discover, read_all, Found, Loaded, Tree};
use crate::config::Config;

/// Remembers, per file, what a full load cannot recover from the tree alone.
#[derive(Debug, Default)]
pub(crate) struct Reloader {
    /// Files found by the last walk (content-relative).
    known: BTreeSet<String>,
    /// The sniffed id of each file whose front matter failed to parse.
    unparsed: BTreeMap<String, String>,
}

impl Reloader {
    /// Loads the whole tree at `root`, exactly as [`load`](super::load()) does.
    pub(crate) fn load(root: &Path, config: &Config) -> anyhow::Result<(Tree, Reloader)> {
        let mut tree = Tree { root: root.to_path_buf(), ..Tree::default() };
        let mut reloader = Reloader::default();
        reloader.update(&mut tree, config, None)?;
        Ok((tree, reloader))
    }

    /// Re-reads the files in `changed` (content-relative paths: every document file created,
    /// modified or removed since the last update) and drops files that are gone. When one of
    /// them is new, gone or a symlink, the documents folder is walked again and every file it
    /// finds that was not there before is read too. `None` re-reads everything. Returns the
    /// number of files read.
    pub(crate) fn update(
        &mut self,
        tree: &mut Tree,
        config: &Config,
        changed: Option<&BTreeSet<String>>,
    ) -> anyhow::Result<usize> {
        if let Some(found) = changed.and_then(|c| self.known_files(&tree.root, c)) {
            // Only files already in the tree changed, and they are still plain files: the walk
            // would find the same set, so skip it (it is most of the cost in a large tree).
            let stale: BTreeSet<String> = found.iter().map(|f| f.rel().to_string()).collect();
            let loaded = read_all(found, config);
            let read = loaded.len();
            self.replace(tree, &stale, loaded);
            return Ok(read);
        }
        let found = discover(&tree.root, config)?;
        let now: BTreeSet<String> = found.iter().map(|f| f.rel().to_string()).collect();
        let mut stale: BTreeSet<String> = self.known.difference(&now).cloned().collect();
        let wanted: Vec<Found> = found
            .into_iter()
            .filter(|f| {
                let rel = f.rel();
                changed.is_none_or(|c| c.contains(rel)) || !self.known.contains(rel)
            })
            .collect();
        stale.extend(wanted.iter().map(|f| f.rel().to_string()));
        let loaded = read_all(wanted, config);
        let read = loaded.len();
        self.replace(tree, &stale, loaded);
        self.known = now;
        Ok(read)
    }

    /// The files of `changed` when every one is already in the tree and still a regular file
    /// (not a symlink, which the walk must judge); `None` otherwise.
    fn known_files(&self, root: &Path, changed: &BTreeSet<String>) -> Option<Vec<Found>> {
        changed
            .iter()
            .map(|rel| {
                let abs = root.join(rel);
                let plain = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_file());
                (self.known.contains(rel) && plain).then(|| Found::File { rel: rel.clone(), abs })
            })
            .collect()
    }

    /// Removes everything `stale` files contributed and adds the freshly `loaded` results.
    fn replace(&mut self, tree: &mut Tree, stale: &BTreeSet<String>, loaded: Vec<Loaded>) {
        let Err(loaded) = self.replace_in_place(tree, stale, loaded) else { return };
        tree.forget(stale);
        self.unparsed.retain(|path, _| !stale.contains(path));
        self.unparsed.extend(tree.absorb(loaded));
        tree.unparsed_ids = self.unparsed.values().cloned().collect();
    }
}

impl Reloader {
    /// [`Reloader::replace`] when every file `loaded` is a document of the tree that was parsed
    /// before and still is, and these are all the `stale` files: each document is swapped in at
    /// its place (a document is more than a kilobyte; removing one of 10,000 and inserting it
    /// again moved the rest of the list twice, a few milliseconds per edit). The result is what
    /// `forget` and `absorb` make of the same files. Gives `loaded` back when it does not apply.
    fn replace_in_place(
        &self,
        tree: &mut Tree,
        stale: &BTreeSet<String>,
        loaded: Vec<Loaded>,
    ) -> Result<(), Vec<Loaded>> {
        let places: Option<Vec<usize>> = loaded.iter().map(|r| self.place(tree, stale, r)).collect();
        let Some(places) = places.filter(|p| p.len() == stale.len()) else { return Err(loaded) };
        let mut fresh = Vec::new();
        tree.diagnostics.retain(|d| !stale.contains(&d.file));
        for (r, at) in loaded.into_iter().zip(places) {
            fresh.extend(r.diagnostics);
            if let (Some(document), Some((rel, text))) = (r.document, r.source) {
                tree.documents[at] = document;
                tree.sources.insert(rel, text);
            }
        }
        tree.diagnostics.extend(fresh);
        Ok(())
    }

    /// Where the document `r` re-read goes in `tree`: the index of the document of the same
    /// path, when there is one, `r` is one of the `stale` files, was parsed before and parsed now.
    fn place(&self, tree: &Tree, stale: &BTreeSet<String>, r: &Loaded) -> Option<usize> {
        let (document, (rel, _)) = (r.document.as_ref()?, r.source.as_ref()?);
        if r.unparsed_id.is_some() || self.unparsed.contains_key(rel) || &document.path != rel || !stale.contains(rel) {
            return None;
        }
        tree.documents.binary_search_by(|d| d.path.as_str().cmp(rel)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn doc(id: &str, title: &str) -> String {
        format!("---\nid: {id}\ntitle: {title}\ntype: policy\nowner: O\nversion: \"1.0\"\nstatus: draft\n---\nBody.\n")
    }

    #[test]
    fn reloads_named_files_picks_up_new_ones_and_drops_removed_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let config = Config::default();
        write(root, "documents/a.md", &doc("POL-001", "A"));
        write(root, "documents/b.md", &doc("POL-002", "B"));
        let (mut tree, mut reloader) = Reloader::load(root, &config).expect("load");
        assert_eq!(tree.documents.len(), 2);

        write(root, "documents/a.md", &doc("POL-001", "A2"));
        write(root, "documents/c.md", "---\nid: POL-003\ntitle: [unclosed\n---\n");
        std::fs::remove_file(root.join("documents/b.md")).expect("rm");
        let changed: BTreeSet<String> = ["documents/a.md".to_string(), "documents/b.md".to_string()].into();
        let read = reloader.update(&mut tree, &config, Some(&changed)).expect("update");
        assert_eq!(read, 2, "a.md (named) and c.md (new, found by the walk b.md's removal caused)");
        let titles: Vec<&str> = tree.documents.iter().map(|d| d.title.value.as_str()).collect();
        assert_eq!(titles, ["A2"]);
        assert!(tree.unparsed_ids.contains("POL-003"));
        assert!(tree.diagnostics.iter().all(|d| d.file == "documents/c.md"), "{:?}", tree.diagnostics);
        assert!(!tree.sources.contains_key("documents/b.md"));

        write(root, "documents/c.md", &doc("POL-003", "C"));
        let changed: BTreeSet<String> = ["documents/c.md".to_string()].into();
        assert_eq!(reloader.update(&mut tree, &config, Some(&changed)).expect("update"), 1, "known file: no walk");
        assert!(tree.unparsed_ids.is_empty());
        assert!(tree.diagnostics.is_empty());
        let full = super::super::load(root, &config).expect("full load");
        let paths = |t: &Tree| t.documents.iter().map(|d| (d.path.clone(), d.sha256.clone())).collect::<Vec<_>>();
        assert_eq!(paths(&tree), paths(&full));
    }
}
