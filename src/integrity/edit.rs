//! Sets the `approval` block of a document's front matter while leaving every other byte of the
//! file alone: comments, key order, quoting, blank lines, a BOM and CRLF line endings all stay.
//! The lines of the old block (the key line to the line before the next top-level key, minus
//! trailing blank lines and unindented comments, which belong to what follows) are replaced;
//! without an old block, the new one goes after the `status` field, else at the end.

use crate::content::frontmatter;
use crate::content::types::{parse_date, Date};
use crate::yaml::{self, Limits, Node};

/// Returns `text` with its approval set to `by` on `date`; the text itself when the front
/// matter already says exactly that.
pub fn set_approval(text: &str, by: &str, date: Date) -> Result<String, String> {
    let (bom, rest) = match text.strip_prefix('\u{feff}') {
        Some(r) => ("\u{feff}", r),
        None => ("", text),
    };
    let split = frontmatter::split(rest).map_err(|e| e.message)?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default())
        .map_err(|e| format!("{} (line {})", e.message, e.pos.line))?
        .ok_or("the front matter is empty")?;
    let entries = root.as_map().ok_or("the front matter is not `key: value` lines")?;
    if approval_is(&root, by, date) {
        return Ok(text.to_string());
    }
    let nl = if split.yaml.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = split.yaml.split_inclusive('\n').collect();
    let line_index = |node: &Node| node.pos.line.saturating_sub(split.yaml_line);
    let top_level = |k: &Node| k.pos.column == 1 && line_index(k) < lines.len();
    if !entries.iter().all(|(k, _)| top_level(k)) {
        return Err("the front matter is not in block style (`key: value` at the start of each line)".into());
    }
    let block_end = |i: usize| {
        let next = entries.get(i + 1).map_or(lines.len(), |(k, _)| line_index(k));
        let start = line_index(&entries[i].0);
        (start + 1..next)
            .rev()
            .find(|&j| {
                let l = lines[j].trim_end();
                !(l.trim().is_empty() || l.starts_with('#'))
            })
            .map_or(start + 1, |j| j + 1)
    };
    let position = entries.iter().position(|(k, _)| k.as_str() == Some("approval"));
    let (from, to, block) = match position {
        Some(i) => {
            let (key, value) = &entries[i];
            let flow = value.pos.line == key.pos.line && value.as_map().is_some();
            let indent = match value.as_map() {
                Some(_) if !flow => value.pos.column.saturating_sub(1).max(1),
                _ => 2,
            };
            (line_index(key), block_end(i), render(by, date, flow, indent, nl))
        }
        None => {
            let at = entries.iter().position(|(k, _)| k.as_str() == Some("status")).map_or(lines.len(), block_end);
            (at, at, render(by, date, false, 2, nl))
        }
    };
    let mut yaml = String::with_capacity(split.yaml.len() + block.len());
    lines[..from].iter().for_each(|l| yaml.push_str(l));
    if from > 0 && !lines[from - 1].ends_with('\n') {
        yaml.push_str(nl);
    }
    yaml.push_str(&block);
    lines[to..].iter().for_each(|l| yaml.push_str(l));
    let start = split.yaml.as_ptr() as usize - rest.as_ptr() as usize;
    Ok(format!("{bom}{}{yaml}{}", &rest[..start], &rest[start + split.yaml.len()..]))
}

fn approval_is(root: &Node, by: &str, date: Date) -> bool {
    let Some(a) = root.get("approval") else { return false };
    a.get("by").and_then(Node::as_str) == Some(by)
        && a.get("date").and_then(Node::as_str).and_then(parse_date) == Some(date)
}

fn render(by: &str, date: Date, flow: bool, indent: usize, nl: &str) -> String {
    let by = quote(by);
    if flow {
        format!("approval: {{ by: {by}, date: {date} }}{nl}")
    } else {
        let pad = " ".repeat(indent);
        format!("approval:{nl}{pad}by: {by}{nl}{pad}date: {date}{nl}")
    }
}

/// A YAML double-quoted scalar.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        parse_date(s).expect("valid date")
    }

    #[track_caller]
    fn case(input: &str, expected: &str) {
        let got = set_approval(input, "Jane \"JS\" Smith, CEO", date("2026-03-01")).expect("edits");
        assert_eq!(got, expected);
    }

    #[test]
    fn inserts_after_status() {
        case(
            "---\nid: A-1\nstatus: approved\n# owner follows\nowner: X\n---\nBody\n",
            "---\nid: A-1\nstatus: approved\napproval:\n  by: \"Jane \\\"JS\\\" Smith, CEO\"\n  date: 2026-03-01\n# owner follows\nowner: X\n---\nBody\n",
        );
    }

    #[test]
    fn inserts_at_end_without_status() {
        case(
            "---\nid: A-1\n---\n",
            "---\nid: A-1\napproval:\n  by: \"Jane \\\"JS\\\" Smith, CEO\"\n  date: 2026-03-01\n---\n",
        );
    }

    #[test]
    fn replaces_flow_block_in_place() {
        case(
            "---\nid: A-1\napproval: { by: Old, date: 2025-01-01 }  # signed\nnext_review: 2027-01-01\n---\n",
            "---\nid: A-1\napproval: { by: \"Jane \\\"JS\\\" Smith, CEO\", date: 2026-03-01 }\nnext_review: 2027-01-01\n---\n",
        );
    }

    #[test]
    fn replaces_block_keeping_indent_crlf_and_trailing_comments() {
        case(
            "\u{feff}---\r\nid: A-1\r\napproval:\r\n    by: Old\r\n    # note\r\n    date: 2025-01-01\r\n\r\n# next\r\nnext_review: 2027-01-01\r\n---\r\nBody\r\n",
            "\u{feff}---\r\nid: A-1\r\napproval:\r\n    by: \"Jane \\\"JS\\\" Smith, CEO\"\r\n    date: 2026-03-01\r\n\r\n# next\r\nnext_review: 2027-01-01\r\n---\r\nBody\r\n",
        );
    }

    #[test]
    fn same_approval_is_left_untouched() {
        let text = "---\nid: A-1\napproval: { by: 'Jane Smith', date: 2026-03-01 } # as is\n---\n";
        assert_eq!(set_approval(text, "Jane Smith", date("2026-03-01")).as_deref(), Ok(text));
    }

    #[test]
    fn refuses_what_it_cannot_edit() {
        assert!(set_approval("no front matter\n", "A", date("2026-03-01")).is_err());
        assert!(set_approval("---\n{ id: A-1, approval: x }\n---\n", "A", date("2026-03-01")).is_err());
    }
}
