//! The search tokenizer: text -> lowercase terms. Words split at whitespace and the punctuation
//! around words; a word yields its runs of letters and digits (2-30 characters, no stopwords)
//! and, when it is a whole id (`pol-001`) or clause or control number (`6.1.3`, `a.6.2.4`),
//! itself. Terms go straight into a [`TermSet`], which keeps each once. ASCII words (nearly
//! all) are split and lowercased bytewise; others take the general path, which lowercases the
//! whole word first (Greek final sigma) exactly as the reference tokenizer in the tests does.

use super::term_set::{DocTerms, TermSet};

/// Words too common to index (see [`is_stopword`], which must say the same).
#[cfg(test)]
pub(super) const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it", "its", "of", "on", "or",
    "that", "the", "this", "to", "was", "were", "will", "with",
];

/// The distinct terms of the texts added so far.
#[derive(Default)]
pub(super) struct Terms {
    set: TermSet,
    /// A non-ASCII word, lowercased (reused).
    word: String,
    /// Every term as the tokenizer produced it, repeats included (for the reference tests).
    #[cfg(test)]
    pub(super) seen: Vec<String>,
}

impl Terms {
    /// Adds the terms of `text`; `head` ones also as `^term`.
    pub(super) fn add(&mut self, text: &str, head: bool) {
        for_each_word(text, |raw, shape| {
            if shape.alnum() {
                // Letters and digits only (most words): the word is its one run, and no id.
                if (2..=30).contains(&raw.len()) {
                    if shape.upper() {
                        self.set.write_lower_ascii(raw);
                    } else {
                        self.set.write(raw);
                    }
                    self.commit_if(|t| !is_stopword(t), head);
                }
                return;
            }
            let word = trim_word(raw);
            if word.is_empty() {
            } else if shape.ascii() || word.is_ascii() {
                self.add_ascii(word, head);
            } else {
                self.add_unicode(word, head);
            }
        });
    }

    /// Forgets every term (the buffers stay, for the next document).
    pub(super) fn clear(&mut self) {
        self.set.clear();
    }

    /// The distinct terms.
    pub(super) fn to_doc_terms(&self) -> DocTerms {
        self.set.to_doc_terms()
    }

    /// The distinct terms, sorted.
    #[cfg(test)]
    pub(super) fn finish(self) -> Vec<Box<str>> {
        self.to_doc_terms().sorted().into_iter().map(Box::from).collect()
    }

    /// An ASCII word: lowercased and split bytewise, written straight into the set's buffer.
    fn add_ascii(&mut self, word: &str, head: bool) {
        if word.bytes().any(|b| b == b'-' || b == b'.') {
            self.set.write_lower_ascii(word);
            self.commit_if(is_whole_term, head);
        }
        let bytes = word.as_bytes();
        let mut start = 0;
        for end in 0..=bytes.len() {
            if bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                continue;
            }
            if let Some(part) = word.get(start..end).filter(|p| (2..=30).contains(&p.len())) {
                self.set.write_lower_ascii(part);
                self.commit_if(|t| !is_stopword(t), head);
            }
            start = end + 1;
        }
    }

    /// Any other word, as the reference tokenizer does it: lowercased whole, then split.
    fn add_unicode(&mut self, word: &str, head: bool) {
        let mut lower = std::mem::take(&mut self.word);
        lower.clear();
        lower.push_str(&word.to_lowercase());
        if is_whole_term(&lower) {
            self.set.write(&lower);
            self.commit_if(|_| true, head);
        }
        for part in lower.split(|c: char| !c.is_alphanumeric()) {
            if is_term_part(part) {
                self.set.write(part);
                self.commit_if(|_| true, head);
            }
        }
        self.word = lower;
    }

    /// Keeps the candidate written into the set if `wanted` says so (and, for a head term,
    /// `^candidate` too), else drops it.
    fn commit_if(&mut self, wanted: impl FnOnce(&str) -> bool, head: bool) {
        if !wanted(self.set.candidate()) {
            self.set.discard();
            return;
        }
        #[cfg(test)]
        self.seen.push(self.set.candidate().to_string());
        if head {
            // Ids and titles only: a copy per head term costs nothing.
            let term = self.set.candidate().to_string();
            self.set.keep();
            self.set.write("^");
            self.set.write(&term);
        }
        self.set.keep();
    }
}

/// Calls `each` with every piece of `text` between separators (see [`is_separator`]) and the
/// [`Shape`] of its bytes.
fn for_each_word(text: &str, mut each: impl FnMut(&str, Shape)) {
    let bytes = text.as_bytes();
    let (mut start, mut i, mut shape) = (0, 0, Shape::EMPTY);
    while let Some(&b) = bytes.get(i) {
        let class = BYTE_CLASSES[usize::from(b)];
        if class == SEPARATOR {
            each(text.get(start..i).unwrap_or_default(), shape);
            (start, shape) = (i + 1, Shape::EMPTY);
            i += 1;
        } else if class == NON_ASCII {
            let c = text.get(i..).and_then(|rest| rest.chars().next()).unwrap_or(' ');
            if is_separator(c) {
                each(text.get(start..i).unwrap_or_default(), shape);
                (start, shape) = (i + c.len_utf8(), Shape::EMPTY);
            } else {
                shape.add(NON_ASCII);
            }
            i += c.len_utf8();
        } else {
            shape.add(class);
            i += 1;
        }
    }
    each(text.get(start..).unwrap_or_default(), shape);
}

/// What splitting learnt of a word's bytes: the classes all of them have and any of them has.
#[derive(Clone, Copy)]
struct Shape {
    all: u8,
    any: u8,
}

impl Shape {
    /// The shape of no bytes (ASCII, only letters and digits, no capitals).
    const EMPTY: Shape = Shape { all: u8::MAX, any: 0 };

    fn add(&mut self, class: u8) {
        self.all &= class;
        self.any |= class;
    }

    /// Only ASCII.
    fn ascii(self) -> bool {
        self.any & NON_ASCII == 0
    }

    /// Only ASCII letters and digits (true when empty).
    fn alnum(self) -> bool {
        self.all & ALNUM != 0
    }

    /// An ASCII capital letter somewhere.
    fn upper(self) -> bool {
        self.any & UPPER != 0
    }
}

/// The class of every byte for [`for_each_word`]: one table load instead of a test per kind.
/// Other ASCII bytes are class 0.
const BYTE_CLASSES: [u8; 256] = byte_classes();
/// An ASCII separator ([`is_ascii_separator`]); never part of a word's [`Shape`].
const SEPARATOR: u8 = 1;
/// An ASCII letter or digit.
const ALNUM: u8 = 2;
/// An ASCII capital letter (always with [`ALNUM`]).
const UPPER: u8 = 4;
/// A byte of a non-ASCII character.
const NON_ASCII: u8 = 8;

const fn byte_classes() -> [u8; 256] {
    let mut classes = [NON_ASCII; 256];
    let mut b = 0u8;
    while b < 0x80 {
        classes[b as usize] = if is_ascii_separator(b) {
            SEPARATOR
        } else if b.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if b.is_ascii_alphanumeric() {
            ALNUM
        } else {
            0
        };
        b += 1;
    }
    classes
}

/// `raw` without the characters other than letters and digits at either end.
fn trim_word(raw: &str) -> &str {
    match (raw.as_bytes().first(), raw.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() => raw,
        _ => raw.trim_matches(|c: char| !c.is_alphanumeric()),
    }
}

/// Where words split: whitespace and the punctuation around words in prose and lists.
pub(super) fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '"' | '\'' | ':')
}

/// [`is_separator`] of an ASCII byte (ASCII whitespace as `char::is_whitespace` has it).
const fn is_ascii_separator(b: u8) -> bool {
    matches!(
        b,
        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b',' | b';' | b'(' | b')' | b'[' | b']' | b'"' | b'\'' | b':'
    )
}

/// A clause or control number (`6.1.3`, `a.6`, `a.6.2.4`, lowercase): kept whole as one term.
pub(super) fn is_number(word: &str) -> bool {
    let (rest, annex) = match word.strip_prefix("a.") {
        Some(rest) => (rest, true),
        None => (word, false),
    };
    (annex || rest.contains('.'))
        && rest.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A whole id (`pol-001`, at most 30 bytes) or clause or control number, kept as one term.
fn is_whole_term(word: &str) -> bool {
    (word.contains('-') && word.len() <= 30 && word.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.'))
        || is_number(word)
}

/// A run of letters and digits worth indexing: 2-30 characters, not a stopword.
fn is_term_part(part: &str) -> bool {
    let n = if part.is_ascii() { part.len() } else { part.chars().count() };
    (2..=30).contains(&n) && !is_stopword(part)
}

/// One of [`STOPWORDS`] (a `match`: compiled to a switch on the length and word compares).
fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "has"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "this"
            | "to"
            | "was"
            | "were"
            | "will"
            | "with"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_separators_are_the_separators() {
        for b in 0..0x80u8 {
            assert_eq!(is_ascii_separator(b), is_separator(char::from(b)), "byte {b:#x}");
        }
    }

    #[test]
    fn words_split_as_str_split_does() {
        // Every ASCII byte between letters, and next to a non-ASCII letter.
        let every_ascii: String = (0..0x80u8).map(|b| format!("a{}é{}1", char::from(b), char::from(b))).collect();
        for text in [
            "",
            " ",
            "a  b",
            "x\u{a0}y\u{2003}z",
            "(POL-001):",
            "“quoted”, é\u{85}f ",
            "ΣΑΣ,x",
            "ab1 a.b x-y *b* 6.1",
            "Ab aB AB ab Zz9 z",
            &every_ascii,
        ] {
            let mut got = Vec::new();
            for_each_word(text, |w, shape| {
                assert_eq!(shape.ascii(), w.is_ascii(), "{w:?}");
                assert_eq!(shape.alnum(), w.bytes().all(|b| b.is_ascii_alphanumeric()), "{w:?}");
                assert_eq!(shape.upper(), w.bytes().any(|b| b.is_ascii_uppercase()), "{w:?}");
                got.push(w.to_string());
            });
            let want: Vec<&str> = text.split(is_separator).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn trimming_keeps_letters_and_digits_at_the_ends() {
        for raw in ["", "-", "a", "(a)", "*bold*", "“quoted”", "é.", "x-y", "--a--b--"] {
            assert_eq!(trim_word(raw), raw.trim_matches(|c: char| !c.is_alphanumeric()), "{raw:?}");
        }
    }

    #[test]
    fn the_stopword_match_is_the_stopword_list() {
        let mut words: Vec<String> = STOPWORDS.iter().map(|w| w.to_string()).collect();
        let letters: Vec<char> = ('a'..='z').collect();
        for w in STOPWORDS {
            words.extend(letters.iter().map(|c| format!("{w}{c}")));
            words.extend(letters.iter().map(|c| format!("{c}{w}")));
            words.push(w[1..].to_string());
            words.push(w[..w.len() - 1].to_string());
            words.push(w.to_uppercase());
        }
        for (a, b) in letters.iter().flat_map(|a| letters.iter().map(move |b| (a, b))) {
            words.push(format!("{a}{b}"));
        }
        for w in &words {
            assert_eq!(is_stopword(w), STOPWORDS.contains(&w.as_str()), "{w}");
        }
    }
}
