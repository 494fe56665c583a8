//! Search terms: what a document or catalog entry is found by. Runs of letters and digits,
//! whole ids (`POL-001`) and whole clause and control numbers (`6.1.3`, `a.6.2.4`); terms of
//! the id and title also count as "head" terms (`^term`), which rank a result first. The
//! per-document terms are cached across builds (`serve` rebuilds on every edit), so only an
//! edited document is tokenized again. Bodies of documents above the published classification
//! level are not indexed (metadata only). The index itself is `search_index.rs`.

mod passage;
mod term_set;
mod tokenize;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use pulldown_cmark::Event;

use super::view::DocRow;
use crate::content::{Document, Tree};
use passage::Recorder;
pub(crate) use term_set::{DocTerms, TermSet, SHARDS};
use tokenize::Terms;
#[cfg(test)]
use tokenize::{is_number, is_separator, STOPWORDS};

/// Characters of plain text kept per entry for the passages search results show.
pub(crate) const TEXT_CHARS: usize = 2000;

/// Per-document terms from the previous index build, keyed by everything they derive from.
/// The cache keeps only the documents of the latest build.
fn cache() -> &'static Mutex<HashMap<String, Arc<DocTerms>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<DocTerms>>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The terms of an entry: `head` (id and title) as head terms and plain terms, `rest` as plain
/// terms.
pub(crate) fn entry_terms(head: &str, rest: &str) -> DocTerms {
    with_terms(|found| {
        found.add(head, true);
        found.add(rest, false);
        found.to_doc_terms()
    })
}

/// The terms of document `d` (uncached: a one-off build streams them into the index).
pub(crate) fn doc_terms(d: &Document, row: &DocRow) -> DocTerms {
    with_terms(|found| {
        for head in [row.id.as_str(), &row.title] {
            found.add(head, true);
        }
        for rest in [row.owner.as_str(), &row.doc_type, &row.status] {
            found.add(rest, false);
        }
        for number in d.clauses.iter().chain(&d.controls) {
            found.add(&number.value, false);
        }
        let mut rec = Recorder::new(&d.body);
        if row.published {
            // Every text event of the body ends a word (see `body_texts`), so tokenizing event
            // by event finds the terms of the whole plain text without building it.
            body_texts(&d.body, |t| {
                found.add(t, false);
                rec.push(t);
                true
            });
        }
        let mut terms = found.to_doc_terms();
        terms.passage = rec.finish();
        terms
    })
}

/// Runs `f` on this thread's (emptied) term collector: its buffers and hash table are reused
/// from one document to the next instead of growing anew for each.
fn with_terms<R>(f: impl FnOnce(&mut Terms) -> R) -> R {
    thread_local! {
        static TERMS: std::cell::RefCell<Terms> = std::cell::RefCell::default();
    }
    TERMS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut terms) => {
            terms.clear();
            f(&mut terms)
        }
        Err(_) => f(&mut Terms::default()),
    })
}

/// The plain text a search result's passage is taken from: the first [`TEXT_CHARS`] characters
/// of the body, whitespace collapsed (empty when the body is not published), from the record
/// [`doc_terms`] made of it ([`DocTerms::passage`]).
pub(crate) fn passage_text(d: &Document, record: &[u8]) -> String {
    passage::replay(record, &d.body)
}

/// The passage of `body` as it was made before passages were recorded: the body parsed again,
/// as far as the passage goes (the oracle for the recorded passages).
#[cfg(test)]
pub(crate) fn parsed_passage(body: &str) -> String {
    let mut texts = Vec::new();
    body_texts(body, |t| {
        texts.push(t.to_string());
        true
    });
    passage::join_words(texts.iter().map(String::as_str))
}

/// The first [`TEXT_CHARS`] characters of `body`'s plain text.
#[cfg(test)]
fn passage(body: &str) -> String {
    let mut rec = Recorder::new(body);
    body_texts(body, |t| {
        rec.push(t);
        true
    });
    passage::replay(&rec.finish(), body)
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

/// Lowercase terms of `text`: runs of letters and digits, 2-30 characters, no stopwords. Ids
/// such as `POL-001` also yield the whole id (`pol-001`). In order, repeats kept.
#[cfg(test)]
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut found = Terms::default();
    found.add(text, false);
    found.seen
}

/// Calls `each` with every text of a Markdown body, markup left out, until it returns false.
/// Texts are whole words: the plain text search sees puts a space after each of them.
fn body_texts(body: &str, mut each: impl FnMut(&str) -> bool) {
    crate::content::large::with_parser(body, |parser| {
        for event in parser {
            if let Event::Text(t) | Event::Code(t) = event {
                if !each(&t) {
                    return;
                }
            }
        }
    })
}

/// Sorted document numbers as base-36 gaps joined by `.` (`[3, 5, 40]` -> `3.2.z`).
pub(crate) fn encode_gaps(list: &[u32]) -> String {
    let mut out = String::with_capacity(list.len() * 3);
    let mut prev = 0;
    for (k, &n) in list.iter().enumerate() {
        if k > 0 {
            out.push('.');
        }
        push_base36(&mut out, n.wrapping_sub(prev));
        prev = n;
    }
    out
}

/// Appends `n` in base 36 (lowercase digits).
fn push_base36(out: &mut String, n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 7];
    let (mut n, mut at) = (n, buf.len());
    loop {
        at -= 1;
        buf[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;
    // The reference tokenizer parses on its own, independent of `large::with_parser`.
    use crate::content::links::markdown_options;
    use pulldown_cmark::Parser;

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
        assert_eq!(encode_gaps(&[36, 36 + 36 * 36]), "10.100");
        assert_eq!(encode_gaps(&[u32::MAX]), "1z141z3");
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
        let terms = entry_terms("POL-001 Risk policy", "owner text");
        let t = terms.sorted();
        for want in ["^pol-001", "^risk", "risk", "policy", "owner", "text"] {
            assert!(t.iter().any(|x| &**x == want), "{want} in {t:?}");
        }
        assert!(!t.iter().any(|x| &**x == "^owner"));
    }

    /// The tokenizer before it collected terms into one buffer, kept as the oracle: the index
    /// must not change with the speed-up.
    fn reference_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for raw in text.split(is_separator) {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            if (word.contains('-')
                && word.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
                && word.len() <= 30)
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

    fn reference_plain_text(body: &str) -> String {
        let mut out = String::new();
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

    const SAMPLES: &[&str] = &[
        "The AI Policy (POL-001) of Kestrel: see clause 6.1.3 and A.6.2.4, not 1.2.",
        "# Heading\n\nSome *emphasis*, `code_span`, [a link](doc:POL-002) and **bold**_x_y.\n\n\
         - [x] done\n- item with foo_bar_baz and don't\n\n| a | b |\n|---|---|\n| ΣΑΣ | Straße |\n\n\
         ```yaml\nkey: value # comment\n```\n\nFootnote[^1].\n\n[^1]: Note &amp; more &copy; ΑΣ'Β.\n",
        "ΌΣΟΣ ΣΑΣ, İstanbul ǅemal — x-y-z very-long-identifier-that-goes-on-and-on-forever-1 ---",
        "A I THE The Abcdefghijklmnopqrstuvwxyz0123 Abcdefghijklmnopqrstuvwxyz01234 x1 2026 2026-11-30",
        "",
    ];

    #[test]
    fn terms_match_the_reference_tokenizer() {
        for text in SAMPLES {
            assert_eq!(terms(text), reference_terms(text), "{text}");
            let mut want: Vec<String> = reference_terms(text).into_iter().flat_map(|t| [format!("^{t}"), t]).collect();
            want.extend(reference_terms(&reference_plain_text(text)));
            want.sort_unstable();
            want.dedup();
            let mut found = Terms::default();
            found.add(text, true);
            body_texts(text, |t| {
                found.add(t, false);
                true
            });
            let got: Vec<String> = found.finish().into_iter().map(String::from).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn passages_match_the_whole_plain_text_cut_short() {
        let long = format!("{}\n\n`code` and *more* {}", SAMPLES[1], "word ".repeat(TEXT_CHARS));
        for body in SAMPLES.iter().copied().chain([long.as_str()]) {
            let (mut want, mut chars) = (String::new(), 0);
            for word in reference_plain_text(body).split_whitespace() {
                chars += word.chars().count() + 1;
                if chars > TEXT_CHARS {
                    break;
                }
                if !want.is_empty() {
                    want.push(' ');
                }
                want.push_str(word);
            }
            assert_eq!(passage(body), want);
        }
    }
}
