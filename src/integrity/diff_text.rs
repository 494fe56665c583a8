//! The change set of [`super::diff`] as text: one line per change for a terminal (tree text
//! escaped: a title may carry control or bidirectional characters), and Markdown for a
//! release note or a pull request comment (table cells escaped).

use std::fmt::Write as _;

use super::diff::{ChangeSet, DocChange, DocEntry, FileChange, FileEntry, Side};
use super::manifest_read::Approval;
use crate::diagnostics::format::visible;

/// `approved by Jane Smith on 2026-01-15`, or `none`.
fn approval(a: &Option<Approval>) -> String {
    match a {
        None => "none".into(),
        Some(a) => {
            format!("{} on {}", a.by.as_deref().unwrap_or("(no approver)"), a.date.as_deref().unwrap_or("(no date)"))
        }
    }
}

/// What changed, in words (no id or title).
fn describe(change: &DocChange) -> String {
    match change {
        DocChange::Added { version, status } => format!("added (version {version}, {status})"),
        DocChange::Removed { version, status } => format!("removed (was version {version}, {status})"),
        DocChange::NewVersion { from, to } => format!("new version {from} -> {to}"),
        DocChange::Status { from, to } => format!("status {from} -> {to}"),
        DocChange::Approval { from, to } => format!("approval {} -> {}", approval(from), approval(to)),
        DocChange::Content => "text changed without a new version".into(),
        DocChange::Title { from, to } => format!("retitled from \"{from}\" to \"{to}\""),
    }
}

fn file_word(c: FileChange) -> &'static str {
    match c {
        FileChange::Added => "added",
        FileChange::Changed => "changed",
        FileChange::Removed => "removed",
    }
}

/// The header line: which two portals, how many changes.
fn summary(set: &ChangeSet) -> String {
    format!(
        "{} document change(s), {} evidence change(s) from {} to {}",
        set.documents.len(),
        set.evidence.len(),
        side(&set.old),
        side(&set.new)
    )
}

/// `v1.0 (revision 0123456789, 3 documents)`, `old-site (site, 3 documents)`.
fn side(s: &Side) -> String {
    match &s.commit {
        Some(commit) => format!("{} ({} {}, {} documents)", s.label, s.kind, short(commit), s.documents),
        None => format!("{} ({}, {} documents)", s.label, s.kind, s.documents),
    }
}

/// The first 10 hex digits of a commit id.
pub(crate) fn short(commit: &str) -> &str {
    commit.get(..10).unwrap_or(commit)
}

/// For a terminal: a summary line, then one line per change.
pub(crate) fn human(set: &ChangeSet) -> String {
    let mut out = format!("{}\n", visible(&summary(set)));
    if set.is_empty() {
        out.push_str("  no changes\n");
    }
    for d in &set.documents {
        let line = format!("  {:<12} {:<12} {}: {}", d.change.name(), d.id, d.title, describe(&d.change));
        let _ = writeln!(out, "{}", visible(&line));
    }
    for e in &set.evidence {
        let _ = writeln!(out, "  {:<12} {}", file_word(e.change), visible(&e.path));
    }
    for n in &set.notes {
        let _ = writeln!(out, "note: {}", visible(n));
    }
    out
}

/// A Markdown cell: pipes escaped, line breaks and other controls turned into spaces.
fn cell(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// For a release note or a pull request: a heading, a table of documents, one of evidence.
pub(crate) fn markdown(set: &ChangeSet) -> String {
    let mut out = format!("## Changes\n\n{}\n", cell(&summary(set)));
    if !set.documents.is_empty() {
        out.push_str("\n### Documents\n\n| Id | Title | Change |\n|---|---|---|\n");
        for DocEntry { id, title, change } in &set.documents {
            let _ = writeln!(out, "| {} | {} | {} |", cell(id), cell(title), cell(&describe(change)));
        }
    }
    if !set.evidence.is_empty() {
        out.push_str("\n### Evidence\n\n| File | Change |\n|---|---|\n");
        for FileEntry { path, change, .. } in &set.evidence {
            let _ = writeln!(out, "| {} | {} |", cell(path), file_word(*change));
        }
    }
    for n in &set.notes {
        let _ = write!(out, "\n> Note: {}\n", cell(n));
    }
    out
}

/// One line per change, for pages: what [`human`] says after the id and title.
pub(crate) fn describe_entry(d: &DocEntry) -> String {
    describe(&d.change)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> ChangeSet {
        let side = |l: &str| Side { label: l.into(), kind: "site", commit: None, format: String::new(), documents: 1 };
        ChangeSet {
            old: side("old"),
            new: side("new"),
            documents: vec![DocEntry {
                id: "POL-1".into(),
                title: "A | B\u{1b}[31m".into(),
                change: DocChange::NewVersion { from: "1.0".into(), to: "2.0".into() },
            }],
            evidence: vec![FileEntry {
                path: "evidence/x.csv".into(),
                change: FileChange::Added,
                old_sha256: None,
                new_sha256: Some("aa".into()),
            }],
            notes: vec![],
        }
    }

    #[test]
    fn the_terminal_never_gets_an_escape_character() {
        let h = human(&set());
        assert!(!h.contains('\u{1b}'), "{h}");
        assert!(h.contains("new-version  POL-1") && h.contains("new version 1.0 -> 2.0"), "{h}");
        assert!(h.contains("added        evidence/x.csv"), "{h}");
    }

    #[test]
    fn markdown_cells_keep_their_table() {
        let m = markdown(&set());
        assert!(m.contains("| POL-1 | A \\| B [31m | new version 1.0 -> 2.0 |"), "{m}");
        assert!(m.contains("| evidence/x.csv | added |"), "{m}");
    }
}
