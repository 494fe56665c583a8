//! The state `serve` keeps between rebuilds: the loaded tree and its analysis, the input
//! fingerprint of each rendered page, and its sink (what is on disk). An edit re-reads only the
//! files it names, re-links, re-assesses and re-validates the tree, re-renders only pages whose
//! inputs changed, and writes (through the build's own emit step, into [`WriteIfChanged`]) only
//! files whose bytes changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::fingerprint::{self, Inputs};
use super::sink::WriteIfChanged;
use super::watch::Changes;
use crate::config::Config;
use crate::content::reload::Reloader;
use crate::content::types::Date;
use crate::diagnostics::rules::{self, RenderImpact};
use crate::diagnostics::{Diagnostic, Severity};
use crate::integrity::hash::HashCache;
use crate::render::{RenderCx, Theme};
use crate::site::artifacts::Artifact;
use crate::site::emit::{self, Item};
use crate::site::{self, output, Checked, Options};

/// What served pages show in place of the site digest: a preview is not a sealed release
/// (`aimsdoc build` writes the manifest and SHA256SUMS), and a digest over every document would
/// make every page change on every edit.
pub(crate) const PREVIEW_DIGEST: &str = "preview (not sealed: run aimsdoc build)";

/// The result of one (re)build.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Wall time.
    pub millis: u128,
    /// Document files read and parsed.
    pub read: usize,
    /// Artifacts rendered.
    pub rendered: usize,
    /// Files written (rendered pages, copied files, assets) because their bytes changed.
    pub written: usize,
    /// Files removed because nothing produces them any more.
    pub removed: usize,
    /// A stylesheet or other asset changed: every page looks different.
    pub assets_changed: bool,
}

/// Called with the site paths written (or removed) by each phase of a render, as soon as the
/// phase is done, so a browser showing one of them can reload before the rest is finished.
pub(crate) type Notify<'a> = &'a mut dyn FnMut(HashSet<String>);

/// The incremental build state.
pub(crate) struct Session {
    opts: Options,
    reloader: Reloader,
    checked: Checked,
    theme: Option<Theme>,
    failure: Option<String>,
    /// Writes into the output folder what changed, and remembers what it wrote.
    sink: WriteIfChanged,
    /// Input fingerprint of every rendered page on disk, by site path.
    fingerprints: HashMap<String, u64>,
    /// Hashes of the content files the site copies, kept while they are unchanged.
    hashes: HashCache,
}

impl Session {
    /// Loads and analyses the tree; renders it into `out` (an empty directory aimsdoc owns)
    /// unless it has errors.
    pub(crate) fn start(opts: Options, out: PathBuf) -> anyhow::Result<(Session, Outcome)> {
        let start = Instant::now();
        let config = Config::load(&opts.root, opts.trust)?;
        let (tree, reloader) = Reloader::load(&opts.root, &config)?;
        let read = tree.sources.len();
        let hashes = HashCache::default();
        let checked = site::analyse_with(config, tree, site::preview_history(), &opts, Some(&hashes));
        let sink = WriteIfChanged::new(out);
        let fingerprints = HashMap::new();
        let mut s = Session { opts, reloader, checked, theme: None, failure: None, sink, fingerprints, hashes };
        s.load_theme();
        let mut outcome = s.render_if_clean(&mut |_| {})?;
        outcome.read = read;
        outcome.millis = start.elapsed().as_millis();
        Ok((s, outcome))
    }

    /// Applies `changes` (judging review dates against `today`) and re-renders what they affect.
    pub(crate) fn rebuild(&mut self, changes: &Changes, today: Date, notify: Notify) -> anyhow::Result<Outcome> {
        let start = Instant::now();
        // After a configuration or theme failure, everything is retried until it loads.
        let retry = self.failure.take().is_some();
        let full = retry || changes.config || changes.theme || today != self.opts.today;
        self.opts.today = today;
        let everything = changes.rescan || changes.config || retry;
        if changes.config || retry {
            match Config::load(&self.opts.root, self.opts.trust) {
                Ok(config) => self.checked.config = config,
                Err(e) => self.failure = Some(crate::failure::report(&e)),
            }
        }
        if self.failure.is_none() && full {
            self.load_theme();
        }
        if self.failure.is_some() {
            return Ok(Outcome { millis: start.elapsed().as_millis(), ..Outcome::default() });
        }
        if full {
            self.fingerprints.clear();
        }
        let read = self.reload(if everything { None } else { Some(&changes.documents) })?;
        let mut outcome = self.render_if_clean(notify)?;
        outcome.read = read;
        outcome.millis = start.elapsed().as_millis();
        Ok(outcome)
    }

    /// The configuration in force.
    pub(crate) fn config(&self) -> &Config {
        &self.checked.config
    }

    /// The findings of the last analysis.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.checked.diagnostics
    }

    /// Source line `n` (1-based) of content-relative `file`, for snippets.
    pub(crate) fn line_of(&self, file: &str, n: usize) -> Option<String> {
        self.checked.tree.line_of(file, n)
    }

    /// A configuration or theme failure that stops rendering (shown instead of findings).
    pub(crate) fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Whether the tree has errors (the site may still render: see [`Session::is_blocked`]).
    pub(crate) fn has_errors(&self) -> bool {
        self.checked.has_errors()
    }

    /// Whether the site cannot be rendered: a configuration or theme failure, a document that
    /// could not be read or parsed (its page would vanish), or two documents with one id (one
    /// page for both). Other errors (a broken link, a change after approval) still render, so
    /// the author sees the page and the finding together.
    pub(crate) fn is_blocked(&self) -> bool {
        if self.failure.is_some() {
            return true;
        }
        let loaded: HashSet<&str> = self.checked.tree.documents.iter().map(|d| d.path.as_str()).collect();
        self.checked.diagnostics.iter().filter(|d| d.severity == Severity::Error).any(|d| {
            match rules::by_code(d.code).map_or(RenderImpact::None, |r| r.render_impact()) {
                RenderImpact::Blocks => true,
                RenderImpact::BlocksIfUnloaded => !loaded.contains(d.file.as_str()),
                RenderImpact::None => false,
            }
        })
    }

    /// Each loaded document's source path and its page's site path (for the findings panels).
    pub(crate) fn document_pages(&self) -> Vec<(String, String)> {
        let docs = &self.checked.tree.documents;
        docs.iter().map(|d| (d.path.clone(), crate::urls::doc_href(d.id.value.as_str()))).collect()
    }

    /// Number of documents loaded.
    pub(crate) fn documents(&self) -> usize {
        self.checked.tree.documents.len()
    }

    fn load_theme(&mut self) {
        match Theme::load(&self.opts.root, &self.checked.config) {
            Ok(theme) => self.theme = Some(theme),
            Err(e) => self.failure = Some(crate::failure::report(&e)),
        }
    }

    /// Re-reads `documents` (all when `None`) and re-analyses the tree.
    fn reload(&mut self, documents: Option<&BTreeSet<String>>) -> anyhow::Result<usize> {
        let mut tree = std::mem::take(&mut self.checked.tree);
        let config = std::mem::take(&mut self.checked.config);
        let read = self.reloader.update(&mut tree, &config, documents);
        self.checked = site::analyse_with(config, tree, site::preview_history(), &self.opts, Some(&self.hashes));
        read
    }

    fn render_if_clean(&mut self, notify: Notify) -> anyhow::Result<Outcome> {
        if self.is_blocked() {
            return Ok(Outcome::default());
        }
        let Some(theme) = &self.theme else { return Ok(Outcome::default()) };
        let cx = self.checked.render_cx(theme, PREVIEW_DIGEST.to_string());
        render(&cx, &self.sink, &mut self.fingerprints, notify)
    }
}

/// The files of the site an edit may have changed: every copied file and theme asset (the sink
/// skips unchanged ones by hash), and every artifact whose input fingerprint changed or that has
/// none; with their fingerprints. Also returns every site path, to keep.
fn plan<'a>(cx: &RenderCx<'a>, fingerprints: &HashMap<String, u64>) -> (Vec<Planned<'a>>, HashSet<String>) {
    let inputs = Inputs::new(cx);
    let all: Vec<Planned> = emit::items(cx)
        .into_par_iter()
        .map(|item| {
            let fp = match item {
                Item::Artifact(a) => fingerprint::of(&a, cx, &inputs),
                Item::Copy(_) | Item::Asset(_) => None,
            };
            (item, item.path(cx), fp)
        })
        .collect();
    let keep = all.iter().map(|(_, path, _)| path.clone()).collect();
    let todo = all.into_iter().filter(|(_, path, fp)| fp.is_none() || fingerprints.get(path) != fp.as_ref()).collect();
    (todo, keep)
}

/// An item to emit, its site path and its input fingerprint (if it has one).
type Planned<'a> = (Item<'a>, String, Option<u64>);

/// Emits what [`plan`] picks through `sink`, document pages first (the page being edited is
/// usually the one on screen), then removes files nothing produces any more.
fn render(
    cx: &RenderCx,
    sink: &WriteIfChanged,
    fingerprints: &mut HashMap<String, u64>,
    notify: Notify,
) -> anyhow::Result<Outcome> {
    let (todo, keep) = plan(cx, fingerprints);
    let (pages, rest): (Vec<_>, Vec<_>) =
        todo.into_iter().partition(|(item, _, _)| matches!(item, Item::Artifact(Artifact::Document(_))));
    let mut outcome = Outcome::default();
    let written = emit_batch(cx, &pages, sink, fingerprints, &mut outcome)?;
    if !written.is_empty() {
        notify(written);
    }
    let mut written = emit_batch(cx, &rest, sink, fingerprints, &mut outcome)?;
    let removed = sink.remove_stale(&keep);
    for path in &removed {
        fingerprints.remove(path);
    }
    outcome.removed = removed.len();
    written.extend(removed);
    if !written.is_empty() {
        notify(written);
    }
    Ok(outcome)
}

/// Emits `batch`, records the fingerprints of what was rendered and counts it in `outcome`;
/// returns the site paths whose files changed.
fn emit_batch(
    cx: &RenderCx,
    batch: &[Planned],
    sink: &WriteIfChanged,
    fingerprints: &mut HashMap<String, u64>,
    outcome: &mut Outcome,
) -> anyhow::Result<HashSet<String>> {
    let items: Vec<Item> = batch.iter().map(|(item, _, _)| *item).collect();
    let emitted = emit::emit(cx, &items, sink)?;
    let mut written = HashSet::new();
    for ((item, _, fp), done) in batch.iter().zip(emitted) {
        match item {
            Item::Artifact(_) => outcome.rendered += 1,
            Item::Asset(_) => outcome.assets_changed |= done.changed,
            Item::Copy(_) => {}
        }
        match fp {
            Some(fp) => fingerprints.insert(done.path.clone(), *fp),
            None => fingerprints.remove(&done.path),
        };
        if done.changed {
            written.insert(done.path);
        }
    }
    outcome.written += written.len();
    Ok(written)
}

/// Prepares the output directory: the same safety rules as `aimsdoc build` (never the content
/// root or its documents, evidence or theme, never a folder aimsdoc did not create), emptied
/// and marked as aimsdoc's. Returns its canonical path.
pub(crate) fn prepare_out(out: &Path, root: &Path, config: &Config) -> anyhow::Result<PathBuf> {
    // serve's own temporary folder or its `--out`: chosen on the command line either way.
    output::stage(out, root, &output::content_folders(root, config), output::OutputOrigin::CommandLine)?.commit()
}
