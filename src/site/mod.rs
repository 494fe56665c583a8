//! The build pipeline and the output it writes. `check` is load -> link -> assess -> validate;
//! `build` adds the emit step (render every page and export, copy evidence and theme assets:
//! [`emit`]) into a staging folder, then seals it and swaps it in.

pub(crate) mod artifacts;
pub(crate) mod emit;
pub(crate) mod exports;
pub(crate) mod output;
mod staging;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::assess::{self, Assessment};
use crate::config::{Config, Trust};
use crate::content::types::Date;
use crate::content::{self, Tree};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::graph::{self, Graph};
use crate::integrity;
use crate::provenance::{self, Provenance};
use crate::render::{view, RenderCx, Theme};
use crate::validate;

/// Options of a check or build run.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The content root.
    pub root: PathBuf,
    /// Warnings become errors.
    pub strict: bool,
    /// The date reviews are judged against.
    pub today: Date,
    /// How far the content tree is trusted (`--untrusted` for pull requests).
    pub trust: Trust,
}

/// The result of loading and validating a tree.
pub(crate) struct Checked {
    /// Configuration used.
    pub config: Config,
    /// The loaded tree.
    pub tree: Tree,
    /// Its graph.
    pub graph: Graph,
    /// What it amounts to on the build date (computed once; every later stage reads it).
    pub assessment: Assessment,
    /// All findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The documents' history from git, or why there is none.
    pub provenance: Provenance,
}

impl Checked {
    /// The context every page renders from: the one constructor for `build` and `serve`
    /// (`digest` is the content digest a sealed build shows, or serve's preview marker).
    pub(crate) fn render_cx<'a>(&'a self, theme: &'a Theme, digest: String) -> RenderCx<'a> {
        self.render_cx_with(theme, digest, view::doc_rows(&self.tree, &self.config, &self.assessment))
    }

    /// [`Checked::render_cx`] with the register rows already made (`serve` keeps them across
    /// rebuilds and remakes only the rows an edit changed): `rows` must be
    /// `view::doc_rows` of this tree.
    pub(crate) fn render_cx_with<'a>(
        &'a self,
        theme: &'a Theme,
        digest: String,
        rows: Vec<view::DocRow>,
    ) -> RenderCx<'a> {
        RenderCx {
            tree: &self.tree,
            graph: &self.graph,
            assessment: &self.assessment,
            config: &self.config,
            today: self.assessment.today,
            theme,
            rows,
            site_digest: digest,
            provenance: &self.provenance,
            changes: None,
            nav: Default::default(),
            shared: Default::default(),
        }
    }

    /// Whether any finding is an error.
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Loads, links, assesses and validates the tree at `opts.root`, with its history from git.
pub(crate) fn check(opts: &Options) -> anyhow::Result<Checked> {
    check_history(opts, true)
}

/// For tests that render: the tree at `root` (relative to the crate), checked on `today`
/// without its git history, and its theme.
#[cfg(test)]
pub(crate) fn checked_for_tests(root: &str, today: &str) -> (Checked, Theme) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
    let today = content::types::parse_date(today).expect("date");
    let opts = Options { root: root.clone(), strict: false, today, trust: Trust::Trusted };
    let checked = check_history(&opts, false).expect("check");
    let theme = Theme::load(&root, &checked.config).expect("theme");
    (checked, theme)
}

/// [`check`], reading the history from git only when `history` (`--no-history` turns it off).
pub(crate) fn check_history(opts: &Options, history: bool) -> anyhow::Result<Checked> {
    check_with(opts, git_history(&opts.root, history))
}

/// [`check`] with the history `history` gives for the loaded configuration (`build --as-of`
/// reads it from the repository the exported tree came from).
pub(crate) fn check_with(opts: &Options, history: impl FnOnce(&Config) -> Provenance) -> anyhow::Result<Checked> {
    check_loading(opts, history, false)
}

/// [`check_with`] for a build: every document's content hash is computed while its front matter
/// is parsed, since the manifest lists them all (`check` computes one only when the ledger asks).
pub(crate) fn check_to_build(opts: &Options, history: impl FnOnce(&Config) -> Provenance) -> anyhow::Result<Checked> {
    check_loading(opts, history, true)
}

/// The history [`check_history`] reads: from git when `history`.
pub(crate) fn git_history(root: &Path, history: bool) -> impl FnOnce(&Config) -> Provenance + '_ {
    move |config| match history {
        true => provenance::read(root, config),
        false => Provenance::Unavailable("not read (--no-history)".to_string()),
    }
}

fn check_loading(
    opts: &Options,
    history: impl FnOnce(&Config) -> Provenance,
    content_hashes: bool,
) -> anyhow::Result<Checked> {
    let config = Config::load(&opts.root, opts.trust)?;
    let tree = content::load_with(&opts.root, &config, content_hashes)?;
    let provenance = history(&config);
    Ok(analyse_with(config, tree, provenance, opts, None))
}

/// Links, assesses and validates an already loaded tree (`serve` calls this after re-reading only the
/// files that changed; it shows no history from git).
pub(crate) fn analyse(config: Config, tree: Tree, opts: &Options) -> Checked {
    analyse_with(config, tree, preview_history(), opts, None)
}

/// The history `serve` and `lsp` work with: none (reading git on every keystroke would cost
/// more than the edit it previews).
pub(crate) fn preview_history() -> Provenance {
    Provenance::Unavailable("not read while previewing".to_string())
}

/// [`analyse`] with the history read from git (`provenance`), taking the hashes of unchanged
/// content files from `hashes` (`serve` keeps one across rebuilds).
pub(crate) fn analyse_with(
    config: Config,
    tree: Tree,
    provenance: Provenance,
    opts: &Options,
    hashes: Option<&integrity::hash::HashCache>,
) -> Checked {
    analyse_parts(config, tree, provenance, opts, hashes).0
}

/// [`analyse_with`], also returning the validation's findings by where they come from (`serve`
/// keeps them to re-validate incrementally).
pub(crate) fn analyse_parts(
    config: Config,
    tree: Tree,
    provenance: Provenance,
    opts: &Options,
    hashes: Option<&integrity::hash::HashCache>,
) -> (Checked, validate::Parts) {
    let graph = graph::build_with(&tree, &config, hashes);
    let assessment = assess::assess_with(&tree, &graph, &config, opts.today, &provenance);
    let parts = validate::validate_parts(&tree, &graph, &config, &assessment);
    let diagnostics = findings(&tree, &parts, opts.strict);
    (Checked { config, tree, graph, assessment, diagnostics, provenance }, parts)
}

/// Every finding of a tree: the loader's and the validation's, made strict when asked, sorted.
pub(crate) fn findings(tree: &Tree, parts: &validate::Parts, strict: bool) -> Vec<Diagnostic> {
    let mut diagnostics = tree.diagnostics.clone();
    diagnostics.extend(parts.findings());
    if strict {
        diagnostics::make_strict(&mut diagnostics);
    }
    diagnostics::sort(&mut diagnostics);
    diagnostics
}

/// What a successful build wrote.
#[derive(Debug)]
pub(crate) struct Built {
    /// The output directory.
    pub out: PathBuf,
    /// Number of documents.
    pub documents: usize,
    /// Number of files written.
    pub files: usize,
    /// Wall time of the whole build.
    pub millis: u128,
    /// The site digest (SHA-256 of `manifest.json`).
    pub digest: String,
}

/// Renders a checked tree into `out`, atomically: every file of the site is emitted into a
/// staging folder, sealed (manifest, then `SHA256SUMS`), and swapped in. `origin` says who chose
/// `out` (only the command line may send it outside the content root); with `since`
/// (`--changes-since`), the site gets `changes.html` comparing it with that earlier portal.
/// Call only when `checked` has no errors. Takes the tree by value so that what only the check
/// and the manifest needed (source texts, findings) is freed before the pages are rendered:
/// memory peaks while rendering, and at 100,000 documents the sources alone are a quarter of a
/// GiB.
pub(crate) fn write_site(
    mut checked: Checked,
    opts: &Options,
    out: &Path,
    origin: output::OutputOrigin,
    since: Option<&integrity::diff::Baseline>,
) -> anyhow::Result<Built> {
    let start = Instant::now();
    let theme = Theme::load(&opts.root, &checked.config)?;
    let staging = output::stage(out, &opts.root, &output::content_folders(&opts.root, &checked.config), origin)?;
    let manifest = integrity::manifest::build(
        &checked.tree,
        &checked.graph,
        &checked.config,
        &checked.provenance,
        &checked.assessment,
    )?;
    let changes = since.map(|b| b.changes_to(&manifest.bytes)).transpose()?;
    staging.write(integrity::MANIFEST, &manifest.bytes)?;
    let digest = manifest.digest;
    // Nothing past the manifest reads its bytes (8 MB at 10,000 documents), the source texts or
    // the findings (already reported).
    drop(manifest.bytes);
    checked.tree.sources = Default::default();
    checked.diagnostics = Vec::new();
    let documents = checked.tree.documents.len();
    let mut cx = checked.render_cx(&theme, digest.clone());
    cx.shared = crate::render::tables::Shared::single_build();
    cx.changes = changes.as_ref();
    let emitted = emit::emit(&cx, &emit::items(&cx), &staging)?;
    let written = staging.take_written();
    // Last: it covers every other file. Freeing the render model (a few hundred MB at 100,000
    // documents) runs beside it rather than before it.
    let seal = || integrity::sums::seal(staging.dir(), &written, &checked.graph.files);
    let ((), sealed) = rayon::join(move || drop(cx), seal);
    sealed?;
    let out = staging.commit()?;
    let millis = start.elapsed().as_millis();
    let files = emitted.len() + 2;
    free_in_background(checked);
    Ok(Built { out, documents, files, millis, digest })
}

/// Drops `checked` on a thread of its own: freeing a tree of 100,000 documents one allocation
/// at a time takes about a second, which `aimsdoc build` (about to report and exit) need not
/// wait for.
fn free_in_background(checked: Checked) {
    let spawned = std::thread::Builder::new().name("aimsdoc-free".into()).spawn(move || drop(checked));
    // Without a thread (the system refused one), it was freed here.
    drop(spawned);
}

#[cfg(test)]
mod render_tests;
