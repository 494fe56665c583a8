//! Splits a document into its YAML front matter and Markdown body, keeping exact offsets so
//! that every later position is a position in the file. Accepts a UTF-8 BOM and CRLF endings.

use crate::diagnostics::{rules, Rule};
use crate::yaml::Pos;

/// A document split into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the fences.
    pub yaml: &'a str,
    /// File line on which the YAML text starts (the line after the opening fence).
    pub yaml_line: usize,
    /// The Markdown body after the closing fence.
    pub body: &'a str,
    /// File line on which the body starts.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// The rule broken.
    pub rule: &'static Rule,
    /// Where.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Splits `text` (the whole file) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SplitError {
            rule: rules::FS_EMPTY,
            pos: Pos { line: 1, column: 1 },
            message: "the file is empty".into(),
            hint: "start the document with `---`, its front matter (id, title, type, owner, version, status) and a closing `---`, or delete the file".into(),
        });
    }
    let mut lines = LineIter { text, offset: 0 };
    let first = lines.next().map_or("", |(_, line)| line);
    if first.trim_end() != "---" {
        return Err(SplitError {
            rule: rules::FM_MISSING,
            pos: Pos { line: 1, column: 1 },
            message: "the document has no front matter".into(),
            hint: "did you forget the opening `---`? A document starts with a `---` line, then `id:`, `title:`, `type:`, `owner:`, `version:`, `status:`, then a closing `---` line".into(),
        });
    }
    let yaml_start = lines.offset;
    for (line_no, line) in (2..).zip(lines.by_ref()) {
        let (start, content) = line;
        let fence = content.trim_end();
        if fence == "---" || fence == "..." {
            let body_start = lines.offset;
            return Ok(Split {
                yaml: &text[yaml_start..start],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
    }
    Err(SplitError {
        rule: rules::FM_UNCLOSED,
        pos: Pos { line: 1, column: 1 },
        message: "the front matter opened here is never closed".into(),
        hint: "add a line with only `---` after the last front matter field".into(),
    })
}

/// Iterates lines as (byte offset of line start, line text without the newline).
struct LineIter<'a> {
    text: &'a str,
    offset: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.text.len() {
            return None;
        }
        let start = self.offset;
        let rest = &self.text[start..];
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        self.offset += end;
        let line = rest[..end].trim_end_matches('\n').trim_end_matches('\r');
        Some((start, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_exact_lines() {
        let s = split("---\nid: A-1\ntitle: T\n---\n\nBody\n").expect("splits");
        assert_eq!(s.yaml, "id: A-1\ntitle: T\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let s = split("\u{feff}---\r\nid: A-1\r\n---\r\nBody\r\n").expect("splits");
        assert_eq!(s.yaml, "id: A-1\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn body_may_be_empty_and_fence_may_end_the_file() {
        let s = split("---\nid: A-1\n---").expect("splits");
        assert_eq!(s.body, "");
    }

    #[test]
    fn failures_have_their_rules() {
        assert_eq!(split("").map_err(|e| e.rule.code), Err("FS002"));
        assert_eq!(split("  \n\n").map_err(|e| e.rule.code), Err("FS002"));
        assert_eq!(split("# Title\n").map_err(|e| e.rule.code), Err("FM001"));
        assert_eq!(split("---\nid: A-1\n").map_err(|e| e.rule.code), Err("FM002"));
    }

    #[test]
    fn horizontal_rule_in_body_is_not_a_fence() {
        let s = split("---\nid: A-1\n---\ntext\n---\nmore\n").expect("splits");
        assert_eq!(s.body, "text\n---\nmore\n");
    }
}
