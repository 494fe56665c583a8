//! The analysis `serve` keeps between rebuilds, and how an edit of document files updates it
//! without redoing the whole tree: link through [`graph::relink`] (only the edited documents'
//! links are resolved again), keep the assessment when no edited document's front matter changed
//! and none became written or unwritten (everything `assess` reads is front matter, whether the
//! body is still a template's, the ledger, the configuration and the date), and
//! then re-run only the rules whose findings the edit can change ([`validate::revalidate_body`])
//! and patch the sorted findings list in the files they touched ([`super::patch`]). The register
//! rows and their hashes are remade only where a document or its currency changed. The result is exactly what a full analysis of the same tree
//! gives (`serve/incremental_tests.rs` applies sequences of edits and compares).

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::fingerprint::hash_json;
use super::patch;
use super::trace::Trace;
use crate::config::Config;
use crate::content::reload::Reloader;
use crate::content::Tree;
use crate::graph::{self, Graph, Resolved};
use crate::integrity::hash::HashCache;
use crate::render::view::{self, DocRow};
use crate::site::{self, Checked, Options};
use crate::{assess, validate};

/// The analysed tree, with what an incremental update starts from.
pub(crate) struct Analysis {
    /// Tree, graph, assessment and findings.
    pub checked: Checked,
    /// The validation's findings by where they come from.
    parts: validate::Parts,
    /// The register row of each document (parallel to `checked.tree.documents`).
    pub rows: Vec<DocRow>,
    /// A hash of each row (the page fingerprints read them).
    pub row_hashes: Vec<u64>,
    /// Each row as a template value, once a render has needed them (only pages rendered from
    /// templates read them: with the built-in theme, none); empty until then (see
    /// `render::tables::Shared::with_row_values`).
    pub row_values: Vec<tera::Value>,
}

/// A changed document as it was before the edit.
struct Before {
    /// Its text up to the end of the front matter (`None` when it has none).
    front: Option<String>,
    /// The documents its body links led to.
    targets: Vec<usize>,
    /// What it contributed to the graph's indexes and backlinks.
    indexed: graph::Indexed,
    /// Its body was written (not a template's guidance; see `content::guidance`): the
    /// checklist reads that.
    written: bool,
    /// The files its links and attachments led to.
    uses: Uses,
}

/// The files a document's body links and attachments lead to (what the whole-tree rule on
/// evidence nothing uses reads), as resolved.
#[derive(Debug, PartialEq, Eq)]
struct Uses {
    /// The files its body links lead to, in link order.
    links: Vec<String>,
    /// Its attachments.
    attachments: Vec<graph::Attachment>,
}

impl Uses {
    /// What document `i` of graph `g` uses.
    fn of(g: &Graph, i: usize) -> Uses {
        let links = g.links[i]
            .iter()
            .filter_map(|r| match r {
                Resolved::File(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        Uses { links, attachments: g.attachments[i].clone() }
    }
}

impl Analysis {
    /// Analyses `tree` from scratch.
    fn full(checked: Checked, parts: validate::Parts) -> Analysis {
        let rows = view::doc_rows(&checked.tree, &checked.config, &checked.assessment);
        let row_hashes = rows.par_iter().map(hash_json).collect();
        Analysis { checked, parts, rows, row_hashes, row_values: Vec::new() }
    }

    /// Analyses `tree` from scratch with the history `serve` and `lsp` use (none), taking the
    /// hashes of unchanged content files from `hashes`.
    pub(crate) fn start(config: Config, tree: Tree, opts: &Options, hashes: &HashCache) -> Analysis {
        let (checked, parts) = site::analyse_parts(config, tree, site::preview_history(), opts, Some(hashes));
        Analysis::full(checked, parts)
    }

    /// Re-reads every document (`changed` is `None`) or the document files `changed` through
    /// `reloader`, and analyses the tree again: `incremental` when nothing but those files
    /// changed since the last analysis (not the configuration, the date, nor any other file of
    /// the content tree), else from scratch. Returns the number of files read.
    pub(super) fn reload(
        &mut self,
        reloader: &mut Reloader,
        changed: Option<&BTreeSet<String>>,
        incremental: bool,
        opts: &Options,
        hashes: &HashCache,
        trace: &mut Trace,
    ) -> anyhow::Result<usize> {
        let read = |tree: &mut Tree, config: &Config| reloader.update(tree, config, changed);
        self.update(changed, incremental, opts, hashes, trace, read)
    }

    /// Lets `read` swap the files `changed` (every document file, when `None`) into the tree,
    /// then analyses it again: incrementally when `incremental` (only those document files
    /// changed since the last analysis: not the configuration, the date, nor any other file of
    /// the content tree), else from scratch. `serve` reads from disk, `lsp` from its buffers.
    pub(crate) fn update<R>(
        &mut self,
        changed: Option<&BTreeSet<String>>,
        incremental: bool,
        opts: &Options,
        hashes: &HashCache,
        trace: &mut Trace,
        read: impl FnOnce(&mut Tree, &Config) -> R,
    ) -> R {
        let Some(changed) = changed.filter(|_| incremental) else {
            let mut tree = std::mem::take(&mut self.checked.tree);
            let config = std::mem::take(&mut self.checked.config);
            let result = read(&mut tree, &config);
            *self = Analysis::start(config, tree, opts, hashes);
            return result;
        };
        let before = self.before(changed);
        let unparsed = self.checked.tree.unparsed_ids.clone();
        trace.mark("before");
        let mut tree = std::mem::take(&mut self.checked.tree);
        let result = read(&mut tree, &self.checked.config);
        // Other documents' findings name ids of files that could not be parsed.
        let kept = tree.unparsed_ids == unparsed;
        self.checked.tree = tree;
        trace.mark("read");
        self.analyse_edit(changed, &before, kept, opts, hashes, trace);
        result
    }

    /// What each of `changed` was before the edit (by path; absent for new files).
    fn before(&self, changed: &BTreeSet<String>) -> Vec<(String, Before)> {
        let (tree, g) = (&self.checked.tree, &self.checked.graph);
        changed
            .iter()
            .filter_map(|path| {
                let i = *g.by_path.get(path)?;
                let front = tree.sources.get(path).and_then(|s| s.front_matter()).map(str::to_string);
                let indexed = graph::indexed(g, &tree.documents, i);
                let uses = Uses::of(g, i);
                let written = tree.documents[i].unwritten.is_none();
                Some((path.clone(), Before { front, targets: page_targets(&g.links[i]), indexed, written, uses }))
            })
            .collect()
    }

    /// Links, assesses and validates the tree after the files `changed` were re-read.
    fn analyse_edit(
        &mut self,
        changed: &BTreeSet<String>,
        before: &[(String, Before)],
        unparsed_kept: bool,
        opts: &Options,
        hashes: &HashCache,
        trace: &mut Trace,
    ) {
        let c = &mut self.checked;
        let previous = std::mem::take(&mut c.graph);
        let indexed = before.iter().map(|(path, b)| (path.clone(), b.indexed.clone())).collect();
        let (graph, same_documents) = graph::relink(previous, &indexed, &c.tree, &c.config, changed, Some(hashes));
        c.graph = graph;
        trace.mark("link");
        let edited: Vec<usize> = changed.iter().filter_map(|p| c.graph.by_path.get(p).copied()).collect();
        let assessed_kept = front_matter_kept(&c.tree, before) && written_kept(&c.tree, &c.graph, before);
        let rows_to_redo = if same_documents && unparsed_kept && assessed_kept {
            self.revalidate_body(changed, &edited, before, opts, trace);
            edited
        } else {
            self.reassess(&edited, same_documents, opts, trace)
        };
        self.redo_rows(&rows_to_redo);
        trace.mark("rows");
    }

    /// After an edit of document bodies only (front matter, and so the assessment and the ids,
    /// unchanged): re-runs the rules the edit can affect and patches the findings list in the
    /// files whose findings may have changed.
    fn revalidate_body(
        &mut self,
        changed: &BTreeSet<String>,
        edited: &[usize],
        before: &[(String, Before)],
        opts: &Options,
        trace: &mut Trace,
    ) {
        let c = &mut self.checked;
        let dirty = neighbourhood(edited, before, &c.graph);
        let files_changed =
            before.iter().any(|(path, b)| c.graph.by_path.get(path).is_none_or(|&i| Uses::of(&c.graph, i) != b.uses));
        let edit = validate::BodyEdit { edited, dirty: &dirty, files_changed };
        let parts = std::mem::take(&mut self.parts);
        let (parts, touched) = validate::revalidate_body(parts, &edit, &c.tree, &c.graph, &c.config, &c.assessment);
        self.parts = parts;
        trace.mark("assess and validate");
        match touched {
            Some(mut files) => {
                // The edited files' load findings were read again too.
                files.extend(changed.iter().cloned());
                patch::findings(&mut c.diagnostics, &files, &c.tree, &self.parts, opts.strict);
            }
            None => c.diagnostics = site::findings(&c.tree, &self.parts, opts.strict),
        }
        trace.mark("findings");
    }

    /// After any other edit of document files: assesses and validates the whole tree again.
    /// Returns the documents whose rows must be remade: the edited ones and those whose currency
    /// or disposition changed (all of them when the documents are not the same).
    fn reassess(&mut self, edited: &[usize], same_documents: bool, opts: &Options, trace: &mut Trace) -> Vec<usize> {
        let c = &mut self.checked;
        let assessment = assess::assess_with(&c.tree, &c.graph, &c.config, opts.today, &c.provenance);
        let old = std::mem::replace(&mut c.assessment, assessment);
        self.parts = validate::validate_parts(&c.tree, &c.graph, &c.config, &c.assessment);
        trace.mark("assess and validate");
        c.diagnostics = site::findings(&c.tree, &self.parts, opts.strict);
        trace.mark("findings");
        let new = &c.assessment;
        match same_documents {
            true => (0..c.tree.documents.len())
                .filter(|&i| {
                    edited.contains(&i)
                        || old.currency[i] != new.currency[i]
                        || old.disposition[i] != new.disposition[i]
                })
                .collect(),
            false => (0..c.tree.documents.len()).collect(),
        }
    }

    /// Remakes the rows (and their hashes, and their values if a render made them) of the
    /// documents `redo`; when the number of documents changed, all of them (and the values are
    /// made again when a render next needs them).
    fn redo_rows(&mut self, redo: &[usize]) {
        let c = &self.checked;
        let (docs, a) = (&c.tree.documents, &c.assessment);
        if self.rows.len() != docs.len() || redo.len() == docs.len() {
            self.rows = view::doc_rows(&c.tree, &c.config, a);
            self.row_hashes = self.rows.par_iter().map(hash_json).collect();
            self.row_values = Vec::new();
            return;
        }
        let values = self.row_values.len() == self.rows.len();
        for &i in redo {
            self.rows[i] = view::doc_row(&docs[i], &c.config, a.currency[i], a.disposition[i]);
            self.row_hashes[i] = hash_json(&self.rows[i]);
            if values {
                self.row_values[i] = tera::Value::from_serializable(&self.rows[i]);
            }
        }
    }
}

/// The documents whose per-document findings a body-only edit of `edited` can change: the
/// edited documents and every document one of their body links led to before or leads to now
/// (its backlinks changed). Front matter, and so the assessment, is unchanged.
fn neighbourhood(edited: &[usize], before: &[(String, Before)], g: &Graph) -> Vec<usize> {
    let mut dirty: BTreeSet<usize> = edited.iter().copied().collect();
    dirty.extend(before.iter().flat_map(|(_, b)| b.targets.iter().copied()));
    dirty.extend(edited.iter().flat_map(|&i| page_targets(&g.links[i])));
    dirty.into_iter().collect()
}

/// Whether every document in `before` is still in `tree` with the same front matter text.
fn front_matter_kept(tree: &Tree, before: &[(String, Before)]) -> bool {
    before.iter().all(|(path, b)| {
        let now = tree.sources.get(path).and_then(|s| s.front_matter());
        b.front.is_some() && now == b.front.as_deref()
    })
}

/// Whether each edited document's body is still as written (or unwritten) as before.
fn written_kept(tree: &Tree, graph: &Graph, before: &[(String, Before)]) -> bool {
    before
        .iter()
        .all(|(path, b)| graph.by_path.get(path).is_some_and(|&i| tree.documents[i].unwritten.is_none() == b.written))
}

/// The documents a document's resolved body links lead to.
fn page_targets(links: &[Resolved]) -> Vec<usize> {
    links
        .iter()
        .filter_map(|r| match r {
            Resolved::Page(t, _) => Some(*t),
            _ => None,
        })
        .collect()
}
