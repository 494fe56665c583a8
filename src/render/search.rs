//! The client-side search index: a script (`assets/search-index.js`) that defines
//! `window.AIMSDOC_SEARCH`, so search works from `file://` (no fetch) and from any sub-path.
//!
//! Shape: `docs` holds one row per document (id, title, type, status, owner, page, snippet);
//! `vocab` is the sorted list of terms; `postings[i]` lists the documents containing `vocab[i]`
//! as base-36 gaps joined by `.`, which keeps 10,000 documents to a few MiB. Bodies of documents
//! above the published classification level are not indexed (metadata only).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Context as _;
use rayon::prelude::*;

use pulldown_cmark::{Event, Parser};
use serde::Serialize;

use super::view::DocRow;
use crate::content::links::markdown_options;
use crate::content::Tree;

const SNIPPET_CHARS: usize = 180;
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it", "its", "of", "on", "or",
    "that", "the", "this", "to", "was", "were", "will", "with",
];

#[derive(Serialize)]
struct Index<'a> {
    docs: Vec<[&'a str; 7]>,
    vocab: Vec<&'a str>,
    postings: Vec<String>,
}

/// What one document contributes to the index: its unique terms (space-separated, sorted) and
/// its snippet.
struct DocTerms {
    terms: Box<str>,
    snippet: Box<str>,
}

/// Per-document terms from the previous index build, keyed by everything they derive from.
/// `serve` rebuilds the index on every edit; with this only the edited document is tokenized
/// again. The cache keeps only the documents of the latest build.
fn cache() -> &'static Mutex<HashMap<String, Arc<DocTerms>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<DocTerms>>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

fn doc_terms(body: &str, row: &DocRow) -> DocTerms {
    let body = if row.published { plain_text(body) } else { String::new() };
    let all = format!("{} {} {} {} {} {}", row.id, row.title, row.owner, row.doc_type, row.status, body);
    let mut list = terms(&all);
    list.sort_unstable();
    list.dedup();
    DocTerms { terms: list.join(" ").into_boxed_str(), snippet: snippet(&body).into_boxed_str() }
}

/// Builds `search-index.js` for the documents of `tree` (rows are parallel to its documents).
pub(crate) fn index_script(tree: &Tree, rows: &[DocRow]) -> anyhow::Result<String> {
    let texts = all_terms(tree, rows);
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in texts.iter().enumerate() {
        for term in t.terms.split(' ').filter(|t| !t.is_empty()) {
            postings.entry(term).or_default().push(i);
        }
    }
    let mut vocab: Vec<&str> = postings.keys().copied().collect();
    vocab.sort_unstable();
    let docs = rows
        .iter()
        .zip(&texts)
        .map(|(r, t)| {
            [
                r.id.as_str(),
                r.title.as_str(),
                r.doc_type.as_str(),
                r.status.as_str(),
                r.owner.as_str(),
                r.href.as_str(),
                &*t.snippet,
            ]
        })
        .collect();
    let index = Index { docs, postings: vocab.iter().map(|term| encode_gaps(&postings[term])).collect(), vocab };
    let json = serde_json::to_string(&index).context("cannot serialise the search index")?;
    // `</` cannot appear in a script file's JSON strings in a way that matters (this is a .js
    // file, not inline), but escape it anyway so the index is safe to inline if a theme does.
    Ok(format!("window.AIMSDOC_SEARCH = {};\n", json.replace("</", "<\\/")))
}

/// The terms and snippet of every document, from the cache where nothing they derive from
/// changed; the cache is then replaced by this build's documents.
fn all_terms(tree: &Tree, rows: &[DocRow]) -> Vec<Arc<DocTerms>> {
    let keys: Vec<String> = tree
        .documents
        .iter()
        .zip(rows)
        .map(|(d, r)| {
            format!("{}|{}|{}|{}|{}|{}|{}", d.sha256, r.published, r.id, r.title, r.owner, r.doc_type, r.status)
        })
        .collect();
    // A poisoned cache only costs recomputing the terms.
    let previous = cache().lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default();
    let texts: Vec<Arc<DocTerms>> = tree
        .documents
        .par_iter()
        .zip(rows)
        .zip(&keys)
        .map(|((d, row), key)| previous.get(key).cloned().unwrap_or_else(|| Arc::new(doc_terms(&d.body, row))))
        .collect();
    if let Ok(mut c) = cache().lock() {
        *c = keys.into_iter().zip(texts.iter().cloned()).collect();
    }
    texts
}

/// Lowercase terms of `text`: runs of letters and digits, 2-30 characters, no stopwords. Ids
/// such as `POL-001` also yield the whole id (`pol-001`).
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '"' | '\'' | ':'))
    {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if word.contains('-') && word.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.') && word.len() <= 30 {
            out.push(word.clone());
        }
        for part in word.split(|c: char| !c.is_alphanumeric()) {
            let n = part.chars().count();
            if (2..=30).contains(&n) && !STOPWORDS.contains(&part) {
                out.push(part.to_string());
            }
        }
    }
    out
}

/// The text of a Markdown body without markup.
fn plain_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for event in Parser::new_ext(body, markdown_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

fn snippet(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= SNIPPET_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(SNIPPET_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// Sorted document numbers as base-36 gaps joined by `.` (`[3, 5, 40]` -> `3.2.z`).
fn encode_gaps(list: &[usize]) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for (k, &n) in list.iter().enumerate() {
        if k > 0 {
            out.push('.');
        }
        out.push_str(&base36(n - prev));
        prev = n;
    }
    out
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = Vec::new();
    loop {
        buf.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    buf.reverse();
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_ids_and_drop_stopwords() {
        let t = terms("The AI Policy (POL-001) of Kestrel");
        assert!(t.contains(&"pol-001".to_string()), "{t:?}");
        assert!(t.contains(&"pol".to_string()) && t.contains(&"001".to_string()));
        assert!(t.contains(&"ai".to_string()) && t.contains(&"kestrel".to_string()));
        assert!(!t.contains(&"the".to_string()) && !t.contains(&"of".to_string()));
    }

    #[test]
    fn gaps_are_base36() {
        assert_eq!(encode_gaps(&[3, 5, 40]), "3.2.z");
        assert_eq!(encode_gaps(&[0]), "0");
        assert_eq!(base36(36), "10");
    }

    #[test]
    fn snippets_are_short_and_cut_at_words() {
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(s.chars().count() <= SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet("short text"), "short text");
    }
}
