//! A set of distinct search terms in one buffer: the terms back to back, each with its end and
//! its hash, found again through a hash table of term numbers. A document's terms are collected
//! into one (the tokenizer writes a candidate at the buffer's end and keeps it only when it is
//! new), and each shard of the index's vocabulary is one too, fed with the hashes the documents
//! already computed: no term is hashed twice, and nothing is allocated per term or per word.
//! A document's terms are kept grouped by the index shard their hash falls in ([`shard_of`]),
//! so each shard of the index reads only its own terms of every document.

use std::hash::{BuildHasher, Hasher};

use foldhash::fast::FixedState;
use hashbrown::HashTable;

/// The hash of a term: a fixed seed, so a document's cached terms stay valid across builds.
pub(crate) fn hash(term: &str) -> u64 {
    let mut h = FixedState::with_seed(0x42001).build_hasher();
    h.write(term.as_bytes());
    h.finish()
}

/// Shards of the index's vocabulary (more than the cores a build usually has, so they balance).
pub(crate) const SHARDS: usize = 8;

/// The shard of a term hash: bits the hash tables use neither for buckets nor for tags.
pub(crate) fn shard_of(h: u64) -> usize {
    (h >> 32) as usize % SHARDS
}

/// Distinct terms in the order they were first kept; term `id` is `text[ends[id - 1]..ends[id]]`.
/// Whatever follows the last term's end is the candidate being written.
#[derive(Default)]
pub(crate) struct TermSet {
    text: String,
    ends: Vec<u32>,
    hashes: Vec<u64>,
    table: HashTable<u32>,
}

impl TermSet {
    /// Number of distinct terms.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Term `id` (empty when there is none).
    #[cfg(test)]
    pub(crate) fn term(&self, id: u32) -> &str {
        term_at(&self.text, &self.ends, id as usize)
    }

    /// Every term with its hash, in the order they were kept.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        (0..self.len()).map(|k| (term_at(&self.text, &self.ends, k), self.hashes[k]))
    }

    /// Forgets every term, keeping the buffers for the next document.
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.hashes.clear();
        self.table.clear();
    }

    /// Appends `s` to the candidate.
    pub(crate) fn write(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends `s`, ASCII, lowercased, to the candidate.
    pub(crate) fn write_lower_ascii(&mut self, s: &str) {
        let start = self.text.len();
        self.text.push_str(s);
        if let Some(written) = self.text.get_mut(start..) {
            written.make_ascii_lowercase();
        }
    }

    /// The candidate written since the last term was kept.
    pub(crate) fn candidate(&self) -> &str {
        &self.text[self.candidate_start()..]
    }

    /// Drops the candidate.
    pub(crate) fn discard(&mut self) {
        self.text.truncate(self.candidate_start());
    }

    /// Keeps the candidate as a term if it is new, else drops it.
    pub(crate) fn keep(&mut self) {
        let term = self.candidate();
        let h = hash(term);
        if self.find(term, h).is_some() || self.push_end(h).is_none() {
            self.discard();
        }
    }

    /// The number of `term` (whose hash is `h`), added if it is new; `None` only when the set
    /// would outgrow 4 GiB of text.
    pub(crate) fn intern(&mut self, term: &str, h: u64) -> Option<u32> {
        if let Some(id) = self.find(term, h) {
            return Some(id);
        }
        self.discard();
        self.text.push_str(term);
        let id = self.push_end(h);
        if id.is_none() {
            self.discard();
        }
        id
    }

    /// The terms as an immutable, exactly sized list grouped by shard (the hash table left
    /// behind).
    pub(crate) fn to_doc_terms(&self) -> DocTerms {
        let mut shard_ends = [0u32; SHARDS];
        for &h in &self.hashes {
            shard_ends[shard_of(h)] += 1;
        }
        let mut sum = 0;
        for end in &mut shard_ends {
            sum += *end;
            *end = sum;
        }
        // Where the next term of each shard goes: its group's start.
        let mut next: [u32; SHARDS] = std::array::from_fn(|s| if s == 0 { 0 } else { shard_ends[s - 1] });
        let mut order = vec![0u32; self.len()];
        for (k, &h) in self.hashes.iter().enumerate() {
            let slot = &mut next[shard_of(h)];
            if let (Some(o), Ok(k)) = (order.get_mut(*slot as usize), u32::try_from(k)) {
                *o = k;
            }
            *slot += 1;
        }
        let end = self.candidate_start();
        let (mut text, mut ends, mut hashes) =
            (String::with_capacity(end), Vec::with_capacity(order.len()), Vec::with_capacity(order.len()));
        for &k in &order {
            text.push_str(term_at(&self.text, &self.ends, k as usize));
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            hashes.push(self.hashes[k as usize]);
        }
        DocTerms { text: text.into(), ends: ends.into(), hashes: hashes.into(), shard_ends, passage: Box::default() }
    }

    fn candidate_start(&self) -> usize {
        self.ends.last().map_or(0, |&e| e as usize)
    }

    fn find(&self, term: &str, h: u64) -> Option<u32> {
        let (text, ends, hashes) = (&self.text, &self.ends, &self.hashes);
        let same = |&id: &u32| hashes[id as usize] == h && term_at(text, ends, id as usize) == term;
        self.table.find(h, same).copied()
    }

    /// Records the candidate, whose hash is `h`, as the next term.
    fn push_end(&mut self, h: u64) -> Option<u32> {
        let id = u32::try_from(self.ends.len()).ok()?;
        self.ends.push(u32::try_from(self.text.len()).ok()?);
        self.hashes.push(h);
        let hashes = &self.hashes;
        self.table.insert_unique(h, id, |&id| hashes[id as usize]);
        Some(id)
    }
}

fn term_at<'a>(text: &'a str, ends: &[u32], k: usize) -> &'a str {
    let start = if k == 0 { 0 } else { ends.get(k - 1).map_or(0, |&e| e as usize) };
    let end = ends.get(k).map_or(start, |&e| e as usize);
    text.get(start..end).unwrap_or_default()
}

/// What one document or catalog entry contributes to the index: its distinct terms, head terms
/// (`^term`) included, each with its hash, grouped by shard and otherwise in no particular
/// order (the index sorts its vocabulary once), and the record of its passage. One buffer
/// each, not a string per term.
pub(crate) struct DocTerms {
    text: Box<str>,
    ends: Box<[u32]>,
    hashes: Box<[u64]>,
    /// Shard `s`'s terms are numbers `shard_ends[s - 1]..shard_ends[s]` (from 0 for shard 0).
    shard_ends: [u32; SHARDS],
    /// The passage's record (see `passage::Recorder`; empty for an unpublished body).
    pub(crate) passage: Box<[u8]>,
}

impl DocTerms {
    /// Every term with its hash.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        (0..self.ends.len()).map(|k| (term_at(&self.text, &self.ends, k), self.hashes[k]))
    }

    /// The terms of shard `s` (see [`shard_of`]) with their hashes.
    pub(crate) fn shard(&self, s: usize) -> impl Iterator<Item = (&str, u64)> {
        let start = s.checked_sub(1).and_then(|p| self.shard_ends.get(p)).map_or(0, |&e| e as usize);
        let end = self.shard_ends.get(s).map_or(start, |&e| e as usize);
        (start..end).map(|k| (term_at(&self.text, &self.ends, k), self.hashes[k]))
    }

    /// Every term, sorted.
    #[cfg(test)]
    pub(crate) fn sorted(&self) -> Vec<&str> {
        let mut list: Vec<&str> = self.iter().map(|(t, _)| t).collect();
        list.sort_unstable();
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_of(words: &[&str]) -> TermSet {
        let mut set = TermSet::default();
        for w in words {
            set.write(w);
            set.keep();
        }
        set
    }

    #[test]
    fn a_term_is_kept_once_and_candidates_do_not_leak() {
        let mut set = set_of(&["risk", "policy", "risk", "", "policy", "r"]);
        set.write("pending");
        set.discard();
        let terms: Vec<&str> = set.iter().map(|(t, _)| t).collect();
        assert_eq!(terms, ["risk", "policy", "", "r"]);
        assert_eq!(set.term(1), "policy");
        assert_eq!(set.term(9), "");
        let kept = set.to_doc_terms();
        assert_eq!(kept.sorted(), ["", "policy", "r", "risk"]);
        assert!(kept.iter().all(|(t, h)| hash(t) == h));
    }

    #[test]
    fn each_shard_holds_exactly_its_own_terms() {
        let words: Vec<String> = (0..500).map(|n| format!("w{n}")).collect();
        let kept = set_of(&words.iter().map(String::as_str).collect::<Vec<_>>()).to_doc_terms();
        let mut seen: Vec<&str> = Vec::new();
        for s in 0..SHARDS {
            let terms: Vec<(&str, u64)> = kept.shard(s).collect();
            assert!(!terms.is_empty(), "500 terms fill every shard");
            assert!(terms.iter().all(|&(t, h)| hash(t) == h && shard_of(h) == s), "shard {s}");
            seen.extend(terms.iter().map(|&(t, _)| t));
        }
        assert!(kept.shard(SHARDS).next().is_none());
        seen.sort_unstable();
        assert_eq!(seen, kept.sorted(), "the shards together are the terms, each once");
    }

    #[test]
    fn interning_finds_what_was_kept_even_after_a_pending_candidate() {
        let mut set = set_of(&["alpha", "beta"]);
        set.write("gam");
        assert_eq!(set.intern("beta", hash("beta")), Some(1));
        assert_eq!(set.intern("gamma", hash("gamma")), Some(2));
        assert_eq!(set.intern("gamma", hash("gamma")), Some(2));
        assert_eq!(set.term(2), "gamma");
        assert_eq!(set.candidate(), "");
    }

    #[test]
    fn equal_hashes_of_different_terms_are_different_terms() {
        let mut set = TermSet::default();
        assert_eq!(set.intern("one", 7), Some(0));
        assert_eq!(set.intern("two", 7), Some(1));
        assert_eq!(set.intern("one", 7), Some(0));
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn clearing_reuses_the_set() {
        let mut set = set_of(&["a", "b"]);
        set.clear();
        set.write("b");
        set.keep();
        assert_eq!(set.iter().map(|(t, _)| t).collect::<Vec<_>>(), ["b"]);
    }
}
