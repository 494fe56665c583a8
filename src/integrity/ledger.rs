//! `approvals.lock`: the approvals ledger at the content root. Plain text, one line per
//! approval, sorted by id then version, so a review of a change shows exactly which approvals
//! it adds:
//!
//! ```text
//! POL-001 2.1 v2:9f86d081...0f00a08+5e884898...42d8 2026-01-15 Jane Smith, CEO
//! ```
//!
//! Fields are separated by one space: id, version as written, content hash with its recipe
//! (see [`super::content_hash`]), approval date, and the approver (the rest of the line). Lines
//! starting with `#` and blank lines are ignored. The ledger never loses a line: `aimsdoc
//! approve` inserts each new approval at its sorted place and leaves every other byte alone. A
//! version may have several lines (dual approval, or a re-approval under a newer recipe), all
//! for the same content.

use std::collections::HashMap;
use std::path::Path;

use super::content_hash::Recorded;
use crate::content::types::{parse_date, Date, DocId, Version};
use crate::fsutil;

/// A ledger larger than this is not one (a million approvals take about 150 MB).
pub const MAX_BYTES: u64 = 256 << 20;

/// The header `aimsdoc approve` writes at the top of a new ledger.
pub const HEADER: &str = "\
# approvals.lock: the approvals ledger of this aimsdoc content tree (ISO/IEC 42001 7.5.2, 7.5.3).
# One line per approval, sorted by id and version; no line is ever rewritten or removed:
#   ID VERSION CONTENT-HASH APPROVAL-DATE APPROVER
# CONTENT-HASH (recipe v2: `v2:TEXT+FILE...`) binds the approval to the exact content approved:
# the body, every front matter field except approval, reviews, next_review, status and
# superseded_by, and the SHA-256 of every attachment (see \"Integrity\" in the aimsdoc README).
# Written by `aimsdoc approve DOC-ID --by NAME`; commit it with the documents. `aimsdoc check`
# fails when an approved document no longer matches its entry.
";

/// One approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Document id.
    pub id: String,
    /// Version as written.
    pub version: String,
    /// Content hash, with its recipe.
    pub hash: Recorded,
    /// Approval date.
    pub date: Date,
    /// Approver.
    pub by: String,
    /// 1-based line in the file (0 for entries not read from a file).
    pub line: usize,
}

impl Entry {
    /// The line as the ledger holds it (without the line end).
    pub fn to_line(&self) -> String {
        format!("{} {} {} {} {}", self.id, self.version, self.hash, self.date, self.by)
    }

    /// The sort key of the ledger: id, then version by number, then as written.
    fn key(&self) -> (&str, Option<Version>, &str) {
        (self.id.as_str(), Version::parse(&self.version), self.version.as_str())
    }
}

/// A line of the ledger that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the offending field.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// The ledger of a content tree, as read when the tree was assessed.
#[derive(Debug, Clone, Default)]
pub enum Loaded {
    /// The tree has no `approvals.lock`: no ledger findings, approvals judged by their dates.
    #[default]
    Absent,
    /// The file exists but cannot be read at all (reported once).
    Unreadable(String),
    /// The good lines, and every line that could not be read.
    Read(Ledger, Vec<LineError>),
}

impl Loaded {
    /// Reads the ledger at `path` (never following a link).
    pub fn load(path: &Path) -> Loaded {
        match Ledger::load(path) {
            Ok(None) => Loaded::Absent,
            Ok(Some((ledger, errors))) => Loaded::Read(ledger, errors),
            Err(e) => Loaded::Unreadable(format!("{e:#}")),
        }
    }

    /// The ledger, when there is a readable one.
    pub fn ledger(&self) -> Option<&Ledger> {
        match self {
            Loaded::Read(l, _) => Some(l),
            _ => None,
        }
    }
}

/// The parsed ledger.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<Entry>,
    index: HashMap<(String, String), Vec<usize>>,
}

impl Ledger {
    /// Reads `path`; `Ok(None)` when there is no ledger. A ledger that is a symbolic link or
    /// not a regular file (a folder, a FIFO) is refused before anything is read from it.
    pub fn load(path: &Path) -> anyhow::Result<Option<(Ledger, Vec<LineError>)>> {
        let Some(text) = fsutil::read_regular(path, MAX_BYTES)? else {
            return Ok(None);
        };
        Ok(Some(Ledger::parse(&text)))
    }

    /// Parses ledger text, keeping every good line and reporting every bad one.
    pub fn parse(text: &str) -> (Ledger, Vec<LineError>) {
        let mut ledger = Ledger::default();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line, i + 1).and_then(|e| ledger.conflict(&e).map_or(Ok(e), Err)) {
                Ok(e) => ledger.insert(e),
                Err(e) => errors.push(e),
            }
        }
        (ledger, errors)
    }

    /// Why `e` cannot stand beside the entries already read: the same approval twice, or the
    /// same version recorded with other content.
    fn conflict(&self, e: &Entry) -> Option<LineError> {
        let at = |message: String| LineError { line: e.line, column: 1, message };
        for old in self.get(&e.id, &e.version) {
            if old.hash.text() != e.hash.text() || (old.hash.recipe() == e.hash.recipe() && old.hash != e.hash) {
                return Some(at(format!("this document version is recorded with other content on line {}", old.line)));
            }
            if old.hash.recipe() == e.hash.recipe() && old.by == e.by && old.date == e.date {
                return Some(at(format!("this approval is already recorded on line {}", old.line)));
            }
        }
        None
    }

    /// Every entry for `id` at `version` (as written), in file order.
    pub fn get<'a>(&'a self, id: &str, version: &str) -> impl Iterator<Item = &'a Entry> + 'a {
        let found = self.index.get(&(id.to_string(), version.to_string()));
        found.into_iter().flatten().map(|&i| &self.entries[i])
    }

    /// The entry `id` at `version` is judged by: the newest written with recipe v2, else the
    /// last (every line of a version records one content).
    pub fn judged(&self, id: &str, version: &str) -> Option<&Entry> {
        let entries: Vec<&Entry> = self.get(id, version).collect();
        entries.iter().rev().find(|e| e.hash.recipe() == "v2").or(entries.last()).copied()
    }

    /// Whether the ledger records `id` at `version`.
    pub fn has(&self, id: &str, version: &str) -> bool {
        self.get(id, version).next().is_some()
    }

    /// The versions of `id` the ledger records (each once, in file order).
    pub fn versions_of<'a>(&'a self, id: &'a str) -> Vec<&'a str> {
        let mut seen: Vec<&str> = Vec::new();
        for e in self.entries.iter().filter(|e| e.id == id) {
            if !seen.contains(&e.version.as_str()) {
                seen.push(&e.version);
            }
        }
        seen
    }

    /// Adds `entry` (never replacing one).
    pub fn insert(&mut self, entry: Entry) {
        let key = (entry.id.clone(), entry.version.clone());
        self.index.entry(key).or_default().push(self.entries.len());
        self.entries.push(entry);
    }

    /// Every entry.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

/// The ledger text `old` (`None`: no ledger yet, so a new one with [`HEADER`]) with `entry`
/// inserted as a line after the last line that sorts before or with it. Every existing line,
/// comment and line end is kept byte for byte.
pub fn with_line(old: Option<&str>, entry: &Entry) -> String {
    let Some(old) = old else {
        return format!("{HEADER}{}\n", entry.to_line());
    };
    let nl = if old.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    let keyed: Vec<(usize, Entry)> =
        lines.iter().enumerate().filter_map(|(i, l)| parse_line(l.trim_end(), i + 1).ok().map(|e| (i, e))).collect();
    let at = match keyed.iter().rev().find(|(_, e)| e.key() <= entry.key()) {
        Some((i, _)) => i + 1,
        None => keyed.first().map_or(lines.len(), |(i, _)| *i),
    };
    let mut out = String::with_capacity(old.len() + 200);
    lines[..at].iter().for_each(|l| out.push_str(l));
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    out.push_str(&entry.to_line());
    out.push_str(nl);
    lines[at..].iter().for_each(|l| out.push_str(l));
    out
}

fn parse_line(line: &str, n: usize) -> Result<Entry, LineError> {
    let mut fields = Vec::with_capacity(5);
    let mut rest = line;
    let mut col = 1;
    for _ in 0..4 {
        let (field, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        fields.push((field, col));
        col += field.chars().count() + 1;
        rest = tail;
    }
    fields.push((rest.trim(), col));
    // Messages never quote the line: a ledger that is really some other file (a secret
    // behind a link, say) must not have its contents printed into a CI log.
    let err = |i: usize, what: &str| LineError {
        line: n,
        column: fields[i].1,
        message: format!("{what}: expected `ID VERSION CONTENT-HASH YYYY-MM-DD APPROVER`"),
    };
    if let Some(i) = fields.iter().position(|(f, _)| f.is_empty()) {
        return Err(err(i, "this line is incomplete"));
    }
    if DocId::parse(fields[0].0).is_none() {
        return Err(err(0, "the first field is not a document id (such as POL-001)"));
    }
    if Version::parse(fields[1].0).is_none() {
        return Err(err(1, "the second field is not a version (such as 1.0)"));
    }
    let hash = Recorded::parse(fields[2].0)
        .ok_or_else(|| err(2, "the third field is not a content hash (`v2:` and SHA-256s in lowercase hex)"))?;
    let date = parse_date(fields[3].0).ok_or_else(|| err(3, "the fourth field is not a YYYY-MM-DD date"))?;
    Ok(Entry {
        id: fields[0].0.to_string(),
        version: fields[1].0.to_string(),
        hash,
        date,
        by: fields[4].0.to_string(),
        line: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const H1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
    const H2: &str = "2222222222222222222222222222222222222222222222222222222222222222";

    fn entry(id: &str, version: &str, hash: &str, by: &str) -> Entry {
        let date = parse_date("2026-01-15").expect("valid date");
        let hash = Recorded::parse(hash).expect("a hash");
        Entry { id: id.into(), version: version.into(), hash, date, by: by.into(), line: 0 }
    }

    #[test]
    fn lines_are_inserted_in_order_and_nothing_else_changes() {
        let mut text = with_line(None, &entry("POL-002", "1.0", H1, "A"));
        assert!(text.starts_with("# approvals.lock"));
        text.push_str("# a comment someone wrote\n");
        for (id, v) in [("POL-001", "1.10"), ("POL-001", "1.9"), ("AUP-001", "3"), ("POL-001", "1.9")] {
            let before = text.clone();
            text = with_line(Some(&text), &entry(id, v, &format!("v2:{H1}"), "B"));
            // The old lines, in order, are the new ones minus exactly one.
            let now: Vec<&str> = text.lines().collect();
            let kept = (0..now.len()).any(|skip| {
                let rest: Vec<&str> = now.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| *l).collect();
                rest == before.lines().collect::<Vec<_>>()
            });
            assert!(kept, "an existing line moved or vanished:\n{before}\n---\n{text}");
        }
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        let ids: Vec<String> = lines.iter().map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" ")).collect();
        assert_eq!(ids, ["AUP-001 3", "POL-001 1.9", "POL-001 1.9", "POL-001 1.10", "POL-002 1.0"]);
        let (back, errors) = Ledger::parse(&text);
        assert_eq!(errors.len(), 1, "the same approval twice: {errors:?}");
        assert_eq!(back.get("POL-001", "1.9").count(), 1);
        assert!(text.ends_with("# a comment someone wrote\n"), "{text}");
    }

    #[test]
    fn crlf_and_a_missing_final_line_end_are_kept() {
        let old = format!("# x\r\nPOL-001 1.0 {H1} 2026-01-15 A");
        let new = with_line(Some(&old), &entry("POL-002", "1.0", H1, "B"));
        assert_eq!(new, format!("# x\r\nPOL-001 1.0 {H1} 2026-01-15 A\r\nPOL-002 1.0 {H1} 2026-01-15 B\r\n"));
    }

    #[test]
    fn several_approvals_of_one_version_are_kept() {
        let text = format!(
            "POL-001 1.0 {H1} 2026-01-15 A\nPOL-001 1.0 v2:{H1}+{H2} 2026-01-15 A\nPOL-001 1.0 v2:{H1}+{H2} 2026-01-16 B\n"
        );
        let (l, errors) = Ledger::parse(&text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(l.get("POL-001", "1.0").map(|e| e.line).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(l.versions_of("POL-001"), ["1.0"]);
        assert!(l.has("POL-001", "1.0") && !l.has("POL-001", "1.1"));
    }

    #[test]
    fn bad_lines_name_line_and_column() {
        let text = format!("POL-001 1.0 {H1} 2026-01-15 A\npol-1 1.0 {H1} 2026-01-15 A\nPOL-002 1.0 xyz 2026-01-15 A\nPOL-003 1.0 {H1} 2026-13-01 A\nPOL-004 1.0 {H1}\nPOL-001 1.0 {H2} 2026-01-15 B\nPOL-001 1.0 v2:{H2} 2026-01-15 B\nPOL-001 1.0 {H1} 2026-01-15 A\n");
        let (l, e) = Ledger::parse(&text);
        assert_eq!(l.entries().len(), 1);
        let at: Vec<(usize, usize)> = e.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(2, 1), (3, 13), (4, 78), (5, 78), (6, 1), (7, 1), (8, 1)]);
        assert!(e[4].message.contains("other content on line 1"), "{}", e[4].message);
        assert!(e[6].message.contains("already recorded on line 1"), "{}", e[6].message);
    }

    #[test]
    fn errors_never_quote_the_line() {
        let text = "AWS_SECRET=wJalrXUtnFEMI K7MDENG bPxRfiCY 2026-01-01 x\nPOL-001 1.0 wJalrXUtnFEMI\nPOL-1 AKIAIOSFODNN7 x y z\n";
        let (_, errors) = Ledger::parse(text);
        assert_eq!(errors.len(), 3);
        for e in errors {
            for token in ["wJalr", "AWS_SECRET", "AKIA", "K7MDENG"] {
                assert!(!e.message.contains(token), "{}", e.message);
            }
        }
    }
}
