//! Clause 7.5 document control: every rule family runs over every document and the findings are
//! collected together. One file per family; each exposes `check(doc_index, &Ctx, &mut Vec)`.

mod approval;
mod coverage;
mod identification;
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

/// Runs every rule over `tree`, returning all findings (unsorted).
pub(crate) fn validate(tree: &Tree, graph: &Graph, config: &Config, assessment: &Assessment) -> Vec<Diagnostic> {
    let today = assessment.today;
    let id_index = crate::util::Suggester::new(graph.by_id.keys().map(String::as_str));
    let cx =
        Ctx { docs: &tree.documents, graph, config, today, assessment, unparsed_ids: &tree.unparsed_ids, id_index };
    let mut out = identification::check_tree(&cx);
    out.extend(soa::check_tree(&cx));
    out.extend(soa::check_present(&cx));
    out.extend(coverage::check_tree(&cx));
    let per_doc: Vec<Diagnostic> = (0..tree.documents.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut d = Vec::new();
            approval::check(i, &cx, &mut d);
            review::check(i, &cx, &mut d);
            versioning::check(i, &cx, &mut d);
            obsolete::check(i, &cx, &mut d);
            references::check(i, &cx, &mut d);
            retention::check(i, &cx, &mut d);
            records::check(i, &cx, &mut d);
            origin::check(i, &cx, &mut d);
            placeholders::check(i, &cx, &mut d);
            coverage::check(i, &cx, &mut d);
            d
        })
        .collect();
    out.extend(per_doc);
    out.extend(ledger::check_tree(tree, graph, assessment));
    out
}
