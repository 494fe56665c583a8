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
    /// Findings about the approvals ledger itself (it runs after the per-document rules).
    ledger: Vec<Diagnostic>,
    /// Per document, the findings of checking it against the ledger.
    ledger_docs: Vec<Vec<Diagnostic>>,
    /// Findings about the versions in force (the last rule).
    in_force: Vec<Diagnostic>,
    /// The "did you mean" index over the ids these findings were made with.
    id_index: crate::util::Suggester,
}

impl Parts {
    /// Every finding (unsorted): the head rules', each document's in document order, the
    /// ledger's, each document's against the ledger, the versions in force's.
    pub(crate) fn findings(&self) -> Vec<Diagnostic> {
        self.iter().cloned().collect()
    }

    /// The findings of [`Parts::findings`], in the same order, without copying them.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        let per_doc = self.per_doc.iter().flatten();
        let ledger = self.ledger.iter().chain(self.ledger_docs.iter().flatten());
        self.head.iter().chain(per_doc).chain(ledger).chain(&self.in_force)
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
fn ctx<'a>(
    tree: &'a Tree,
    graph: &'a Graph,
    config: &'a Config,
    assessment: &'a Assessment,
    id_index: &'a crate::util::Suggester,
) -> Ctx<'a> {
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

/// Runs every rule over `tree`, keeping the findings (unsorted) in [`Parts`].
pub(crate) fn validate_parts(tree: &Tree, graph: &Graph, config: &Config, assessment: &Assessment) -> Parts {
    let id_index = crate::util::Suggester::new(graph.by_id.keys().map(String::as_str));
    let cx = ctx(tree, graph, config, assessment, &id_index);
    let all = 0..tree.documents.len();
    // The whole-tree rules are serial: they run beside the per-document ones, not before them.
    let (head, per_doc) =
        rayon::join(|| head_rules(&cx), || all.clone().into_par_iter().map(|i| check_document(i, &cx)).collect());
    let (approvals, ledger) = ledger::check_ledger(assessment);
    let against = |i| approvals.map_or_else(Vec::new, |l| ledger::check_document(i, tree, graph, l));
    let ledger_docs = all.into_par_iter().map(against).collect();
    let in_force = in_force::check_tree(tree, assessment);
    Parts { head, per_doc, ledger, ledger_docs, in_force, id_index }
}

/// What an edit that changed only document bodies changed, for [`revalidate_body`]. The caller
/// vouches that every document is where it was, with the same front matter (so the same ids
/// and the same assessment), and that no other file of the content tree changed.
pub(crate) struct BodyEdit<'e> {
    /// The documents whose files changed.
    pub edited: &'e [usize],
    /// The documents whose per-document findings the edit can change: every document whose own
    /// text or resolved links changed, and every document whose backlinks did.
    pub dirty: &'e [usize],
    /// Whether an edited document links to other files than before (or attaches others): the
    /// whole-tree rules that read them (evidence nothing uses) must run again.
    pub files_changed: bool,
}

/// [`validate_parts`] after a body-only `edit`, given the findings `previous` of the tree before
/// it: the per-document rules run again only for `edit.dirty`, the ledger's check of a document
/// (its text's hash) only for `edit.edited`, and the whole-tree rules before them (front matter,
/// the assessment, the files documents use) only when `edit.files_changed`; the ledger's own
/// findings and the versions in force (the ledger, the assessment) are kept. Also returns the
/// files whose findings may differ from `previous`'s, or `None` when the number of documents
/// changed (everything was validated again).
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
    let Parts { mut head, mut per_doc, ledger, mut ledger_docs, in_force, id_index } = previous;
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
        let fresh: Vec<(usize, Vec<Diagnostic>)> =
            edit.dirty.par_iter().map(|&i| (i, check_document(i, &cx))).collect();
        for (i, found) in fresh {
            swap(&mut per_doc[i], found);
        }
    }
    if let (Some(approvals), _) = ledger::check_ledger(assessment) {
        for &i in edit.edited {
            swap(&mut ledger_docs[i], ledger::check_document(i, tree, graph, approvals));
        }
    }
    (Parts { head, per_doc, ledger, ledger_docs, in_force, id_index }, Some(touched))
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
