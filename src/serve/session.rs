//! The state `serve` keeps between rebuilds: the loaded tree and its analysis, and what is on
//! disk (a content hash per written file, the input fingerprint of each rendered page). An edit
//! re-reads only the files it names, re-links, re-assesses and re-validates the tree, re-renders only pages
//! whose inputs changed, and writes only files whose bytes changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use rayon::prelude::*;

use super::fingerprint::{self, hash_bytes, Inputs};
use super::watch::Changes;
use crate::config::Config;
use crate::content::reload::Reloader;
use crate::content::types::Date;
use crate::diagnostics::rules::{self, RenderImpact};
use crate::diagnostics::{Diagnostic, Severity};
use crate::fsutil;
use crate::render::Theme;
use crate::site::artifacts::{self, Artifact};
use crate::site::{self, output, Checked, Options};

/// What served pages show in place of the site digest: a preview is not a sealed release
/// (`aimsdoc build` writes the manifest and SHA256SUMS), and a digest over every document would
/// make every page change on every edit.
pub const PREVIEW_DIGEST: &str = "preview (not sealed: run aimsdoc build)";

/// The result of one (re)build.
#[derive(Debug, Default)]
pub struct Outcome {
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
pub type Notify<'a> = &'a mut dyn FnMut(HashSet<String>);

/// What is in the output directory, as far as this session wrote it.
#[derive(Default)]
struct Disk {
    /// Content hash of every file written, by site path.
    written: HashMap<String, u64>,
    /// Input fingerprint of every rendered page on disk, by site path.
    fingerprints: HashMap<String, u64>,
    /// SHA-256 of every content file copied under `files/`, by site path.
    copied: HashMap<String, String>,
}

/// The incremental build state.
pub struct Session {
    opts: Options,
    out: PathBuf,
    reloader: Reloader,
    checked: Checked,
    theme: Option<Theme>,
    failure: Option<String>,
    disk: Disk,
}

impl Session {
    /// Loads and analyses the tree; renders it into `out` (an empty directory aimsdoc owns)
    /// unless it has errors.
    pub fn start(opts: Options, out: PathBuf) -> anyhow::Result<(Session, Outcome)> {
        let start = Instant::now();
        let config = Config::load(&opts.root, opts.trust)?;
        let (tree, reloader) = Reloader::load(&opts.root, &config)?;
        let read = tree.sources.len();
        let checked = site::analyse(config, tree, &opts);
        let mut s = Session { opts, out, reloader, checked, theme: None, failure: None, disk: Disk::default() };
        s.load_theme();
        let mut outcome = s.render_if_clean(&mut |_| {})?;
        outcome.read = read;
        outcome.millis = start.elapsed().as_millis();
        Ok((s, outcome))
    }

    /// Applies `changes` (judging review dates against `today`) and re-renders what they affect.
    pub fn rebuild(&mut self, changes: &Changes, today: Date, notify: Notify) -> anyhow::Result<Outcome> {
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
            self.disk.fingerprints.clear();
        }
        let read = self.reload(if everything { None } else { Some(&changes.documents) })?;
        let mut outcome = self.render_if_clean(notify)?;
        outcome.read = read;
        outcome.millis = start.elapsed().as_millis();
        Ok(outcome)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.checked.config
    }

    /// The findings of the last analysis.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.checked.diagnostics
    }

    /// Source line `n` (1-based) of content-relative `file`, for snippets.
    pub fn line_of(&self, file: &str, n: usize) -> Option<String> {
        self.checked.tree.sources.get(file).and_then(|t| t.lines().nth(n.saturating_sub(1))).map(str::to_string)
    }

    /// A configuration or theme failure that stops rendering (shown instead of findings).
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Whether the tree has errors (the site may still render: see [`Session::is_blocked`]).
    pub fn has_errors(&self) -> bool {
        self.checked.has_errors()
    }

    /// Whether the site cannot be rendered: a configuration or theme failure, a document that
    /// could not be read or parsed (its page would vanish), or two documents with one id (one
    /// page for both). Other errors (a broken link, a change after approval) still render, so
    /// the author sees the page and the finding together.
    pub fn is_blocked(&self) -> bool {
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

    /// Number of documents loaded.
    pub fn documents(&self) -> usize {
        self.checked.tree.documents.len()
    }

    /// The output directory.
    pub fn out(&self) -> &Path {
        &self.out
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
        self.checked = site::analyse(config, tree, &self.opts);
        read
    }

    fn render_if_clean(&mut self, notify: Notify) -> anyhow::Result<Outcome> {
        if self.is_blocked() {
            return Ok(Outcome::default());
        }
        let Some(theme) = &self.theme else { return Ok(Outcome::default()) };
        render(&self.checked, theme, &self.out, &mut self.disk, notify)
    }
}

/// Renders the artifacts whose fingerprints changed, copies changed files, removes stale ones.
fn render(checked: &Checked, theme: &Theme, out: &Path, disk: &mut Disk, notify: Notify) -> anyhow::Result<Outcome> {
    let cx = checked.render_cx(theme, PREVIEW_DIGEST.to_string());
    let inputs = Inputs::new(&cx);
    let all: Vec<(Artifact, String, Option<u64>)> =
        artifacts::all(&cx).into_par_iter().map(|a| (a, a.path(&cx), fingerprint::of(&a, &cx, &inputs))).collect();
    let mut keep: HashSet<String> = HashSet::with_capacity(all.len());
    let mut todo: Vec<(Artifact, String, Option<u64>)> = Vec::new();
    for (a, path, fp) in all {
        if fp.is_none() || disk.fingerprints.get(&path) != fp.as_ref() {
            todo.push((a, path.clone(), fp));
        }
        keep.insert(path);
    }
    // Document pages first: the page being edited is usually the one on screen.
    let (pages, rest): (Vec<_>, Vec<_>) = todo.into_iter().partition(|(a, _, _)| matches!(a, Artifact::Document(_)));
    let mut outcome = Outcome::default();
    let mut written = HashSet::new();
    for (phase, batch) in [pages, rest].into_iter().enumerate() {
        let done: Vec<(String, Option<u64>, u64, bool)> = batch
            .par_iter()
            .map(|(a, path, fp)| {
                let bytes = a.render(&cx)?;
                let hash = hash_bytes(&bytes);
                let changed = disk.written.get(path) != Some(&hash);
                if changed {
                    write_atomic(out, path, &bytes)?;
                }
                Ok((path.clone(), *fp, hash, changed))
            })
            .collect::<anyhow::Result<_>>()?;
        outcome.rendered += done.len();
        for (path, fp, hash, changed) in done {
            if changed {
                written.insert(path.clone());
            }
            disk.written.insert(path.clone(), hash);
            match fp {
                Some(fp) => disk.fingerprints.insert(path, fp),
                None => disk.fingerprints.remove(&path),
            };
        }
        if phase == 0 && !written.is_empty() {
            outcome.written += written.len();
            notify(std::mem::take(&mut written));
        }
    }
    copy_files(checked, out, disk, &mut keep, &mut written)?;
    for (name, bytes) in &theme.assets {
        let path = format!("assets/{name}");
        let hash = hash_bytes(bytes);
        if disk.written.get(&path) != Some(&hash) {
            write_atomic(out, &path, bytes)?;
            disk.written.insert(path.clone(), hash);
            written.insert(path.clone());
            outcome.assets_changed = true;
        }
        keep.insert(path);
    }
    let removed = remove_stale(out, disk, &keep);
    outcome.removed = removed.len();
    outcome.written += written.len();
    written.extend(removed);
    if !written.is_empty() {
        notify(written);
    }
    Ok(outcome)
}

/// Copies the content files the site links to (attachments, linked files) when their hash
/// changed.
fn copy_files(
    checked: &Checked,
    out: &Path,
    disk: &mut Disk,
    keep: &mut HashSet<String>,
    written: &mut HashSet<String>,
) -> anyhow::Result<()> {
    for (rel, info) in &checked.graph.files {
        let path = crate::urls::site_path(rel);
        if disk.copied.get(&path) != Some(&info.sha256) {
            // Into a new temporary file, renamed over the old copy: never onto the source.
            let source = checked
                .graph
                .sources
                .get(rel)
                .with_context(|| format!("internal error: `{rel}` was never resolved"))?;
            fsutil::replace_with(&site_file(out, &path)?, false, |f| {
                std::io::copy(&mut crate::contain::open_regular(source)?, f).map(|_| ())
            })
            .with_context(|| format!("cannot copy `{rel}` into the site"))?;
            disk.copied.insert(path.clone(), info.sha256.clone());
            written.insert(path.clone());
        }
        keep.insert(path);
    }
    Ok(())
}

/// Removes files this session wrote that nothing produces any more (a renamed document's old
/// page, an attachment no longer referenced).
fn remove_stale(out: &Path, disk: &mut Disk, keep: &HashSet<String>) -> Vec<String> {
    let stale: Vec<String> =
        disk.written.keys().chain(disk.copied.keys()).filter(|p| !keep.contains(*p)).cloned().collect();
    for path in &stale {
        // Best effort: a page left behind in the preview folder is clutter, not lost data;
        // `build` always writes a fresh site.
        let _ = std::fs::remove_file(out.join(path));
        disk.written.remove(path);
        disk.copied.remove(path);
        disk.fingerprints.remove(path);
    }
    stale
}

/// Writes `bytes` at site path `rel` through a randomly named hidden temporary file and a
/// rename, so the server never serves a half-written file and never writes through a link.
pub fn write_atomic(out: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
    fsutil::replace_with(&site_file(out, rel)?, false, |f| f.write_all(bytes))
        .with_context(|| format!("cannot write `{rel}` in the site"))
}

/// The path of site path `rel` below `out`, its folders created without passing through a link.
fn site_file(out: &Path, rel: &str) -> anyhow::Result<PathBuf> {
    let Some(path) = fsutil::plain_relative(rel) else {
        anyhow::bail!("internal error: the site path `{rel}` is not a plain relative path");
    };
    let parent = match path.parent() {
        Some(p) => fsutil::create_dirs_below(out, p)?,
        None => out.to_path_buf(),
    };
    Ok(parent.join(path.file_name().context("internal error: a site path without a file name")?))
}

/// Prepares the output directory: the same safety rules as `aimsdoc build` (never the content
/// root or its documents, evidence or theme, never a folder aimsdoc did not create), emptied
/// and marked as aimsdoc's. Returns its canonical path.
pub fn prepare_out(out: &Path, root: &Path, config: &Config) -> anyhow::Result<PathBuf> {
    let protected =
        [root.join(&config.paths.documents), root.join(&config.paths.evidence), root.join(&config.paths.theme)];
    // serve's own temporary folder or its `--out`: chosen on the command line either way.
    output::stage(out, root, &protected, output::OutputOrigin::CommandLine)?.commit()
}

/// Counts of findings by severity, for the terminal summary.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, diags.iter().filter(|d| d.severity == Severity::Warning).count())
}
