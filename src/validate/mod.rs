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
    pub unparsed_ids: &'a std::collections::BTreeSet<String>,
    /// "Did you mean" over the document ids, built once per run.
    pub id_index: crate::util::Suggester,
}

impl Ctx<'_> {
    /// Whether `id` names a document (parsed or not).
    pub(crate) fn id_exists(&self, id: &str) -> bool {
        self.graph.by_id.contains_key(id) || self.unparsed_ids.contains(id)
    }
}

/// The findings of one validation, kept apart by where they come from, so `serve` can re-run
/// the per-document rules of only the documents an edit can affect ([`revalidate`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Parts {
    /// Findings of the whole-tree rules that run before the per-document ones.
    head: Vec<Diagnostic>,
    /// Per document (parallel to `tree.documents`), the findings of the per-document rules.
    per_doc: Vec<Vec<Diagnostic>>,
    /// Findings of the whole-tree rules that run after them (the ledger, the version in force).
    tail: Vec<Diagnostic>,
}

impl Parts {
    /// Every finding (unsorted): the head rules', each document's in document order, the tail's.
    pub(crate) fn findings(&self) -> Vec<Diagnostic> {
        let per_doc = self.per_doc.iter().flatten();
        self.head.iter().chain(per_doc).chain(&self.tail).cloned().collect()
    }
}

/// Runs every rule over `tree`, keeping the findings (unsorted) in [`Parts`].
pub(crate) fn validate_parts(tree: &Tree, graph: &Graph, config: &Config, assessment: &Assessment) -> Parts {
    let all: Vec<usize> = (0..tree.documents.len()).collect();
    revalidate(Parts::default(), &all, tree, graph, config, assessment)
}

/// [`validate_parts`] after an edit, given the findings `previous` of the tree before it: the
/// whole-tree rules run again, the per-document rules only for the documents in `dirty` (the
/// caller's judgement of which documents' findings the edit can change: it must list every
/// document whose own text, resolved links, or the documents those rules read about changed).
/// With every document dirty, or when the number of documents changed, this is
/// [`validate_parts`].
pub(crate) fn revalidate(
    previous: Parts,
    dirty: &[usize],
    tree: &Tree,
    graph: &Graph,
    config: &Config,
    assessment: &Assessment,
) -> Parts {
    let docs = &tree.documents;
    let today = assessment.today;
    let id_index = crate::util::Suggester::new(graph.by_id.keys().map(String::as_str));
    let cx = Ctx { docs, graph, config, today, assessment, unparsed_ids: &tree.unparsed_ids, id_index };
    let mut head = identification::check_tree(&cx);
    head.extend(soa::check_tree(&cx));
    head.extend(soa::check_present(&cx));
    head.extend(coverage::check_tree(&cx));
    let (mut per_doc, dirty) = match previous.per_doc.len() == docs.len() {
        true => (previous.per_doc, dirty.to_vec()),
        false => (vec![Vec::new(); docs.len()], (0..docs.len()).collect()),
    };
    let fresh: Vec<(usize, Vec<Diagnostic>)> = dirty.into_par_iter().map(|i| (i, check_document(i, &cx))).collect();
    for (i, found) in fresh {
        per_doc[i] = found;
    }
    let mut tail = ledger::check_tree(tree, graph, assessment);
    tail.extend(in_force::check_tree(tree, assessment));
    Parts { head, per_doc, tail }
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
