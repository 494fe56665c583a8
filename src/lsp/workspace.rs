//! The workspace the server checks: one content root, its open buffers, and the result of the
//! real stages (config -> load -> link -> assess -> validate) over the tree as the editor sees
//! it. An edit re-parses only the edited files (from their buffers, through the loader's
//! overlay) and updates the analysis incrementally, through the same code as `serve`
//! ([`Analysis::update`]: only the edited documents re-linked, the per-document rules re-run
//! only where the edit can change their findings); anything else (a new or deleted file, a
//! change outside the documents) analyses the tree from scratch.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::{Config, Trust};
use crate::content::load::{self, Found, Overlay, Tree};
use crate::content::types::Date;
use crate::integrity::hash::HashCache;
use crate::serve::incremental::Analysis;
use crate::serve::trace::Trace;
use crate::site::{Checked, Options};

/// One content root and what the server knows about it.
pub(crate) struct Workspace {
    /// Options of every check (root, today, strictness).
    opts: Options,
    /// The last check, with what an incremental update starts from.
    analysis: Analysis,
    /// Hashes of the content files the site copies, kept while they are unchanged.
    hashes: HashCache,
    /// The buffers and files the tree is read from.
    files: Files,
}

/// Where the tree's document files come from.
struct Files {
    /// The content root.
    root: PathBuf,
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
        let hashes = HashCache::default();
        let analysis = Analysis::start(config, tree, &opts, &hashes);
        let files = Files::new(opts.root.clone());
        let mut ws = Workspace { opts, analysis, hashes, files };
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
        &self.analysis.checked
    }

    /// The content-relative path of `path`, when it lies inside the root.
    pub(crate) fn rel(&self, path: &Path) -> Option<String> {
        let rest = path.strip_prefix(&self.opts.root).ok()?;
        Some(load::relative(Path::new(""), rest))
    }

    /// The text of `rel` as the editor sees it: its buffer, else the source the loader read.
    pub(crate) fn text(&self, rel: &str) -> Option<std::borrow::Cow<'_, str>> {
        match self.files.buffers.get(rel) {
            Some(buffer) => Some(std::borrow::Cow::Borrowed(buffer)),
            None => self.checked().tree.sources.get(rel).map(|s| s.text()),
        }
    }

    /// Whether `rel` names a Markdown file in the documents folder (one the walk would find, or
    /// a new one it will find once saved).
    pub(crate) fn is_document_path(&self, rel: &str) -> bool {
        let docs = self.checked().config.paths.documents.trim_end_matches('/');
        rel.strip_prefix(docs).is_some_and(|r| r.starts_with('/')) && rel.to_ascii_lowercase().ends_with(".md")
    }

    /// Records the editor's text of `rel` (opened or changed); returns whether it is a document
    /// file of the tree (so a re-check is worth it).
    pub(crate) fn set_buffer(&mut self, rel: &str, text: String) -> bool {
        self.files.buffers.insert(rel.to_string(), text);
        self.files.known.contains(rel)
    }

    /// Forgets the buffer of `rel` (closed): the file on disk counts again.
    pub(crate) fn drop_buffer(&mut self, rel: &str) -> bool {
        self.files.buffers.remove(rel).is_some() && self.files.known.contains(rel)
    }

    /// Re-reads the files in `changed` (content-relative) and re-checks the tree; `None` walks
    /// the documents folder again and re-reads everything. When every file named is a known
    /// document file (still a plain file or open in a buffer), only those are read and the
    /// analysis is updated incrementally; otherwise (a file the last walk did not find, a file
    /// outside the documents, no longer a plain file) the folder is walked again and the tree
    /// analysed from scratch.
    pub(crate) fn reload(&mut self, changed: Option<&BTreeSet<String>>) -> anyhow::Result<()> {
        let found = changed.and_then(|c| self.files.known_files(c));
        let incremental = found.is_some();
        let files = &mut self.files;
        let read = |tree: &mut Tree, config: &Config| files.refresh(tree, config, found, changed);
        self.analysis.update(changed, incremental, &self.opts, &self.hashes, &mut Trace::off(), read)
    }

    /// Re-reads the configuration too (`aimsdoc.toml` changed), then everything.
    pub(crate) fn reconfigure(&mut self) -> anyhow::Result<()> {
        self.analysis.checked.config = Config::load(&self.opts.root, self.opts.trust)?;
        self.analysis.checked.tree = Tree { root: self.opts.root.clone(), ..Tree::default() };
        self.files = Files::new(self.opts.root.clone());
        self.reload(None)
    }
}

impl Files {
    fn new(root: PathBuf) -> Files {
        Files { root, buffers: Overlay::new(), known: BTreeSet::new(), unparsed: BTreeMap::new() }
    }

    /// Swaps the files `found` (when every changed file is known; else those of a new walk)
    /// into `tree`.
    fn refresh(
        &mut self,
        tree: &mut Tree,
        config: &Config,
        found: Option<Vec<Found>>,
        changed: Option<&BTreeSet<String>>,
    ) -> anyhow::Result<()> {
        let (found, stale) = match found {
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
                let abs = self.root.join(rel);
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
        let found = load::discover(&self.root, config)?;
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

    /// The workspace of `root`, judged on 2026-06-01.
    fn opened(root: &Path) -> Workspace {
        Workspace::open(root.to_path_buf(), crate::content::types::parse_date("2026-06-01").expect("date"), false)
            .expect("open")
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
        let mut ws = opened(&root);
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
    fn a_buffer_over_the_document_cap_is_a_finding_not_parsed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "documents/a.md", &doc("POL-001", ""));
        let mut ws = opened(&root);
        let cap = usize::try_from(load::MAX_DOCUMENT_BYTES).expect("fits");
        assert!(ws.set_buffer("documents/a.md", doc("POL-001", &"x".repeat(cap))));
        ws.reload(Some(&["documents/a.md".to_string()].into())).expect("reload");
        assert_eq!(codes(&ws, "documents/a.md"), ["FS004"]);
        assert!(ws.checked().tree.documents.is_empty());
    }

    #[test]
    fn a_file_the_walk_has_not_seen_makes_it_walk_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "documents/a.md", &doc("POL-001", ""));
        let mut ws = opened(&root);
        write(&root, "documents/c.md", &doc("POL-001", ""));
        ws.reload(Some(&["documents/c.md".to_string()].into())).expect("reload");
        assert_eq!(ws.checked().tree.documents.len(), 2);
        assert!(codes(&ws, "documents/c.md").contains(&"ID003"), "{:?}", ws.checked().diagnostics);
    }

    /// Applies `edits` (file, text before, text after) to buffers one at a time; after each,
    /// the findings must equal those of a workspace opened fresh with the same buffers.
    #[test]
    fn findings_after_a_sequence_of_edits_equal_a_fresh_checks() {
        const POL3: &str = "documents/02-leadership/pol-003-acceptable-use-of-ai-tools-policy.md";
        const PRC4: &str = "documents/04-support/prc-004-document-control-procedure.md";
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
        crate::serve::incremental_tests::copy_tree(&example, &root);
        let today = crate::content::types::parse_date("2026-06-01").expect("date");
        let mut ws = Workspace::open(root.clone(), today, false).expect("open");
        let steps: &[(&str, &str, &str)] = &[
            (POL3, "\n---\n", "\n---\nA new paragraph.\n"),
            (POL3, "A new paragraph.", "See [PRC-004](doc:PRC-004) and [a missing one](doc:POL-404)."),
            (PRC4, "\n---\n", "\n---\nSee [the policy](doc:POL-003).\n"),
            (POL3, " and [a missing one](doc:POL-404)", ""),
            (POL3, "status: approved", "status: withdrawn"),
            (PRC4, "See [the policy](doc:POL-003).", "See nothing."),
            (POL3, "status: withdrawn", "status: draft"),
            (PRC4, "---\n", "---\nid: [unclosed\n"),
            (PRC4, "id: [unclosed\n", ""),
            (POL3, "id: POL-003", "id: POL-030"),
        ];
        for (n, (rel, from, to)) in steps.iter().enumerate() {
            let text = ws.text(rel).expect("text").to_string();
            assert!(text.contains(from), "step {n}: `{from}` is in {rel}");
            assert!(ws.set_buffer(rel, text.replacen(from, to, 1)), "step {n}: a document");
            ws.reload(Some(&[rel.to_string()].into())).expect("reload");
            let mut fresh = Workspace::open(root.clone(), today, false).expect("open");
            for (path, text) in &ws.files.buffers {
                fresh.set_buffer(path, text.clone());
            }
            fresh.reload(None).expect("reload");
            assert_eq!(ws.checked().diagnostics, fresh.checked().diagnostics, "step {n}: {rel}: {to}");
        }
    }
}
