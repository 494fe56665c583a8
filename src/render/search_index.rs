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

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::Context as _;
use serde::Serialize;

use super::search::{all_terms, encode_gaps, entry_terms, passage_text};
use super::tables::part_script;
use super::RenderCx;
use crate::catalog::{self, Kind};

/// Entries per metadata part (about 25 KB at typical title lengths).
pub(crate) const META_ROWS: usize = 200;
/// Entries per text part (at most about 100 KB).
pub(crate) const TEXT_ROWS: usize = 50;
/// Bytes of vocabulary and postings per term part, before the term that crosses it.
const TERM_BYTES: usize = 256 * 1024;

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
    /// Builds the index of `cx`'s documents and the catalog.
    pub(crate) fn build(cx: &RenderCx) -> SearchIndex {
        let entries = sorted_entries(cx);
        let doc_terms = all_terms(cx.tree, &cx.rows);
        let catalog_terms: Vec<Vec<Box<str>>> = catalog::iso42001()
            .entries
            .iter()
            .map(|e| entry_terms(&format!("{} {}", e.id, e.title), &e.summary))
            .collect();
        let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
        for (n, (source, _)) in entries.iter().enumerate() {
            let list = match *source {
                Source::Document(i) => &doc_terms[i].terms,
                Source::Catalog(i) => &catalog_terms[i],
            };
            for t in list {
                postings.entry(t).or_default().push(n);
            }
        }
        let terms = term_parts(postings);
        let (sources, meta) = entries.into_iter().unzip();
        SearchIndex { meta, sources, terms }
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
        let json = serde_json::to_string(&manifest).context("cannot serialise the search manifest")?;
        Ok(format!("window.AIMSDOC_SEARCH = {};\n", json.replace("</", "<\\/")))
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
                Source::Document(i) => passage_text(&cx.tree.documents[i], &cx.rows[i]),
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
fn term_parts(postings: HashMap<&str, Vec<usize>>) -> Vec<TermPart> {
    let mut vocab: Vec<(&str, Vec<usize>)> = postings.into_iter().collect();
    vocab.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut parts = vec![TermPart { vocab: Vec::new(), postings: Vec::new() }];
    let mut bytes = 0;
    for (term, list) in vocab {
        let encoded = encode_gaps(&list);
        bytes += term.len() + encoded.len() + 6;
        if let Some(part) = parts.last_mut() {
            part.vocab.push(term.into());
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
    fn term_parts_keep_every_term_in_order_and_stay_small() {
        let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
        let words: Vec<String> = (0..40_000).map(|i| format!("w{i:06}")).collect();
        for w in &words {
            postings.insert(w, (0..20).collect());
        }
        let parts = term_parts(postings);
        assert!(parts.len() > 1, "{} parts", parts.len());
        let joined: Vec<&str> = parts.iter().flat_map(|p| p.vocab.iter().map(|t| &**t)).collect();
        let mut sorted: Vec<&str> = words.iter().map(String::as_str).collect();
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
        let parts = term_parts(HashMap::new());
        assert_eq!(parts.len(), 1);
        assert!(parts[0].vocab.is_empty());
    }
}
