//! The state `serve` keeps between rebuilds: the loaded tree and its analysis, the input
//! fingerprint of each rendered page, and its sink (what is on disk). An edit re-reads only the
//! files it names, re-links, re-assesses and re-validates what it can change
//! ([`super::incremental`]), renders the edited documents' pages first, then every other page
//! whose inputs changed, and writes (through the build's own emit step, into
//! [`WriteIfChanged`]) only files whose bytes changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::fingerprint::{self, Inputs};
use super::incremental::Analysis;
use super::sink::WriteIfChanged;
use super::trace::Trace;
use super::watch::Changes;
use crate::config::Config;
use crate::content::reload::Reloader;
use crate::content::types::Date;
use crate::diagnostics::rules::{self, RenderImpact};
use crate::diagnostics::{Diagnostic, Severity};
use crate::integrity::hash::HashCache;
use crate::render::tables::Shared;
use crate::render::{RenderCx, Theme};
use crate::site::artifacts::Artifact;
use crate::site::emit::{self, Item};
use crate::site::{output, Options};

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
    analysis: Analysis,
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
        let analysis = Analysis::start(config, tree, &opts, &hashes);
        let sink = WriteIfChanged::new(out);
        let fingerprints = HashMap::new();
        let mut s = Session { opts, reloader, analysis, theme: None, failure: None, sink, fingerprints, hashes };
        s.load_theme();
        let mut outcome = s.render_if_clean(&[], &mut Trace::off(), &mut |_| {})?;
        outcome.read = read;
        outcome.millis = start.elapsed().as_millis();
        Ok((s, outcome))
    }

    /// Applies `changes` (judging review dates against `today`) and re-renders what they affect.
    pub(crate) fn rebuild(&mut self, changes: &Changes, today: Date, notify: Notify) -> anyhow::Result<Outcome> {
        let start = Instant::now();
        let mut trace = Trace::from_env();
        // After a configuration or theme failure, everything is retried until it loads.
        let retry = self.failure.take().is_some();
        let new_day = today != self.opts.today;
        let full = retry || changes.config || changes.theme || new_day;
        self.opts.today = today;
        let everything = changes.rescan || changes.config || retry;
        // Only document files changed: the analysis can be updated rather than redone.
        let incremental = !(everything || new_day || changes.other);
        if changes.config || retry {
            match Config::load(&self.opts.root, self.opts.trust) {
                Ok(config) => self.analysis.checked.config = config,
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
        let documents = if everything { None } else { Some(&changes.documents) };
        let read =
            self.analysis.reload(&mut self.reloader, documents, incremental, &self.opts, &self.hashes, &mut trace)?;
        trace.mark("analyse");
        let edited: Vec<usize> =
            changes.documents.iter().filter_map(|p| self.analysis.checked.graph.by_path.get(p).copied()).collect();
        let mut outcome = self.render_if_clean(&edited, &mut trace, notify)?;
        outcome.read = read;
        outcome.millis = start.elapsed().as_millis();
        trace.print();
        Ok(outcome)
    }

    /// The configuration in force.
    pub(crate) fn config(&self) -> &Config {
        &self.analysis.checked.config
    }

    /// The findings of the last analysis.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.analysis.checked.diagnostics
    }

    /// Source line `n` (1-based) of content-relative `file`, for snippets.
    pub(crate) fn line_of(&self, file: &str, n: usize) -> Option<String> {
        self.analysis.checked.tree.line_of(file, n)
    }

    /// A configuration or theme failure that stops rendering (shown instead of findings).
    pub(crate) fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Whether the tree has errors (the site may still render: see [`Session::is_blocked`]).
    pub(crate) fn has_errors(&self) -> bool {
        self.analysis.checked.has_errors()
    }

    /// Whether the site cannot be rendered: a configuration or theme failure, a document that
    /// could not be read or parsed (its page would vanish), or two documents with one id (one
    /// page for both). Other errors (a broken link, a change after approval) still render, so
    /// the author sees the page and the finding together.
    pub(crate) fn is_blocked(&self) -> bool {
        if self.failure.is_some() {
            return true;
        }
        let c = &self.analysis.checked;
        c.diagnostics.iter().filter(|d| d.severity == Severity::Error).any(|d| {
            match rules::by_code(d.code).map_or(RenderImpact::None, |r| r.render_impact()) {
                RenderImpact::Blocks => true,
                RenderImpact::BlocksIfUnloaded => !c.graph.by_path.contains_key(d.file.as_str()),
                RenderImpact::None => false,
            }
        })
    }

    /// Each loaded document's source path and its page's site path (for the findings panels).
    pub(crate) fn document_pages(&self) -> Vec<(String, String)> {
        let docs = &self.analysis.checked.tree.documents;
        docs.iter().map(|d| (d.path.clone(), crate::urls::doc_href(d.id.value.as_str()))).collect()
    }

    /// Number of documents loaded.
    pub(crate) fn documents(&self) -> usize {
        self.analysis.checked.tree.documents.len()
    }

    fn load_theme(&mut self) {
        match Theme::load(&self.opts.root, &self.analysis.checked.config) {
            Ok(theme) => self.theme = Some(theme),
            Err(e) => self.failure = Some(crate::failure::report(&e)),
        }
    }

    /// Renders what changed unless the site is blocked; the pages of the documents `edited`
    /// first.
    fn render_if_clean(&mut self, edited: &[usize], trace: &mut Trace, notify: Notify) -> anyhow::Result<Outcome> {
        if self.is_blocked() {
            return Ok(Outcome::default());
        }
        let Some(theme) = &self.theme else { return Ok(Outcome::default()) };
        let a = &mut self.analysis;
        let rows = std::mem::take(&mut a.rows);
        let values = std::mem::take(&mut a.row_values);
        let mut cx = a.checked.render_cx_with(theme, PREVIEW_DIGEST.to_string(), rows);
        // The rows' template values carry over from the last render (only changed rows are
        // converted again); pages never see a list of another length.
        if values.len() == cx.rows.len() {
            cx.shared = Shared::with_row_values(values);
        }
        let inputs = Inputs::new(&cx, &a.row_hashes);
        trace.mark("render context");
        let first: Vec<Item> = edited.iter().map(|&i| Item::Artifact(Artifact::Document(i))).collect();
        let outcome = render(&cx, &inputs, &first, &self.sink, &mut self.fingerprints, trace, notify);
        a.rows = cx.rows;
        a.row_values = cx.shared.into_row_values().unwrap_or_default();
        outcome
    }
}

/// The files of the site an edit may have changed: every copied file and theme asset (the sink
/// skips unchanged ones by hash), and every artifact whose input fingerprint changed or that has
/// none; with their fingerprints. Also returns every site path, to keep.
fn plan<'a>(
    cx: &RenderCx<'a>,
    inputs: &Inputs,
    items: Vec<Item<'a>>,
    fingerprints: &HashMap<String, u64>,
) -> (Vec<Planned<'a>>, HashSet<String>) {
    let all: Vec<Planned> = items
        .into_par_iter()
        .map(|item| {
            let fp = match item {
                Item::Artifact(a) => fingerprint::of(&a, cx, inputs),
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

/// Emits what [`plan`] picks through `sink`: the items `first` (the edited documents' pages,
/// usually the ones on screen: nothing else is fingerprinted before they are on disk), then the
/// other document pages, then the rest; then removes files nothing produces any more.
fn render<'a>(
    cx: &RenderCx<'a>,
    inputs: &Inputs,
    first: &[Item<'a>],
    sink: &WriteIfChanged,
    fingerprints: &mut HashMap<String, u64>,
    trace: &mut Trace,
    notify: Notify,
) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::default();
    let (edited, _) = plan(cx, inputs, first.to_vec(), fingerprints);
    let written = emit_batch(cx, &edited, sink, fingerprints, &mut outcome)?;
    trace.mark("edited pages");
    if !written.is_empty() {
        notify(written);
    }
    let (todo, keep) = plan(cx, inputs, emit::items(cx), fingerprints);
    trace.mark("plan");
    let (pages, rest): (Vec<_>, Vec<_>) =
        todo.into_iter().partition(|(item, _, _)| matches!(item, Item::Artifact(Artifact::Document(_))));
    let written = emit_batch(cx, &pages, sink, fingerprints, &mut outcome)?;
    if !written.is_empty() {
        notify(written);
    }
    let mut written = emit_batch(cx, &rest, sink, fingerprints, &mut outcome)?;
    trace.mark("other pages");
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
