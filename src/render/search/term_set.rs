//! A set of distinct search terms in one buffer: the terms back to back, each with its end and
//! its hash, found again through a hash table of term numbers. A document's terms are collected
//! into one (the tokenizer writes a candidate at the buffer's end and keeps it only when it is
//! new), and each shard of the index's vocabulary is one too, fed with the hashes the documents
//! already computed: no term is hashed twice, and nothing is allocated per term or per word.

use std::hash::{BuildHasher, Hasher};

use foldhash::fast::FixedState;
use hashbrown::HashTable;

/// The hash of a term: a fixed seed, so a document's cached terms stay valid across builds.
pub(crate) fn hash(term: &str) -> u64 {
    let mut h = FixedState::with_seed(0x42001).build_hasher();
    h.write(term.as_bytes());
    h.finish()
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

    /// The terms as an immutable, exactly sized list (the hash table left behind).
    pub(crate) fn to_doc_terms(&self) -> DocTerms {
        let end = self.ends.last().map_or(0, |&e| e as usize);
        DocTerms {
            text: self.text[..end].into(),
            ends: self.ends.as_slice().into(),
            hashes: self.hashes.as_slice().into(),
            passage: Box::default(),
        }
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
/// (`^term`) included, each with its hash, in no particular order (the index sorts its
/// vocabulary once), and the record of its passage. One buffer each, not a string per term.
pub(crate) struct DocTerms {
    text: Box<str>,
    ends: Box<[u32]>,
    hashes: Box<[u64]>,
    /// The passage's record (see `passage::Recorder`; empty for an unpublished body).
    pub(crate) passage: Box<[u8]>,
}

impl DocTerms {
    /// Every term with its hash.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        (0..self.ends.len()).map(|k| (term_at(&self.text, &self.ends, k), self.hashes[k]))
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
