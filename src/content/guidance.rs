//! Whether a document's body has been written: `aimsdoc new` starts every document with
//! headings and a line of guidance under each ("Why this document exists and what it
//! achieves."). A document that still holds that guidance, or holds nothing but headings and
//! nothing elsewhere (attachments, an SoA's list, an external source; a blank form is exempt),
//! says nothing yet, however complete its front matter: it must not count as the
//! policy or the record a checklist item asks for (see `assess::satisfy`), and the validate stage
//! says where the guidance is (ID016, ID017).

use std::sync::OnceLock;

use super::Document;

/// The guidance lines `aimsdoc new` writes into a controlled document's body, each under its
/// heading.
pub(crate) const DOCUMENT: [(&str, &str); 3] = [
    ("Purpose", "Why this document exists and what it achieves."),
    ("Scope", "Who and what it applies to."),
    ("Content", ""),
];

/// The guidance lines `aimsdoc new` writes into a record's body, each under its heading, and
/// the closing reminder.
pub(crate) const RECORD: [(&str, &str); 3] = [
    ("What happened", "The meeting, audit, assessment or event, who took part, and where."),
    ("Results", "Findings, decisions and actions, with owners and due dates."),
    ("Evidence", "The attached files and what each shows."),
];

/// The reminder at the end of a new record's body.
pub(crate) const RECORD_REMINDER: &str =
    "A record is issued once: for a later meeting or a new assessment, add a new record with its own id and date.";

/// The body a template gives: `## Heading`, a blank line, the guidance, a blank line.
pub(crate) fn body(sections: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (heading, guidance) in sections {
        out.push_str(&format!("## {heading}\n\n"));
        if !guidance.is_empty() {
            out.push_str(&format!("{guidance}\n\n"));
        }
    }
    out
}

/// Why a body says nothing yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unwritten {
    /// File line `line` is still the guidance `text`.
    Guidance { line: usize, text: &'static str },
    /// Nothing but headings (or nothing at all), and no attachments to carry the content.
    Empty,
}

/// Whether `doc`'s body says nothing yet, and why (the first guidance line left, else empty).
/// Judged once when the document is parsed: read [`Document::unwritten`].
pub(crate) fn unwritten(doc: &Document) -> Option<Unwritten> {
    let mut written = false;
    // Split at `\n` only (a CR is trimmed with the other white space); the empty line after a
    // final newline is neither guidance nor text.
    let mut lines = crate::util::split_lines(&doc.body).map(str::trim).enumerate().peekable();
    while let Some((n, text)) = lines.next() {
        if let Some(guidance) = guidance_line(text) {
            return Some(Unwritten::Guidance { line: doc.body_line + n, text: guidance });
        }
        // Once a line says something, only guidance left further down changes the answer.
        written = written || (says_something(text) && !lines.peek().is_some_and(|(_, next)| underline(next)));
    }
    (!written && carries_nothing_else(doc)).then_some(Unwritten::Empty)
}

/// Nothing outside the body holds the content: no attachments, no applicability list (an SoA),
/// not of external origin (identified by `source` and `reference`; its text is elsewhere) and
/// not a form (a blank form is headings and fields by nature).
fn carries_nothing_else(doc: &Document) -> bool {
    let form = doc.doc_type.value == super::doc_types::FORM;
    doc.attachments.is_empty() && doc.applicability.is_empty() && !doc.is_external() && !form
}

fn guidance_line(text: &str) -> Option<&'static str> {
    // Every line of every body is asked: most are shorter than any guidance, or not one of them.
    static LINES: OnceLock<(usize, Vec<&'static str>)> = OnceLock::new();
    let (shortest, lines) = LINES.get_or_init(|| {
        let lines = DOCUMENT.iter().chain(&RECORD).map(|(_, g)| *g).chain([RECORD_REMINDER]);
        let lines: Vec<&str> = lines.filter(|g| !g.is_empty()).collect();
        (lines.iter().map(|g| g.len()).min().unwrap_or(0), lines)
    });
    if text.len() < *shortest {
        return None;
    }
    lines.iter().find(|g| **g == text).copied()
}

/// A line other than blank, an ATX heading (`#`), a setext underline (`===`, `---`) or an HTML
/// comment on its own.
fn says_something(text: &str) -> bool {
    let comment = text.starts_with("<!--") && text.ends_with("-->");
    !(text.is_empty() || text.starts_with('#') || underline(text) || comment)
}

/// A line of only `=` or only `-` (a setext heading's underline, or a thematic break).
fn underline(text: &str) -> bool {
    !text.is_empty() && (text.bytes().all(|c| c == b'=') || text.bytes().all(|c| c == b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str, attachments: usize) -> Document {
        doc_of("policy", "", body, attachments)
    }

    fn doc_of(doc_type: &str, extra: &str, body: &str, attachments: usize) -> Document {
        let files: Vec<String> = (0..attachments).map(|k| format!("f{k}.csv")).collect();
        let text = format!(
            "---\nid: POL-001\ntitle: T\ntype: {doc_type}\nowner: O\nversion: \"0.1\"\nstatus: draft\n{extra}attachments: [{}]\n---\n{body}",
            files.join(", ")
        );
        let mut out = crate::content::load::Loaded::default();
        let config = crate::config::Config::default();
        crate::content::load::parse_text("documents/p.md", &text, String::new(), 0, &config, &mut out);
        out.document.unwrap_or_else(|| panic!("{text}\n{:?}", out.diagnostics))
    }

    fn guidance(d: &Document, offset: usize, text: &'static str) -> Option<Unwritten> {
        Some(Unwritten::Guidance { line: d.body_line + offset, text })
    }

    #[test]
    fn the_templates_own_bodies_are_unwritten_at_their_first_guidance_line() {
        let d = doc(&body(&DOCUMENT), 0);
        assert_eq!(unwritten(&d), guidance(&d, 2, DOCUMENT[0].1));
        let d = doc(&format!("{}{RECORD_REMINDER}\n", body(&RECORD)), 1);
        assert_eq!(unwritten(&d), guidance(&d, 2, RECORD[0].1));
        // One guidance line left among written text is still reported, at its line.
        let d = doc("## Purpose\n\nWe use AI responsibly.\n\n## Scope\n\n  Who and what it applies to.  \n", 0);
        assert_eq!(unwritten(&d), guidance(&d, 6, DOCUMENT[1].1));
    }

    #[test]
    fn headings_alone_say_nothing_unless_files_carry_the_content() {
        for empty in
            ["", "\n\n", "# Title\n\n## Purpose\n\n## Scope\n", "Title\n=====\n\nPart\n----\n", "<!-- later -->\n"]
        {
            assert_eq!(unwritten(&doc(empty, 0)), Some(Unwritten::Empty), "{empty:?}");
            assert_eq!(unwritten(&doc(empty, 1)), None, "attachments carry it: {empty:?}");
        }
        for written in
            ["## Purpose\n\nWe use AI responsibly.\n", "| a |\n|---|\n| 1 |\n", "- one item\n", "```\ncode\n```\n"]
        {
            assert_eq!(unwritten(&doc(written, 0)), None, "{written:?}");
        }
        // An external document is identified by its source, a form is blank by nature: headings
        // alone are fine there; its guidance lines are still reported.
        for (ty, extra) in [("external", "origin: external\nsource: NIST\nreference: AI 100-1\n"), ("form", "")] {
            let d = doc_of(ty, extra, "## Heading\n", 0);
            assert_eq!(unwritten(&d), None, "{ty}");
            let d = doc_of(ty, extra, "## Heading\n\nWho and what it applies to.\n", 0);
            assert_eq!(unwritten(&d), guidance(&d, 2, DOCUMENT[1].1), "{ty}");
        }
        // Guidance quoted inside a sentence is not the guidance line.
        assert_eq!(unwritten(&doc("The template says: Who and what it applies to.\n", 0)), None);
    }

    #[test]
    fn crlf_bodies_get_the_same_answers() {
        let d = doc("## Purpose\r\n\r\nWe use AI.\r\n\r\n  Who and what it applies to.\r\n", 0);
        assert_eq!(unwritten(&d), guidance(&d, 4, DOCUMENT[1].1));
        for empty in ["Title\r\n=====\r\n", "\r\n\r\n", "## Purpose\r\n"] {
            assert_eq!(unwritten(&doc(empty, 0)), Some(Unwritten::Empty), "{empty:?}");
        }
        assert_eq!(unwritten(&doc("Title\r\n=====\r\n\r\nText.\r\n", 0)), None);
    }
}
