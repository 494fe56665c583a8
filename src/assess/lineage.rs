//! Supersession, read both ways: a document's predecessors are those it names in `supersedes`
//! and those naming it in `superseded_by`; its successors the reverse. Documents connected
//! that way form a chain, kept oldest first (by effective date, then id). Document pages show
//! all three; `serve` hashes the chain into each page's fingerprint.

use crate::content::Document;
use crate::graph::Graph;

/// The supersession relation of a tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lineage {
    /// Per document, the documents it replaces, in index order.
    pub predecessors: Vec<Vec<usize>>,
    /// Per document, the documents replacing it, in index order.
    pub successors: Vec<Vec<usize>>,
    /// Chains of two or more documents, each oldest first.
    chains: Vec<Vec<usize>>,
    /// Per document, the index of its chain in `chains` (none when it stands alone).
    chain_of: Vec<Option<usize>>,
}

impl Lineage {
    /// Links every `supersedes` / `superseded_by` that names a document of the tree.
    pub(crate) fn build(docs: &[Document], graph: &Graph) -> Lineage {
        let mut predecessors = vec![Vec::new(); docs.len()];
        let mut successors = vec![Vec::new(); docs.len()];
        let resolve = |id: &str| graph.by_id.get(id).copied();
        for (i, d) in docs.iter().enumerate() {
            for j in d.supersedes.iter().filter_map(|s| resolve(s.value.as_str())).filter(|&j| j != i) {
                predecessors[i].push(j);
                successors[j].push(i);
            }
            for j in d.superseded_by.iter().filter_map(|s| resolve(s.value.as_str())).filter(|&j| j != i) {
                successors[i].push(j);
                predecessors[j].push(i);
            }
        }
        for list in predecessors.iter_mut().chain(successors.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        let mut lineage = Lineage { predecessors, successors, chains: Vec::new(), chain_of: vec![None; docs.len()] };
        lineage.collect_chains(docs);
        lineage
    }

    /// The chain `i` belongs to, oldest first, itself included; empty when it stands alone.
    pub(crate) fn chain(&self, i: usize) -> &[usize] {
        self.chain_of[i].map_or(&[], |c| self.chains[c].as_slice())
    }

    fn collect_chains(&mut self, docs: &[Document]) {
        for start in 0..docs.len() {
            if self.chain_of[start].is_some()
                || self.predecessors[start].is_empty() && self.successors[start].is_empty()
            {
                continue;
            }
            let id = self.chains.len();
            self.chain_of[start] = Some(id);
            let mut members = vec![start];
            let mut todo = vec![start];
            while let Some(j) = todo.pop() {
                for &k in self.predecessors[j].iter().chain(&self.successors[j]) {
                    if self.chain_of[k].is_none() {
                        self.chain_of[k] = Some(id);
                        members.push(k);
                        todo.push(k);
                    }
                }
            }
            members.sort_by(|&a, &b| {
                let key = |x: usize| (docs[x].effective_date(), docs[x].id.value.as_str());
                key(a).cmp(&key(b))
            });
            self.chains.push(members);
        }
    }
}
