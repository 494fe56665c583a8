//! Clause 7.5 document control: every rule family runs over every document and the findings are
//! collected together. One file per family; each exposes `check(doc_index, &Ctx, &mut Vec)`.

mod approval;
mod coverage;
mod identification;
mod in_force;
mod ledger;
mod obsolete;
mod origin;
mod placeholders;
mod records;
mod references;
mod retention;
mod review;
mod soa;
mod soa_consistency;
mod versioning;

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::assess::Assessment;
use crate::config::Config;
use crate::content::types::Date;
use crate::content::{Document, Tree};
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;

/// What every rule can see.
pub(crate) struct Ctx<'a> {
    /// All documents.
    pub docs: &'a [Document],
    /// Resolved links and indexes.
    pub graph: &'a Graph,
    /// Configuration.
    pub config: &'a Config,
    /// The date reviews and approvals are judged against.
    pub today: Date,
    /// Currency, disposition, SoA and checklist, computed once before validation.
    pub assessment: &'a Assessment,
    /// Ids of files that failed to parse (not reported again as unknown).
    pub unparsed_ids: &'a BTreeSet<String>,
    /// "Did you mean" over the document ids, built once per run (kept by `serve` while the ids
    /// are the same).
    pub id_index: &'a crate::util::Suggester,
}

impl Ctx<'_> {
    /// Whether `id` names a document (parsed or not).
    pub(crate) fn id_exists(&self, id: &str) -> bool {
        self.graph.by_id.contains_key(id) || self.unparsed_ids.contains(id)
    }
}

/// The findings of one validation, kept apart by where they come from, so `serve` can re-run
/// only the rules an edit can affect ([`revalidate_body`]).
#[derive(Debug, Default)]
pub(crate) struct Parts {
    /// Findings of the whole-tree rules that run before the per-document ones (they read front
    /// matter, the assessment, and which files the documents attach and link).
    head: Vec<Diagnostic>,
    /// Per document (parallel to `tree.documents`), the findings of the per-document rules.
    per_doc: Vec<Vec<Diagnostic>>,
    /// Findings of the whole-tree rules that run after them (the ledger, the version in force).
    tail: Vec<Diagnostic>,
    /// The "did you mean" index over the ids these findings were made with.
    id_index: crate::util::Suggester,
}

impl Parts {
    /// Every finding (unsorted): the head rules', each document's in document order, the tail's.
    pub(crate) fn findings(&self) -> Vec<Diagnostic> {
        self.iter().cloned().collect()
    }

    /// The findings of [`Parts::findings`], in the same order, without copying them.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.head.iter().chain(self.per_doc.iter().flatten()).chain(&self.tail)
    }
}

#[cfg(test)]
impl Parts {
    /// Parts holding `findings` as the head rules' (for tests of what reads them).
    pub(crate) fn from_findings(head: Vec<Diagnostic>) -> Parts {
        Parts { head, ..Parts::default() }
    }
}

/// The context the rules read.
fn ctx<'a>(tree: &'a Tree, graph: &'a Graph, config: &'a Config, assessment: &'a Assessment, id_index: &'a crate::util::Suggester) -> Ctx<'a> {
    let docs = &tree.documents;
    Ctx { docs, graph, config, today: assessment.today, assessment, unparsed_ids: &tree.unparsed_ids, id_index }
}

/// The whole-tree rules that run before the per-document ones.
fn head_rules(cx: &Ctx) -> Vec<Diagnostic> {
    let mut head = identification::check_tree(cx);
    head.extend(soa::check_tree(cx));
    head.extend(soa::check_present(cx));
    head.extend(coverage::check_tree(cx));
    head
}

/// The whole-tree rules that run after the per-document ones.
fn tail_rules(tree: &Tree, graph: &Graph, assessment: &Assessment) -> Vec<Diagnostic> {
    let mut tail = ledger::check_tree(tree, graph, assessment);
    tail.extend(in_force::check_tree(tree, assessment));
    tail
}

/// Runs every rule over `tree`, keeping the findings (unsorted) in [`Parts`].
pub(crate) fn validate_parts(tree: &Tree, graph: &Graph, config: &Config, assessment: &Assessment) -> Parts {
    let id_index = crate::util::Suggester::new(graph.by_id.keys().map(String::as_str));
    let cx = ctx(tree, graph, config, assessment, &id_index);
    let head = head_rules(&cx);
    let per_doc = (0..tree.documents.len()).into_par_iter().map(|i| check_document(i, &cx)).collect();
    let tail = tail_rules(tree, graph, assessment);
    Parts { head, per_doc, tail, id_index }
}

/// What an edit that changed only document bodies changed, for [`revalidate_body`]. The caller
/// vouches that every document is where it was, with the same front matter (so the same ids
/// and the same assessment), and that no other file of the content tree changed.
pub(crate) struct BodyEdit<'e> {
    /// The documents whose per-document findings the edit can change: every document whose own
    /// text or resolved links changed, and every document whose backlinks did.
    pub dirty: &'e [usize],
    /// Whether an edited document links to other files than before (or attaches others): the
    /// whole-tree rules that read them (evidence nothing uses) must run again.
    pub files_changed: bool,
}

/// [`validate_parts`] after a body-only `edit`, given the findings `previous` of the tree before
/// it: the per-document rules run again only for `edit.dirty`, the rules after them (the ledger
/// hashes document texts) always, and the whole-tree rules before them (front matter, the
/// assessment, the files documents use) only when `edit.files_changed`. Also returns the files
/// whose findings may differ from `previous`'s, or `None` when the number of documents changed
/// (everything was validated again).
pub(crate) fn revalidate_body(
    previous: Parts,
    edit: &BodyEdit,
    tree: &Tree,
    graph: &Graph,
    config: &Config,
    assessment: &Assessment,
) -> (Parts, Option<BTreeSet<String>>) {
    if previous.per_doc.len() != tree.documents.len() {
        return (validate_parts(tree, graph, config, assessment), None);
    }
    let Parts { mut head, mut per_doc, tail, id_index } = previous;
    let mut touched = BTreeSet::new();
    let mut swap = |old: &mut Vec<Diagnostic>, new: Vec<Diagnostic>| {
        if *old != new {
            touched.extend(old.iter().chain(&new).map(|d| d.file.clone()));
            *old = new;
        }
    };
    {
        let cx = ctx(tree, graph, config, assessment, &id_index);
        if edit.files_changed {
            swap(&mut head, head_rules(&cx));
        }
        let fresh: Vec<(usize, Vec<Diagnostic>)> = edit.dirty.par_iter().map(|&i| (i, check_document(i, &cx))).collect();
        for (i, found) in fresh {
            swap(&mut per_doc[i], found);
        }
    }
    let mut tail_now = tail;
    swap(&mut tail_now, tail_rules(tree, graph, assessment));
    (Parts { head, per_doc, tail: tail_now, id_index }, Some(touched))
}

/// The findings of every per-document rule about document `i`.
fn check_document(i: usize, cx: &Ctx) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    approval::check(i, cx, &mut d);
    review::check(i, cx, &mut d);
    versioning::check(i, cx, &mut d);
    obsolete::check(i, cx, &mut d);
    references::check(i, cx, &mut d);
    retention::check(i, cx, &mut d);
    records::check(i, cx, &mut d);
    origin::check(i, cx, &mut d);
    placeholders::check(i, cx, &mut d);
    coverage::check(i, cx, &mut d);
    d
}
