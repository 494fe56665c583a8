//! The build pipeline and the output it writes. `check` is load -> graph -> assess -> validate;
//! `build` adds render -> write into a staging directory -> swap.

pub mod artifacts;
pub mod exports;
pub mod output;
mod staging;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use rayon::prelude::*;

use crate::assess::{self, Assessment};
use crate::config::{Config, Trust};
use crate::content::types::Date;
use crate::content::{self, Tree};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::graph::{self, Graph};
use crate::integrity;
use crate::render::{view, RenderCx, Theme};
use crate::validate;

/// Options of a check or build run.
#[derive(Debug, Clone)]
pub struct Options {
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
pub struct Checked {
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
}

impl Checked {
    /// The context every page renders from: the one constructor for `build` and `serve`
    /// (`digest` is the content digest a sealed build shows, or serve's preview marker).
    pub fn render_cx<'a>(&'a self, theme: &'a Theme, digest: String) -> RenderCx<'a> {
        RenderCx {
            tree: &self.tree,
            graph: &self.graph,
            assessment: &self.assessment,
            config: &self.config,
            today: self.assessment.today,
            theme,
            rows: view::doc_rows(&self.tree, &self.config, &self.assessment),
            site_digest: digest,
            nav: Default::default(),
        }
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Loads, links, assesses and validates the tree at `opts.root`.
pub fn check(opts: &Options) -> anyhow::Result<Checked> {
    let config = Config::load(&opts.root, opts.trust)?;
    let tree = content::load(&opts.root, &config)?;
    Ok(analyse(config, tree, opts))
}

/// Links, assesses and validates an already loaded tree (`serve` calls this after re-reading only the
/// files that changed).
pub fn analyse(config: Config, tree: Tree, opts: &Options) -> Checked {
    let graph = graph::build(&tree, &config);
    let assessment = assess::assess(&tree, &graph, &config, opts.today);
    let mut diagnostics = tree.diagnostics.clone();
    diagnostics.extend(validate::validate(&tree, &graph, &config, &assessment));
    if opts.strict {
        diagnostics::make_strict(&mut diagnostics);
    }
    diagnostics::sort(&mut diagnostics);
    Checked { config, tree, graph, assessment, diagnostics }
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct Built {
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

/// Renders a checked tree into `out`, atomically. `origin` says who chose `out` (only the
/// command line may send it outside the content root). Call only when `checked` has no errors.
pub fn write_site(
    checked: &Checked,
    opts: &Options,
    out: &Path,
    origin: output::OutputOrigin,
) -> anyhow::Result<Built> {
    let start = Instant::now();
    let config = &checked.config;
    let theme = Theme::load(&opts.root, config)?;
    let protected = [
        opts.root.join(&config.paths.documents),
        opts.root.join(&config.paths.evidence),
        opts.root.join(&config.paths.theme),
    ];
    let staging = output::stage(out, &opts.root, &protected, origin)?;
    let manifest = integrity::manifest::build(&checked.tree, &checked.graph)?;
    let cx = checked.render_cx(&theme, manifest.digest.clone());
    let mut files = artifacts::render_all(&cx, &artifacts::all(&cx), &|path, bytes| staging.write(path, bytes))?;
    files += copy_files(&checked.graph, &staging)?;
    for (name, bytes) in &theme.assets {
        staging.write(&format!("assets/{name}"), bytes)?;
        files += 1;
    }
    staging.write(integrity::MANIFEST, &manifest.bytes)?;
    integrity::sums::seal(staging.dir(), &checked.graph.files)?; // last: it covers every other file
    files += 2;
    let out = staging.commit()?;
    let millis = start.elapsed().as_millis();
    Ok(Built { out, documents: checked.tree.documents.len(), files, millis, digest: manifest.digest })
}

fn copy_files(graph: &Graph, staging: &output::Staging) -> anyhow::Result<usize> {
    let copied: anyhow::Result<Vec<u64>> = graph
        .files
        .keys()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|rel| {
            // From the canonical path the graph checked to lie inside the content root.
            let source =
                graph.sources.get(*rel).with_context(|| format!("internal error: `{rel}` was never resolved"))?;
            staging
                .copy(source, &crate::urls::site_path(rel))
                .with_context(|| format!("cannot copy `{rel}` into the site"))
        })
        .collect();
    Ok(copied?.len())
}
