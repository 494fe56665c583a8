//! Sets the `approval` block, the top-level dates (`effective`, `next_review`) and scalars
//! (`status`, `version`) of a document's front matter, and adds `history` entries, while leaving
//! every other byte of the file alone: comments, key
//! order, quoting, blank lines, a BOM and CRLF line endings all stay. The lines of an old entry
//! (the key line to the line before the next top-level key, minus trailing blank lines and
//! unindented comments, which belong to what follows) are replaced; without an old entry, the
//! new one goes after a given field (`status` for the approval), else at the end.

use crate::content::frontmatter;
use crate::content::types::{parse_date, Date};
use crate::yaml::{self, Limits, Node};

/// Returns `text` with its approval set to `by` on `date`; the text itself when the front
/// matter already says exactly that.
pub(crate) fn set_approval(text: &str, by: &str, date: Date) -> Result<String, String> {
    replace_entry(text, "approval", "status", &|root, old, nl| {
        if approval_is(root, by, date) {
            return None;
        }
        let (flow, indent) = match old {
            Some((key, value)) => {
                let flow = value.pos.line == key.pos.line && value.as_map().is_some();
                let indent = match value.as_map() {
                    Some(_) if !flow => value.pos.column.saturating_sub(1).max(1),
                    _ => 2,
                };
                (flow, indent)
            }
            None => (false, 2),
        };
        Some(render(by, date, flow, indent, nl))
    })
}

/// Returns `text` with the top-level `key` set to `date` (added after `after` when missing);
/// the text itself when it already says so.
pub(crate) fn set_date(text: &str, key: &str, date: Date, after: &str) -> Result<String, String> {
    replace_entry(text, key, after, &|root, _, nl| {
        let same = root.get(key).and_then(Node::as_str).and_then(parse_date) == Some(date);
        (!same).then(|| format!("{key}: {date}{nl}"))
    })
}

/// Returns `text` with the value of the top-level scalar `key` replaced by `value` (YAML as it
/// is to be written, e.g. `"1.0"` with its quotes), in place: the rest of the line, a comment
/// after the value included, stays.
pub(crate) fn set_scalar(text: &str, key: &str, value: &str) -> Result<String, String> {
    let (root, _) = front_matter(text)?;
    let node = root.get(key).ok_or_else(|| format!("the front matter has no `{key}`"))?;
    let written = node.as_str().ok_or_else(|| format!("`{key}` is not a single value"))?;
    let start = line_start(text, node.pos.line).ok_or_else(|| format!("`{key}` is not where the parser saw it"))?;
    let line = text[start..].split('\n').next().unwrap_or_default();
    let from = line.char_indices().nth(node.pos.column.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    let len = scalar_len(&line[from..]);
    let shown = line[from..from + len].trim_matches(|c| c == '"' || c == '\'');
    if shown != written {
        return Err(format!("`{key}` is not written on one line as `{key}: value`"));
    }
    let at = start + from;
    Ok(format!("{}{value}{}", &text[..at], &text[at + len..]))
}

/// Returns `text` with `entry` (a flow mapping, `{ version: ..., date: ... }`) added as the first
/// entry of the block list `history`, indented as the entry it goes above, or as a new
/// `history` list at the end of the front matter when there is none.
pub(crate) fn add_history(text: &str, entry: &str) -> Result<String, String> {
    let (root, nl) = front_matter(text)?;
    let first = root.get("history").and_then(Node::as_seq).and_then(|items| items.first());
    let Some(first) = first else {
        return replace_entry(text, "history", "", &|_, _, nl| Some(format!("history:{nl}  - {entry}{nl}")));
    };
    let start = line_start(text, first.pos.line).ok_or("`history` is not where the parser saw it")?;
    let line = &text[start..];
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    if !line[indent..].starts_with("- ") {
        return Err("`history` is not a block list (`- { version: ... }` on its own line per entry)".into());
    }
    Ok(format!("{}{}- {entry}{nl}{}", &text[..start], &line[..indent], line))
}

/// The front matter of `text` as a tree, and the line end it uses.
fn front_matter(text: &str) -> Result<(Node, &'static str), String> {
    let rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(rest).map_err(|e| e.message)?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default())
        .map_err(|e| format!("{} (line {})", e.message, e.pos.line))?
        .ok_or("the front matter is empty")?;
    let nl = if split.yaml.contains("\r\n") { "\r\n" } else { "\n" };
    Ok((root, nl))
}

/// The byte offset at which line `n` (1-based) of `text` starts.
fn line_start(text: &str, n: usize) -> Option<usize> {
    if n == 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(n.checked_sub(2)?).map(|(i, _)| i + 1)
}

/// Bytes of the scalar at the start of `rest`: up to its closing quote, else up to a comment or
/// the end of the line, trailing spaces left out.
fn scalar_len(rest: &str) -> usize {
    let rest = rest.trim_end_matches(['\r', '\n']);
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
        _ => {
            let end = rest.find(" #").unwrap_or(rest.len());
            rest[..end].trim_end().len()
        }
    }
}

/// Makes the new lines of one top-level entry (`None`: leave the text as it is), given the
/// front matter, the old key and value if any, and the line end in use.
type Render<'a> = dyn Fn(&Node, Option<(&Node, &Node)>, &str) -> Option<String> + 'a;

/// Replaces (or adds) the top-level entry `key` with what `make` renders, leaving every other
/// byte of `text` as it was.
fn replace_entry(text: &str, key: &str, after: &str, make: &Render) -> Result<String, String> {
    let (bom, rest) = match text.strip_prefix('\u{feff}') {
        Some(r) => ("\u{feff}", r),
        None => ("", text),
    };
    let split = frontmatter::split(rest).map_err(|e| e.message)?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default())
        .map_err(|e| format!("{} (line {})", e.message, e.pos.line))?
        .ok_or("the front matter is empty")?;
    let entries = root.as_map().ok_or("the front matter is not `key: value` lines")?;
    let nl = if split.yaml.contains("\r\n") { "\r\n" } else { "\n" };
    let position = entries.iter().position(|(k, _)| k.as_str() == Some(key));
    let Some(block) = make(&root, position.map(|i| (&entries[i].0, &entries[i].1)), nl) else {
        return Ok(text.to_string());
    };
    let lines: Vec<&str> = split.yaml.split_inclusive('\n').collect();
    let (from, to) = entry_lines(entries, &lines, split.yaml_line, position, after)?;
    let yaml = splice(&lines, from, to, &block, nl);
    let start = split.yaml.as_ptr() as usize - rest.as_ptr() as usize;
    Ok(format!("{bom}{}{yaml}{}", &rest[..start], &rest[start + split.yaml.len()..]))
}

/// The lines `from..to` of the front matter the new entry replaces: the old entry at
/// `position` (without the blank lines and unindented comments after it), else an empty range
/// after the entry `after`, else at the end. An error when the front matter is not block style.
fn entry_lines(
    entries: &[(Node, Node)],
    lines: &[&str],
    yaml_line: usize,
    position: Option<usize>,
    after: &str,
) -> Result<(usize, usize), String> {
    let line_index = |node: &Node| node.pos.line.saturating_sub(yaml_line);
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
    Ok(match position {
        Some(i) => (line_index(&entries[i].0), block_end(i)),
        None => {
            let at = entries.iter().position(|(k, _)| k.as_str() == Some(after)).map_or(lines.len(), block_end);
            (at, at)
        }
    })
}

/// The front matter with lines `from..to` replaced by `block` (a line end added before it when
/// the line above has none).
fn splice(lines: &[&str], from: usize, to: usize, block: &str, nl: &str) -> String {
    let mut yaml = String::with_capacity(lines.iter().map(|l| l.len()).sum::<usize>() + block.len());
    lines[..from].iter().for_each(|l| yaml.push_str(l));
    if from > 0 && !lines[from - 1].ends_with('\n') {
        yaml.push_str(nl);
    }
    yaml.push_str(block);
    lines[to..].iter().for_each(|l| yaml.push_str(l));
    yaml
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
pub(crate) fn quote(s: &str) -> String {
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
    fn sets_and_adds_dates() {
        let text = "---\nid: A-1\nstatus: approved\neffective: 2026-01-01 # was\nnext_review: 2027-01-01\n---\n";
        let moved = set_date(text, "effective", date("2026-03-01"), "status").expect("edits");
        assert_eq!(moved, text.replace("effective: 2026-01-01 # was", "effective: 2026-03-01"));
        assert_eq!(set_date(text, "next_review", date("2027-01-01"), "status").as_deref(), Ok(text));
        let added =
            set_date("---\nid: A-1\nstatus: approved\nowner: X\n---\n", "next_review", date("2027-03-01"), "status");
        assert_eq!(added.as_deref(), Ok("---\nid: A-1\nstatus: approved\nnext_review: 2027-03-01\nowner: X\n---\n"));
    }

    #[test]
    fn sets_a_scalar_in_place_keeping_its_comment() {
        let text = "---\r\nid: A-1\r\nversion: \"0.1\"  # draft\r\nstatus: draft    # draft -> review\r\n---\r\n";
        let v = set_scalar(text, "version", "\"1.0\"").expect("edits");
        let s = set_scalar(&v, "status", "approved").expect("edits");
        assert_eq!(
            s,
            "---\r\nid: A-1\r\nversion: \"1.0\"  # draft\r\nstatus: approved    # draft -> review\r\n---\r\n"
        );
        assert!(set_scalar(text, "owner", "X").is_err());
    }

    #[test]
    fn adds_a_history_entry_above_the_newest() {
        let entry = "{ version: \"1.0\", date: 2026-03-01, by: J, summary: Issued }";
        let text =
            "---\nid: A-1\nhistory:\n    - { version: \"0.1\", date: 2026-01-01, by: J, summary: First }\n---\nBody\n";
        let got = add_history(text, entry).expect("edits");
        assert_eq!(got, text.replace("history:\n", &format!("history:\n    - {entry}\n")));
        let none = add_history("---\nid: A-1\n---\n", entry).expect("edits");
        assert_eq!(none, format!("---\nid: A-1\nhistory:\n  - {entry}\n---\n"));
        assert!(add_history("---\nid: A-1\nhistory: [{ version: \"0.1\" }]\n---\n", entry).is_err());
    }

    #[test]
    fn refuses_what_it_cannot_edit() {
        assert!(set_approval("no front matter\n", "A", date("2026-03-01")).is_err());
        assert!(set_approval("---\n{ id: A-1, approval: x }\n---\n", "A", date("2026-03-01")).is_err());
    }
}
