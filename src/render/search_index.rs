//! The client-side search index, split so a page loads only what a query needs. The search page
//! loads `assets/search-index.js`, a small manifest (`window.AIMSDOC_SEARCH`); `search.js` then
//! loads script parts on demand (scripts, not JSON, so they load from `file://` too; each calls
//! `window.AIMSDOC_PART(name, n, data)`):
//!
//! - `assets/search/tN.js` (`search-t`): a run of the sorted vocabulary and, per term, the
//!   entries containing it as base-36 gaps joined by `.`; the manifest lists each run's first
//!   term, so a query term's prefix picks the runs to load.
//! - `assets/search/mN.js` (`search-m`): [`META_ROWS`] entries' id, title, type, state, owner
//!   and page, loaded for the results shown.
//! - `assets/search/xN.js` (`search-x`): [`TEXT_ROWS`] entries' plain text, for the passage each
//!   result shows.
//!
//! Entries are the documents and the ISO/IEC 42001 clauses and controls, numbered in id order,
//! so ordering results by id needs no metadata.

mod postings;

use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;

use super::search::{all_terms, doc_terms, encode_gaps, entry_terms, passage_text, DocTerms};
use super::tables::part_script;
use super::RenderCx;
use crate::catalog::{self, Kind};
use postings::Postings;

/// Entries per metadata part (about 25 KB at typical title lengths).
pub(crate) const META_ROWS: usize = 200;
/// Entries per text part (at most about 100 KB).
pub(crate) const TEXT_ROWS: usize = 50;
/// Bytes of vocabulary and postings per term part, before the term that crosses it.
const TERM_BYTES: usize = 256 * 1024;
/// Entries tokenized at a time by a one-off build: their terms are dropped once posted (small
/// in tests, so that a small tree crosses chunk boundaries).
const TERM_CHUNK: usize = if cfg!(test) { 7 } else { 2048 };

/// Where an entry comes from.
#[derive(Clone, Copy)]
enum Source {
    Document(usize),
    Catalog(usize),
}

/// One run of the vocabulary.
#[derive(Serialize)]
struct TermPart {
    vocab: Vec<Box<str>>,
    postings: Vec<String>,
}

/// The whole index of one build, split into parts.
pub(crate) struct SearchIndex {
    /// id, title, type, state, owner, page: one per entry, in id order.
    meta: Vec<[String; 6]>,
    sources: Vec<Source>,
    terms: Vec<TermPart>,
    /// Per document, the record its passage is replayed from (see `search::passage_text`).
    passages: Vec<Box<[u8]>>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    entries: usize,
    meta: usize,
    text: usize,
    chunks: Vec<&'a str>,
}

impl SearchIndex {
    /// Builds the index of `cx`'s documents and the catalog. A one-off build
    /// ([`Shared::single_build`](super::tables::Shared::single_build)) tokenizes the entries in
    /// chunks and keeps only the postings; otherwise the per-document terms come from (and go
    /// to) the cache `serve` keeps across rebuilds.
    pub(crate) fn build(cx: &RenderCx) -> SearchIndex {
        let entries = sorted_entries(cx);
        let (postings, passages) =
            if cx.shared.is_single_build() { post_in_chunks(cx, &entries) } else { post_cached(cx, &entries) };
        let terms = term_parts(postings.into_sorted());
        let (sources, meta) = entries.into_iter().unzip();
        SearchIndex { meta, sources, terms, passages }
    }

    /// `assets/search-index.js`: the manifest the search page loads first.
    pub(crate) fn manifest_script(&self) -> anyhow::Result<String> {
        let manifest = Manifest {
            version: 2,
            entries: self.meta.len(),
            meta: META_ROWS,
            text: TEXT_ROWS,
            chunks: self.terms.iter().map(|p| p.vocab.first().map_or("", |t| &**t)).collect(),
        };
        super::tables::script("window.AIMSDOC_SEARCH = ", &manifest, ";\n")
            .context("cannot serialise the search manifest")
    }

    /// Number of term, metadata and text parts.
    pub(crate) fn counts(&self) -> (usize, usize, usize) {
        (self.terms.len(), self.meta.len().div_ceil(META_ROWS), self.meta.len().div_ceil(TEXT_ROWS))
    }

    /// Term part `n`.
    pub(crate) fn term_script(&self, n: usize) -> anyhow::Result<String> {
        part_script("search-t", n, &self.terms.get(n))
    }

    /// Metadata part `n`.
    pub(crate) fn meta_script(&self, n: usize) -> anyhow::Result<String> {
        part_script("search-m", n, &self.meta.chunks(META_ROWS).nth(n).unwrap_or_default())
    }

    /// Text part `n`: rendered when asked (not kept), from the document bodies.
    pub(crate) fn text_script(&self, cx: &RenderCx, n: usize) -> anyhow::Result<String> {
        let iso = catalog::iso42001();
        let texts: Vec<String> = self
            .sources
            .chunks(TEXT_ROWS)
            .nth(n)
            .unwrap_or_default()
            .iter()
            .map(|s| match *s {
                Source::Document(i) => {
                    passage_text(&cx.tree.documents[i], self.passages.get(i).map_or(&[][..], |p| &**p))
                }
                Source::Catalog(i) => iso.entries[i].summary.clone(),
            })
            .collect();
        part_script("search-x", n, &texts)
    }

    /// What text part `n` derives from (for `serve`, which re-renders only changed parts).
    pub(crate) fn text_fingerprint(&self, cx: &RenderCx, n: usize) -> u64 {
        let mut h = DefaultHasher::new();
        for s in self.sources.chunks(TEXT_ROWS).nth(n).unwrap_or_default() {
            match *s {
                Source::Document(i) => (0u8, &cx.tree.documents[i].sha256, cx.rows[i].published).hash(&mut h),
                Source::Catalog(i) => (1u8, i).hash(&mut h),
            }
        }
        h.finish()
    }
}

/// The terms of catalog entry `i`.
fn catalog_terms(i: usize) -> DocTerms {
    let e = &catalog::iso42001().entries[i];
    entry_terms(&format!("{} {}", e.id, e.title), &e.summary)
}

/// The postings and passage records of a one-off build: entries tokenized a chunk at a time and
/// their terms dropped once posted.
fn post_in_chunks(cx: &RenderCx, entries: &[(Source, [String; 6])]) -> (Postings, Vec<Box<[u8]>>) {
    let mut postings = Postings::default();
    let mut passages: Vec<Box<[u8]>> = vec![Box::default(); cx.tree.documents.len()];
    for (c, chunk) in entries.chunks(TERM_CHUNK).enumerate() {
        let lists: Vec<DocTerms> = chunk
            .par_iter()
            .map(|(source, _)| match *source {
                Source::Document(i) => doc_terms(&cx.tree.documents[i], &cx.rows[i]),
                Source::Catalog(i) => catalog_terms(i),
            })
            .collect();
        postings.add(c * TERM_CHUNK, &lists.iter().collect::<Vec<_>>());
        for ((source, _), terms) in chunk.iter().zip(lists) {
            if let Source::Document(i) = *source {
                if let Some(slot) = passages.get_mut(i) {
                    *slot = terms.passage;
                }
            }
        }
    }
    (postings, passages)
}

/// The postings and passage records of a build `serve` makes: the documents' terms from (and to)
/// its cache.
fn post_cached(cx: &RenderCx, entries: &[(Source, [String; 6])]) -> (Postings, Vec<Box<[u8]>>) {
    let docs = all_terms(cx.tree, &cx.rows);
    let catalog: Vec<Option<DocTerms>> = entries
        .iter()
        .map(|(source, _)| match *source {
            Source::Document(_) => None,
            Source::Catalog(i) => Some(catalog_terms(i)),
        })
        .collect();
    let lists: Vec<&DocTerms> = entries
        .iter()
        .zip(&catalog)
        .filter_map(|((source, _), terms)| match *source {
            Source::Document(i) => docs.get(i).map(|t| &**t),
            Source::Catalog(_) => terms.as_ref(),
        })
        .collect();
    let mut postings = Postings::default();
    postings.add(0, &lists);
    (postings, docs.iter().map(|t| t.passage.clone()).collect())
}

/// Every document and catalog entry with its metadata, in id order.
fn sorted_entries(cx: &RenderCx) -> Vec<(Source, [String; 6])> {
    let mut entries: Vec<(Source, [String; 6])> = cx
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let meta = [&r.id, &r.title, &r.doc_type, r.state, &r.owner, &r.href].map(|s| s.to_string());
            (Source::Document(i), meta)
        })
        .collect();
    entries.extend(catalog::iso42001().entries.iter().enumerate().map(|(i, e)| {
        let href = super::view::catalog_href(&e.id);
        let meta = [e.id.clone(), e.title.clone(), kind_word(e.kind).into(), String::new(), String::new(), href];
        (Source::Catalog(i), meta)
    }));
    entries.sort_by(|a, b| a.1[0].cmp(&b.1[0]));
    entries
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Clause => "clause",
        Kind::AnnexObjective => "objective",
        Kind::AnnexControl => "control",
    }
}

/// The sorted vocabulary with its postings, cut into runs of about [`TERM_BYTES`].
fn term_parts(vocab: Vec<(Box<str>, Vec<u32>)>) -> Vec<TermPart> {
    // Encoded in parallel (tens of millions of postings at 100,000 documents), each list freed
    // once encoded; only the cut into parts is serial.
    let encoded: Vec<(Box<str>, String)> =
        vocab.into_par_iter().map(|(term, list)| (term, encode_gaps(&list))).collect();
    let mut parts = vec![TermPart { vocab: Vec::new(), postings: Vec::new() }];
    let mut bytes = 0;
    for (term, encoded) in encoded {
        bytes += term.len() + encoded.len() + 6;
        if let Some(part) = parts.last_mut() {
            part.vocab.push(term);
            part.postings.push(encoded);
        }
        if bytes >= TERM_BYTES {
            parts.push(TermPart { vocab: Vec::new(), postings: Vec::new() });
            bytes = 0;
        }
    }
    if parts.len() > 1 && parts.last().is_some_and(|p| p.vocab.is_empty()) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_off_build_indexes_exactly_what_the_cached_path_does() {
        let (checked, theme) = crate::site::checked_for_tests("content-example", "2026-06-01");
        let cached = checked.render_cx(&theme, String::new());
        let mut single = checked.render_cx(&theme, String::new());
        single.shared = super::super::tables::Shared::single_build();
        let (a, b) = (cached.search_index(), single.search_index());
        assert!(a.meta.len() > 3 * TERM_CHUNK, "the tree spans several chunks");
        assert_eq!(a.counts(), b.counts());
        assert_eq!(a.manifest_script().expect("manifest"), b.manifest_script().expect("manifest"));
        for n in 0..a.counts().0 {
            assert_eq!(a.term_script(n).expect("part"), b.term_script(n).expect("part"), "term part {n}");
        }
        for n in 0..a.counts().2 {
            let text = b.text_script(&single, n).expect("part");
            assert_eq!(a.text_script(&cached, n).expect("part"), text, "text part {n}");
        }
        // Every passage is what parsing its body again gives.
        for (i, d) in single.tree.documents.iter().enumerate() {
            let want =
                if single.rows[i].published { super::super::search::parsed_passage(&d.body) } else { String::new() };
            assert_eq!(passage_text(d, &b.passages[i]), want, "{}", d.id.value);
        }
        assert!(b.passages.iter().filter(|p| !p.is_empty()).count() > 10);
        // Postings are gaps from the previous entry: never negative, so every list ascends.
        let policy = b.terms.iter().flat_map(|p| p.vocab.iter().zip(&p.postings)).find(|(t, _)| &***t == "policy");
        let (_, list) = policy.expect("the example's documents mention `policy`");
        assert!(list.split('.').count() > 5, "{list}");
    }

    #[test]
    fn term_parts_keep_every_term_in_order_and_stay_small() {
        let mut postings = Postings::default();
        let words: Vec<Box<str>> = (0..40_000).map(|i| format!("w{i:06}").into_boxed_str()).collect();
        let terms = entry_terms("", &words.join(" "));
        postings.add(0, &[&terms; 20]);
        let parts = term_parts(postings.into_sorted());
        assert!(parts.len() > 1, "{} parts", parts.len());
        let joined: Vec<&str> = parts.iter().flat_map(|p| p.vocab.iter().map(|t| &**t)).collect();
        let mut sorted: Vec<&str> = words.iter().map(|w| &**w).collect();
        sorted.sort_unstable();
        assert_eq!(joined, sorted);
        for p in &parts {
            let size = serde_json::to_string(p).expect("json").len();
            assert!(size < 2 * TERM_BYTES, "{size}");
            assert_eq!(p.vocab.len(), p.postings.len());
        }
    }

    #[test]
    fn an_empty_vocabulary_is_one_empty_part() {
        let parts = term_parts(Postings::default().into_sorted());
        assert_eq!(parts.len(), 1);
        assert!(parts[0].vocab.is_empty());
    }
}
