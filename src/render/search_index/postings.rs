//! The index's postings: per term, the numbers of the entries containing it. The vocabulary is
//! split into [`SHARDS`] by the terms' hashes (computed once, when a document was tokenized) and
//! the shards are filled in parallel, each reading its own group of every entry's terms in
//! entry order, so every list ascends without sorting and no term is hashed again.

use rayon::prelude::*;

use crate::render::search::{DocTerms, TermSet, SHARDS};

/// One shard: its terms, and per term (by its number in `vocab`) the entries containing it.
#[derive(Default)]
struct Shard {
    vocab: TermSet,
    lists: Vec<Vec<u32>>,
}

/// The vocabulary as it is posted. Integers, not strings, per posting: at 100,000 documents
/// there are tens of millions of postings.
pub(super) struct Postings {
    shards: Vec<Shard>,
}

impl Default for Postings {
    fn default() -> Self {
        Postings { shards: (0..SHARDS).map(|_| Shard::default()).collect() }
    }
}

impl Postings {
    /// Posts `entries`, numbered from `first` on; entries must be posted in ascending order.
    pub(super) fn add<E>(&mut self, first: usize, entries: &[E])
    where
        E: std::ops::Deref<Target = DocTerms> + Sync,
    {
        self.shards.par_iter_mut().enumerate().for_each(|(s, shard)| {
            for (k, terms) in entries.iter().enumerate() {
                let n = u32::try_from(first + k).unwrap_or(u32::MAX);
                for (term, h) in terms.shard(s) {
                    shard.post(term, h, n);
                }
            }
        });
    }

    /// Every term with its postings, sorted by term.
    pub(super) fn into_sorted(self) -> Vec<(Box<str>, Vec<u32>)> {
        let mut vocab: Vec<(Box<str>, Vec<u32>)> = self
            .shards
            .into_par_iter()
            .flat_map_iter(|Shard { vocab, lists }| {
                let terms: Vec<Box<str>> = vocab.iter().map(|(t, _)| Box::from(t)).collect();
                terms.into_iter().zip(lists)
            })
            .collect();
        vocab.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        vocab
    }
}

impl Shard {
    fn post(&mut self, term: &str, h: u64, n: u32) {
        let Some(id) = self.vocab.intern(term, h) else { return };
        if let Some(list) = self.lists.get_mut(id as usize) {
            list.push(n);
        } else {
            self.lists.push(vec![n]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::entry_terms;

    #[test]
    fn lists_ascend_and_every_term_is_in_one_shard() {
        let entries: Vec<DocTerms> = (0..50).map(|n| entry_terms("", &format!("common w{} w{}", n % 7, n))).collect();
        let mut postings = Postings::default();
        postings.add(0, &entries.iter().collect::<Vec<_>>()[..20]);
        postings.add(20, &entries.iter().collect::<Vec<_>>()[20..]);
        let vocab = postings.into_sorted();
        assert!(vocab.windows(2).all(|w| w[0].0 < w[1].0), "sorted, each term once");
        let list = |t: &str| vocab.iter().find(|(term, _)| &**term == t).map(|(_, l)| l.clone());
        assert_eq!(list("common"), Some((0..50).collect()));
        assert_eq!(list("w3"), Some(vec![3, 10, 17, 24, 31, 38, 45]));
        assert_eq!(list("w49"), Some(vec![49]));
        assert_eq!(vocab.len(), 1 + 50);
    }
}
