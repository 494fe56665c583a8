//! Small helpers shared across stages: "did you mean" suggestions, hashing, path display, big
//! JSON lists printed in parallel chunks.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

/// Longest input (in bytes) that gets a suggestion: names and ids are short, and the edit
/// distance costs the product of the two lengths.
pub(crate) const MAX_SUGGEST_INPUT: usize = 128;

/// The candidate closest to `input` by edit distance, if one is close enough to be a likely typo.
pub(crate) fn closest<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if input.len() > MAX_SUGGEST_INPUT {
        return None;
    }
    let len = input.chars().count();
    let limit = (len / 3).max(2);
    let bag = Bag::of(input);
    candidates
        // Cheap lower bounds on the distance rule most candidates out before computing it.
        .filter(|c| c.chars().count().abs_diff(len) <= limit && bag.distance_bound(c) <= limit)
        .map(|c| (strsim::damerau_levenshtein(input, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// How many times each character occurs (non-ASCII characters share one slot, which only
/// weakens the bound below, never breaks it).
struct Bag([u16; 129]);

impl Bag {
    fn of(s: &str) -> Bag {
        let mut counts = [0u16; 129];
        for c in s.chars() {
            let slot = (c as usize).min(128);
            counts[slot] = counts[slot].saturating_add(1);
        }
        Bag(counts)
    }

    /// A lower bound on the edit distance to `other`: each insertion, deletion or substitution
    /// adds or removes at most one character of each kind (a transposition none), so the
    /// distance is at least the larger of the surplus on either side.
    fn distance_bound(&self, other: &str) -> usize {
        let theirs = Bag::of(other);
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(theirs.0.iter()) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

/// "Did you mean" over many candidates (document ids), built once per run. [`closest`] compares
/// every candidate, so 2,000 documents with 50 unknown references each cost 200 million edit
/// distances; a lookup here compares at most [`Suggester::MAX_COMPARE`] candidates: every
/// candidate one edit away (found exactly through an index of one-character deletions), then
/// the neighbours of the input in prefix order and in suffix order (a typo leaves one of the
/// two halves intact). The index is built on the first lookup: clean trees never pay for it.
#[derive(Debug, Default)]
pub(crate) struct Suggester {
    candidates: Vec<String>,
    index: std::sync::OnceLock<Index>,
}

#[derive(Debug)]
struct Index {
    /// Candidates, sorted.
    names: Vec<String>,
    /// Reversed candidates with their index in `names`, sorted.
    reversed: Vec<(String, usize)>,
    /// Each candidate and each one-character deletion of it, to the candidates' indexes.
    deletions: HashMap<String, Vec<usize>>,
}

impl Suggester {
    /// Most candidates compared per lookup.
    pub(crate) const MAX_COMPARE: usize = 96;
    /// Neighbours taken on each side of the input in prefix and in suffix order.
    const NEIGHBOURS: usize = 8;

    /// Keeps `candidates` (those longer than [`MAX_SUGGEST_INPUT`] are never suggested).
    pub(crate) fn new<'a>(candidates: impl Iterator<Item = &'a str>) -> Self {
        let candidates = candidates.filter(|c| c.len() <= MAX_SUGGEST_INPUT).map(str::to_string).collect();
        Suggester { candidates, index: std::sync::OnceLock::new() }
    }

    /// The candidate closest to `input`, as [`closest`] would choose among those compared.
    #[cfg(test)]
    pub(crate) fn closest(&self, input: &str) -> Option<&str> {
        self.closest_where(input, |_| true)
    }

    /// The closest candidate that `keep` accepts (never one the list being checked already
    /// names: suggesting it would only make a duplicate).
    pub(crate) fn closest_where(&self, input: &str, keep: impl Fn(&str) -> bool) -> Option<&str> {
        if input.len() > MAX_SUGGEST_INPUT || self.candidates.is_empty() {
            return None;
        }
        let ix = self.index.get_or_init(|| Index::new(&self.candidates));
        let mut picked: Vec<usize> =
            with_one_deleted(input).filter_map(|v| ix.deletions.get(&v)).flatten().copied().collect();
        picked.sort_unstable();
        picked.dedup();
        picked.truncate(Self::MAX_COMPARE / 2);
        let at = ix.names.partition_point(|n| n.as_str() < input);
        picked.extend(window(at, ix.names.len()));
        let rev: String = input.chars().rev().collect();
        let at = ix.reversed.partition_point(|(r, _)| r.as_str() < rev.as_str());
        picked.extend(window(at, ix.reversed.len()).map(|j| ix.reversed[j].1));
        picked.sort_unstable();
        picked.dedup();
        let names = picked.into_iter().take(Self::MAX_COMPARE).map(|i| ix.names[i].as_str());
        closest(input, names.filter(|n| keep(n)))
    }
}

impl Index {
    fn new(candidates: &[String]) -> Self {
        let mut names = candidates.to_vec();
        names.sort_unstable();
        names.dedup();
        let mut reversed: Vec<(String, usize)> =
            names.iter().enumerate().map(|(i, n)| (n.chars().rev().collect(), i)).collect();
        reversed.sort_unstable();
        let mut deletions: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            for variant in with_one_deleted(name) {
                let slot = deletions.entry(variant).or_default();
                if slot.last() != Some(&i) {
                    slot.push(i);
                }
            }
        }
        Index { names, reversed, deletions }
    }
}

/// Indexes `NEIGHBOURS` either side of position `at` in a sorted list of `len`.
fn window(at: usize, len: usize) -> std::ops::Range<usize> {
    at.saturating_sub(Suggester::NEIGHBOURS)..(at + Suggester::NEIGHBOURS).min(len)
}

/// `s` itself and `s` with each one of its characters deleted.
fn with_one_deleted(s: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::once(s.to_string()).chain(s.char_indices().map(move |(i, c)| {
        let mut v = String::with_capacity(s.len());
        v.push_str(&s[..i]);
        v.push_str(&s[i + c.len_utf8()..]);
        v
    }))
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Every Markdown file below `dir`, at any depth (tests read the fixture trees and the example
/// with it).
/// The elements of `items` as `serde_json`'s pretty printer writes them in a list nested
/// `depth` levels deeper than the top: each after a newline and its indentation, commas
/// between, no brackets (the bytes between `[` and the newline before `]`). The elements of
/// consecutive chunks joined with a comma are those of the whole list, so a big list can be
/// printed a chunk per core with the bytes of printing it whole. A newline in JSON text is never
/// inside a string, so nesting deeper is two spaces more after every newline.
pub(crate) fn pretty_json_elements<T: serde::Serialize>(items: &[T], depth: usize) -> serde_json::Result<Vec<u8>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let array = serde_json::to_vec_pretty(items)?;
    let Some(elements) = array.strip_prefix(b"[").and_then(|a| a.strip_suffix(b"\n]")) else {
        return Err(serde::ser::Error::custom("unexpected JSON array layout"));
    };
    let indent = "  ".repeat(depth);
    let mut out = Vec::with_capacity(elements.len() + elements.len() / 8);
    let mut start = 0;
    for newline in memchr::memchr_iter(b'\n', elements) {
        out.extend_from_slice(&elements[start..=newline]);
        out.extend_from_slice(indent.as_bytes());
        start = newline + 1;
    }
    out.extend_from_slice(&elements[start..]);
    Ok(out)
}

/// The lines of `text` between `\n`s, as `text.split('\n')` gives them (a CR stays in its
/// line), found with a vectorised search: the per-line scans of whole trees use it.
pub(crate) fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        let Some(end) = newlines.next() else {
            start = None;
            return text.get(from..);
        };
        start = Some(end + 1);
        text.get(from..end)
    })
}

#[cfg(test)]
pub(crate) fn markdown_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_pretty_elements_nested_at_any_depth_are_the_whole_list_pretty_printed() {
        let items: Vec<serde_json::Value> =
            (0..7).map(|k| serde_json::json!({ "k": k, "s": format!("a\n\"{k}\""), "l": [k, []], "o": {} })).collect();
        for depth in 0..3 {
            let mut whole = serde_json::Map::new();
            let mut value = serde_json::Value::Array(items.clone());
            for _ in 0..depth {
                whole.insert("x".into(), value);
                value = serde_json::Value::Object(std::mem::take(&mut whole));
            }
            let expected = serde_json::to_vec_pretty(&value).expect("json");
            for chunk in [1, 2, 3, 7] {
                let pieces: Vec<Vec<u8>> =
                    items.chunks(chunk).map(|c| pretty_json_elements(c, depth).expect("json")).collect();
                let list = [b"[".to_vec(), pieces.join(&b","[..]), b"\n".to_vec(), b"  ".repeat(depth), b"]".to_vec()]
                    .concat();
                let nested = (0..depth).fold(list, |inner, d| {
                    let pad = b"  ".repeat(depth - d - 1);
                    [b"{\n  ".to_vec(), pad.clone(), b"\"x\": ".to_vec(), inner, b"\n".to_vec(), pad, b"}".to_vec()]
                        .concat()
                });
                assert_eq!(
                    String::from_utf8(nested),
                    String::from_utf8(expected.clone()),
                    "depth {depth}, chunk {chunk}"
                );
            }
        }
        assert!(pretty_json_elements::<u8>(&[], 2).expect("json").is_empty());
    }

    #[test]
    fn split_lines_gives_the_lines_split_gives() {
        for text in ["", "\n", "a", "a\n", "\na", "a\nb", "a\r\nb\r\n", "\n\n\u{e9}\n\n", "x\ny\n\nz"] {
            let expected: Vec<&str> = text.split('\n').collect();
            assert_eq!(split_lines(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn suggests_typos_not_strangers() {
        let fields = ["owner", "title", "version"];
        assert_eq!(closest("ownr", fields.iter().copied()), Some("owner"));
        assert_eq!(closest("zzzzzz", fields.iter().copied()), None);
    }

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("POL-{i:04}")).chain(["PRC-AI-07".into(), "REC-RISK-001".into()]).collect()
    }

    #[test]
    fn the_index_finds_what_closest_finds() {
        let ids = ids(3000);
        let index = Suggester::new(ids.iter().map(String::as_str));
        let all = || ids.iter().map(String::as_str);
        for typo in ["POL-1234x", "POL-12x4", "POL1234", "OPL-1234", "XOL-1234", "PRC-IA-07", "REC-RSK-01", "ZZZ"] {
            assert_eq!(index.closest(typo), closest(typo, all()), "{typo}");
        }
        assert_eq!(index.closest("POL-12x4"), Some("POL-1204"));
        assert_eq!(index.closest("REC-RSK-01"), Some("REC-RISK-001"));
        // Never the id the list already names: the next closest instead.
        let other = index.closest_where("POL-12x4", |c| c != "POL-1204");
        assert!(other.is_some_and(|c| c != "POL-1204" && c.starts_with("POL-12")), "{other:?}");
    }

    #[test]
    fn lookups_compare_a_bounded_number_of_candidates() {
        // Every id one deletion away from the input: the cap still holds and a result comes back.
        let ids: Vec<String> = (0..2000).map(|i| format!("A{i}")).collect();
        let index = Suggester::new(ids.iter().map(String::as_str));
        assert!(index.closest("A1x").is_some());
        assert_eq!(Suggester::new(std::iter::empty()).closest("A"), None);
        assert_eq!(index.closest(&"A".repeat(MAX_SUGGEST_INPUT + 1)), None);
    }

    #[test]
    fn the_character_bound_never_exceeds_the_distance() {
        let words = ["POL-0001", "POL-1000", "ZZ-0001-01", "PLO-0001", "", "é-x", "x-é", "abc", "cab", "ownr", "owner"];
        for a in words {
            for b in words {
                let bound = Bag::of(a).distance_bound(b);
                assert!(bound <= strsim::damerau_levenshtein(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
