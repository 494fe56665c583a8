//! Search terms: what a document or catalog entry is found by. Runs of letters and digits,
//! whole ids (`POL-001`) and whole clause and control numbers (`6.1.3`, `a.6.2.4`); terms of
//! the id and title also count as "head" terms (`^term`), which rank a result first. The
//! per-document terms are cached across builds (`serve` rebuilds on every edit), so only an
//! edited document is tokenized again. Bodies of documents above the published classification
//! level are not indexed (metadata only). The index itself is `search_index.rs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use pulldown_cmark::{Event, Parser};

use super::view::DocRow;
use crate::content::links::markdown_options;
use crate::content::{Document, Tree};

/// Characters of plain text kept per entry for the passages search results show.
pub(crate) const TEXT_CHARS: usize = 2000;
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it", "its", "of", "on", "or",
    "that", "the", "this", "to", "was", "were", "will", "with",
];

/// What one document contributes to the index: its unique terms, head terms included (sorted).
pub(crate) struct DocTerms {
    pub terms: Vec<Box<str>>,
}

/// Per-document terms from the previous index build, keyed by everything they derive from.
/// The cache keeps only the documents of the latest build.
fn cache() -> &'static Mutex<HashMap<String, Arc<DocTerms>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<DocTerms>>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The terms of an entry: `head` (id and title) as head terms and plain terms, `rest` as plain
/// terms; sorted and deduplicated.
pub(crate) fn entry_terms(head: &str, rest: &str) -> Vec<Box<str>> {
    let heads = terms(head);
    let mut list: Vec<Box<str>> = heads.iter().map(|t| format!("^{t}").into_boxed_str()).collect();
    list.extend(heads.into_iter().map(String::into_boxed_str));
    list.extend(terms(rest).into_iter().map(String::into_boxed_str));
    list.sort_unstable();
    list.dedup();
    list
}

/// The terms of document `d` (uncached: a one-off build streams them into the index).
pub(crate) fn doc_terms(d: &Document, row: &DocRow) -> DocTerms {
    let body = if row.published { plain_text(&d.body) } else { String::new() };
    let numbers: Vec<&str> = d.clauses.iter().chain(&d.controls).map(|s| s.value.as_str()).collect();
    let rest = format!("{} {} {} {} {}", row.owner, row.doc_type, row.status, numbers.join(" "), body);
    DocTerms { terms: entry_terms(&format!("{} {}", row.id, row.title), &rest) }
}

/// The plain text a search result's passage is taken from: the first [`TEXT_CHARS`] characters
/// of the body, whitespace collapsed (empty when the body is not published).
pub(crate) fn passage_text(d: &Document, row: &DocRow) -> String {
    if !row.published {
        return String::new();
    }
    let text = plain_text(&d.body);
    let (mut out, mut chars) = (String::new(), 0);
    for word in text.split_whitespace() {
        chars += word.chars().count() + 1;
        if chars > TEXT_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The terms of every document, from the cache where nothing they derive from changed; the
/// cache is then replaced by this build's documents.
pub(crate) fn all_terms(tree: &Tree, rows: &[DocRow]) -> Vec<Arc<DocTerms>> {
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
        .map(|((d, row), key)| previous.get(key).cloned().unwrap_or_else(|| Arc::new(doc_terms(d, row))))
        .collect();
    if let Ok(mut c) = cache().lock() {
        *c = keys.into_iter().zip(texts.iter().cloned()).collect();
    }
    texts
}

/// A clause or control number (`6.1.3`, `a.6`, `a.6.2.4`, lowercase): kept whole as one term.
fn is_number(word: &str) -> bool {
    let (rest, annex) = match word.strip_prefix("a.") {
        Some(rest) => (rest, true),
        None => (word, false),
    };
    (annex || rest.contains('.'))
        && rest.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Lowercase terms of `text`: runs of letters and digits, 2-30 characters, no stopwords. Ids
/// such as `POL-001` also yield the whole id (`pol-001`).
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '"' | '\'' | ':'))
    {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if (word.contains('-') && word.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.') && word.len() <= 30)
            || is_number(&word)
        {
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

/// Sorted document numbers as base-36 gaps joined by `.` (`[3, 5, 40]` -> `3.2.z`).
pub(crate) fn encode_gaps(list: &[u32]) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for (k, &n) in list.iter().enumerate() {
        if k > 0 {
            out.push('.');
        }
        out.push_str(&base36((n - prev) as usize));
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
    fn clause_and_control_numbers_are_whole_terms() {
        let t = terms("See clause 6.1.3 and A.6.2.4, not 1.2.");
        assert!(t.contains(&"6.1.3".to_string()) && t.contains(&"a.6.2.4".to_string()), "{t:?}");
        assert!(t.contains(&"1.2".to_string()), "a trailing full stop is not part of the number: {t:?}");
        assert!(!is_number("a.b") && !is_number("2026") && is_number("10.2") && is_number("a.6"));
    }

    #[test]
    fn head_terms_are_marked_and_also_plain() {
        let t = entry_terms("POL-001 Risk policy", "owner text");
        for want in ["^pol-001", "^risk", "risk", "policy", "owner", "text"] {
            assert!(t.iter().any(|x| &**x == want), "{want} in {t:?}");
        }
        assert!(!t.iter().any(|x| &**x == "^owner"));
    }
}
