//! The workspace the server checks: one content root, its open buffers, and the result of the
//! real stages (config -> load -> link -> assess -> validate) over the tree as the editor sees
//! it. An edit re-parses only the edited files (from their buffers, through the loader's
//! overlay) and re-runs link, assess and validate over the whole tree, as `serve` does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::{Config, Trust};
use crate::content::load::{self, Found, Overlay, Tree};
use crate::content::types::Date;
use crate::site::{self, Checked, Options};

/// One content root and what the server knows about it.
pub(crate) struct Workspace {
    /// Options of every check (root, today, strictness).
    opts: Options,
    /// The last check.
    checked: Checked,
    /// Open buffers by content-relative path: they win over the files on disk.
    buffers: Overlay,
    /// Document files the last walk found.
    known: BTreeSet<String>,
    /// The sniffed id of each file whose front matter failed to parse.
    unparsed: BTreeMap<String, String>,
}

impl Workspace {
    /// Loads and checks the tree at `root` (an absolute path).
    pub(crate) fn open(root: PathBuf, today: Date, strict: bool) -> anyhow::Result<Workspace> {
        let opts = Options { root, strict, today, trust: Trust::Trusted };
        let config = Config::load(&opts.root, opts.trust)?;
        let tree = Tree { root: opts.root.clone(), ..Tree::default() };
        let checked = site::analyse(config, tree, &opts);
        let mut ws =
            Workspace { opts, checked, buffers: Overlay::new(), known: BTreeSet::new(), unparsed: BTreeMap::new() };
        ws.reload(None)?;
        Ok(ws)
    }

    /// The content root.
    pub(crate) fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The date reviews are judged against.
    pub(crate) fn today(&self) -> Date {
        self.opts.today
    }

    /// The last check.
    pub(crate) fn checked(&self) -> &Checked {
        &self.checked
    }

    /// The content-relative path of `path`, when it lies inside the root.
    pub(crate) fn rel(&self, path: &Path) -> Option<String> {
        let rest = path.strip_prefix(&self.opts.root).ok()?;
        Some(load::relative(Path::new(""), rest))
    }

    /// The text of `rel` as the editor sees it: its buffer, else the source the loader read.
    pub(crate) fn text(&self, rel: &str) -> Option<&str> {
        self.buffers.get(rel).or_else(|| self.checked().tree.sources.get(rel)).map(String::as_str)
    }

    /// Whether `rel` names a Markdown file in the documents folder (one the walk would find, or
    /// a new one it will find once saved).
    pub(crate) fn is_document_path(&self, rel: &str) -> bool {
        let docs = self.checked.config.paths.documents.trim_end_matches('/');
        rel.strip_prefix(docs).is_some_and(|r| r.starts_with('/')) && rel.to_ascii_lowercase().ends_with(".md")
    }

    /// Records the editor's text of `rel` (opened or changed); returns whether it is a document
    /// file of the tree (so a re-check is worth it).
    pub(crate) fn set_buffer(&mut self, rel: &str, text: String) -> bool {
        self.buffers.insert(rel.to_string(), text);
        self.known.contains(rel)
    }

    /// Forgets the buffer of `rel` (closed): the file on disk counts again.
    pub(crate) fn drop_buffer(&mut self, rel: &str) -> bool {
        self.buffers.remove(rel).is_some() && self.known.contains(rel)
    }

    /// Re-reads the files in `changed` (content-relative) and re-checks the tree; `None` walks
    /// the documents folder again and re-reads everything. A file named that the last walk did
    /// not find, or that is no longer a plain file, also makes it walk again.
    pub(crate) fn reload(&mut self, changed: Option<&BTreeSet<String>>) -> anyhow::Result<()> {
        let mut tree = std::mem::take(&mut self.checked.tree);
        let config = self.checked.config.clone();
        let result = self.refresh(&mut tree, &config, changed);
        self.checked = site::analyse(config, tree, &self.opts);
        result
    }

    /// Re-reads the configuration too (`aimsdoc.toml` changed), then everything.
    pub(crate) fn reconfigure(&mut self) -> anyhow::Result<()> {
        self.checked.config = Config::load(&self.opts.root, self.opts.trust)?;
        self.checked.tree = Tree { root: self.opts.root.clone(), ..Tree::default() };
        self.known.clear();
        self.unparsed.clear();
        self.reload(None)
    }

    /// Swaps the files of `changed` (or of a new walk) into `tree`.
    fn refresh(&mut self, tree: &mut Tree, config: &Config, changed: Option<&BTreeSet<String>>) -> anyhow::Result<()> {
        let (found, stale) = match changed.and_then(|c| self.known_files(c)) {
            Some(found) => {
                let stale = found.iter().map(|f| f.rel().to_string()).collect();
                (found, stale)
            }
            None => self.walk(config, changed)?,
        };
        let loaded = load::read_all_overlaid(found, config, &self.buffers);
        tree.forget(&stale);
        self.unparsed.retain(|path, _| !stale.contains(path));
        self.unparsed.extend(tree.absorb(loaded));
        tree.unparsed_ids = self.unparsed.values().cloned().collect();
        Ok(())
    }

    /// The files of `changed` when each is known and still a plain file (or open in a buffer).
    fn known_files(&self, changed: &BTreeSet<String>) -> Option<Vec<Found>> {
        changed
            .iter()
            .map(|rel| {
                let abs = self.opts.root.join(rel);
                let plain = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_file());
                (self.known.contains(rel) && plain).then(|| Found::File { rel: rel.clone(), abs })
            })
            .collect()
    }

    /// Walks the documents folder: the files to read (new ones and those `changed`; all of them
    /// when `changed` is `None`) and the files whose old contributions go (those and the gone).
    fn walk(
        &mut self,
        config: &Config,
        changed: Option<&BTreeSet<String>>,
    ) -> anyhow::Result<(Vec<Found>, BTreeSet<String>)> {
        let found = load::discover(&self.opts.root, config)?;
        let now: BTreeSet<String> = found.iter().map(|f| f.rel().to_string()).collect();
        let mut stale: BTreeSet<String> = self.known.difference(&now).cloned().collect();
        let wanted: Vec<Found> = found
            .into_iter()
            .filter(|f| changed.is_none_or(|c| c.contains(f.rel())) || !self.known.contains(f.rel()))
            .collect();
        stale.extend(wanted.iter().map(|f| f.rel().to_string()));
        self.known = now;
        Ok((wanted, stale))
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

    fn doc(id: &str, body: &str) -> String {
        format!("---\nid: {id}\ntitle: T {id}\ntype: policy\nowner: O\nversion: \"0.1\"\nstatus: draft\n---\n{body}\n")
    }

    fn codes(ws: &Workspace, file: &str) -> Vec<&'static str> {
        ws.checked().diagnostics.iter().filter(|d| d.file == file).map(|d| d.code).collect()
    }

    #[test]
    fn buffers_win_over_the_disk_until_closed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "documents/a.md", &doc("POL-001", "See [b](doc:POL-002)."));
        write(&root, "documents/b.md", &doc("POL-002", ""));
        let mut ws =
            Workspace::open(root.clone(), crate::content::types::parse_date("2026-06-01").expect("date"), false)
                .expect("open");
        assert!(codes(&ws, "documents/a.md").is_empty(), "{:?}", ws.checked().diagnostics);

        // Renaming POL-002 in an unsaved buffer breaks the link in a.md, which is not open.
        assert!(ws.set_buffer("documents/b.md", doc("POL-003", "")));
        ws.reload(Some(&["documents/b.md".to_string()].into())).expect("reload");
        assert_eq!(codes(&ws, "documents/a.md"), ["LK004"]);
        assert_eq!(ws.text("documents/b.md").map(|t| t.contains("POL-003")), Some(true));

        assert!(ws.drop_buffer("documents/b.md"));
        ws.reload(Some(&["documents/b.md".to_string()].into())).expect("reload");
        assert!(codes(&ws, "documents/a.md").is_empty());
        assert_eq!(ws.rel(&root.join("documents/b.md")).as_deref(), Some("documents/b.md"));
    }

    #[test]
    fn a_file_the_walk_has_not_seen_makes_it_walk_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "documents/a.md", &doc("POL-001", ""));
        let mut ws =
            Workspace::open(root.clone(), crate::content::types::parse_date("2026-06-01").expect("date"), false)
                .expect("open");
        write(&root, "documents/c.md", &doc("POL-001", ""));
        ws.reload(Some(&["documents/c.md".to_string()].into())).expect("reload");
        assert_eq!(ws.checked().tree.documents.len(), 2);
        assert!(codes(&ws, "documents/c.md").contains(&"ID003"), "{:?}", ws.checked().diagnostics);
    }
}
