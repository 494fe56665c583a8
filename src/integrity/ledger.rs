//! `approvals.lock`: the approvals ledger at the content root. Plain text, one line per
//! approved document version, sorted by id then version, so a review of a change shows exactly
//! which approvals it adds:
//!
//! ```text
//! POL-001 2.1 9f86d081...0f00a08 2026-01-15 Jane Smith, CEO
//! ```
//!
//! Fields are separated by one space: id, version as written, content SHA-256 (see
//! [`super::content_hash`]), approval date, and the approver (the rest of the line). Lines
//! starting with `#` and blank lines are ignored; `aimsdoc approve` rewrites the file with the
//! standard header.

use std::collections::HashMap;
use std::path::Path;

use crate::content::types::{parse_date, Date, DocId, Version};
use crate::fsutil;

/// A ledger larger than this is not one (a million approvals take about 150 MB).
const MAX_BYTES: u64 = 256 << 20;

/// The header `aimsdoc approve` writes.
pub const HEADER: &str = "\
# approvals.lock: the approvals ledger of this aimsdoc content tree (ISO/IEC 42001 7.5.2, 7.5.3).
# One line per approved document version, sorted by id and version:
#   ID VERSION CONTENT-SHA256 APPROVAL-DATE APPROVER
# CONTENT-SHA256 binds the approval to the exact content approved: the body and every front
# matter field except approval, reviews, next_review, status and superseded_by (see \"Integrity\"
# in the aimsdoc README). Written by `aimsdoc approve DOC-ID --by NAME`; commit it with the
# documents. `aimsdoc check` fails when an approved document no longer matches its entry.
";

/// One approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Document id.
    pub id: String,
    /// Version as written.
    pub version: String,
    /// Content SHA-256, lowercase hex.
    pub sha256: String,
    /// Approval date.
    pub date: Date,
    /// Approver.
    pub by: String,
    /// 1-based line in the file (0 for entries not read from a file).
    pub line: usize,
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

/// The parsed ledger.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<Entry>,
    index: HashMap<(String, String), usize>,
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
            match parse_line(line, i + 1) {
                Ok(e) if ledger.get(&e.id, &e.version).is_some() => errors.push(LineError {
                    line: i + 1,
                    column: 1,
                    message: format!(
                        "this document version is already recorded on line {}",
                        ledger.get(&e.id, &e.version).map_or(0, |first| first.line)
                    ),
                }),
                Ok(e) => ledger.insert(e),
                Err(e) => errors.push(e),
            }
        }
        (ledger, errors)
    }

    /// The entry for `id` at `version` (as written).
    pub fn get(&self, id: &str, version: &str) -> Option<&Entry> {
        self.index.get(&(id.to_string(), version.to_string())).map(|&i| &self.entries[i])
    }

    /// The versions of `id` the ledger records.
    pub fn versions_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries.iter().filter(move |e| e.id == id).map(|e| e.version.as_str())
    }

    /// Adds `entry`, replacing any entry for the same id and version.
    pub fn insert(&mut self, entry: Entry) {
        let key = (entry.id.clone(), entry.version.clone());
        match self.index.get(&key) {
            Some(&i) => self.entries[i] = entry,
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    /// Every entry.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The file text: header, then one sorted line per entry.
    pub fn render(&self) -> String {
        let mut sorted: Vec<&Entry> = self.entries.iter().collect();
        sorted.sort_by(|a, b| {
            let v = |e: &Entry| Version::parse(&e.version);
            a.id.cmp(&b.id).then_with(|| v(a).cmp(&v(b))).then_with(|| a.version.cmp(&b.version))
        });
        let mut out = String::from(HEADER);
        for e in sorted {
            out.push_str(&format!("{} {} {} {} {}\n", e.id, e.version, e.sha256, e.date, e.by));
        }
        out
    }
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
        message: format!("{what}: expected `ID VERSION CONTENT-SHA256 YYYY-MM-DD APPROVER`"),
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
    let hash = fields[2].0;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(err(2, "the third field is not a SHA-256 in lowercase hex"));
    }
    let date = parse_date(fields[3].0).ok_or_else(|| err(3, "the fourth field is not a YYYY-MM-DD date"))?;
    Ok(Entry {
        id: fields[0].0.to_string(),
        version: fields[1].0.to_string(),
        sha256: hash.to_string(),
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

    fn entry(id: &str, version: &str, hash: &str) -> Entry {
        let date = parse_date("2026-01-15").expect("valid date");
        Entry {
            id: id.into(),
            version: version.into(),
            sha256: hash.into(),
            date,
            by: "Jane Smith, CEO".into(),
            line: 0,
        }
    }

    #[test]
    fn renders_sorted_and_round_trips() {
        let mut l = Ledger::default();
        for (id, v) in [("POL-002", "1.0"), ("POL-001", "1.10"), ("POL-001", "1.9"), ("AUP-001", "3")] {
            l.insert(entry(id, v, H1));
        }
        let text = l.render();
        assert!(text.starts_with("# approvals.lock"));
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines[0], format!("AUP-001 3 {H1} 2026-01-15 Jane Smith, CEO"));
        assert!(lines[1].starts_with("POL-001 1.9 ") && lines[2].starts_with("POL-001 1.10 "), "{text}");
        let (back, errors) = Ledger::parse(&text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back.render(), text);
        assert_eq!(back.get("POL-001", "1.10").map(|e| e.line), Some(10));
    }

    #[test]
    fn insert_replaces_same_version() {
        let mut l = Ledger::default();
        l.insert(entry("POL-001", "1.0", H1));
        l.insert(entry("POL-001", "1.0", H2));
        assert_eq!(l.entries().len(), 1);
        assert_eq!(l.get("POL-001", "1.0").map(|e| e.sha256.as_str()), Some(H2));
    }

    #[test]
    fn bad_lines_name_line_and_column() {
        let text = format!("POL-001 1.0 {H1} 2026-01-15 A\npol-1 1.0 {H1} 2026-01-15 A\nPOL-002 1.0 xyz 2026-01-15 A\nPOL-003 1.0 {H1} 2026-13-01 A\nPOL-004 1.0 {H1}\nPOL-001 1.0 {H2} 2026-01-15 B\n");
        let (l, e) = Ledger::parse(&text);
        assert_eq!(l.entries().len(), 1);
        let at: Vec<(usize, usize)> = e.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(2, 1), (3, 13), (4, 78), (5, 78), (6, 1)]);
        assert!(e[4].message.contains("line 1"), "{}", e[4].message);
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
