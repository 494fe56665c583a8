//! The fast path for the front matter nearly every document has: a block mapping of `key:
//! value` lines whose values are plain or double-quoted (no escapes) scalars, one-line flow lists
//! and mappings, nested block mappings and block lists of such values. It builds exactly the tree
//! the general builder ([`super::build`]) builds over `saphyr-parser`, positions included, at a
//! fraction of the cost (YAML was a fifth of `check`'s CPU at 100,000 documents).
//!
//! Anything outside that subset (comments, single quotes, escapes, block scalars, anchors, tags,
//! empty values, multi-line scalars, tabs, `\r`, duplicate keys, odd indentation, errors of any
//! kind) makes [`parse`] answer `None`, and the general builder parses the text: every finding
//! and every hard case stays with one implementation. The oracle tests below and in
//! `tests/it` compare both on every front matter shape we have.

use super::{Limits, Node, NodeKind, Pos, Style};

/// One non-blank line: indentation (spaces), content after it, 0-based line index in the text.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
    index: usize,
}

/// The tree of `text` (starting on file line `first_line`), or `None` when the text is outside
/// the subset this path parses (then the general builder must).
pub(super) fn parse(text: &str, first_line: usize, limits: Limits) -> Option<Node> {
    if text.chars().any(declined_char) {
        return None;
    }
    let lines = lines(text)?;
    let mut p = Block { lines: &lines, at: 0, first_line, nodes: 0, depth: 0, limits };
    let first = *lines.first()?;
    if first.indent != 0 {
        return None;
    }
    let root = p.mapping(0)?;
    (p.at == lines.len() && p.nodes <= limits.max_nodes).then_some(root)
}

/// Characters whose reading differs between YAML processors or that YAML forbids: tabs, `\r`,
/// every other control character (C0, DEL, C1 including NEL), the byte order mark, the
/// non-characters U+FFFE/U+FFFF and the Unicode line and paragraph separators. The general
/// builder reads (or refuses) them.
fn declined_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}')
}

/// The non-blank lines of `text`; `None` when one is a comment or a document marker.
fn lines(text: &str) -> Option<Vec<Line<'_>>> {
    let mut out = Vec::new();
    for (index, raw) in crate::util::split_lines(text).enumerate() {
        let content = raw.trim_start_matches(' ');
        if content.trim_end_matches(' ').is_empty() {
            continue;
        }
        if content.starts_with(['#', '%']) || content.starts_with("---") || content.starts_with("...") {
            return None;
        }
        out.push(Line { indent: raw.len() - content.len(), text: content, index });
    }
    Some(out)
}

/// The block structure, line by line.
struct Block<'a, 'l> {
    lines: &'l [Line<'a>],
    at: usize,
    first_line: usize,
    nodes: usize,
    /// Open collections (block and flow): kept well below the limit, which the general builder
    /// reports.
    depth: usize,
    limits: Limits,
}

impl<'a> Block<'a, '_> {
    /// The file position of byte `col` of line `line`.
    fn pos(&self, line: Line<'a>, byte: usize) -> Pos {
        let raw_col = line.indent + line.text.get(..byte).map_or(0, |s| s.chars().count());
        Pos { line: self.first_line + line.index, column: raw_col + 1 }
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.limits.max_nodes).then_some(())
    }

    /// Opens a collection; `None` near the depth limit.
    fn open(&mut self) -> Option<()> {
        self.depth += 1;
        self.count()?;
        (self.depth + 2 < self.limits.max_depth).then_some(())
    }

    /// A block mapping whose keys sit at `indent`.
    fn mapping(&mut self, indent: usize) -> Option<Node> {
        let start = self.lines[self.at];
        let pos = self.pos(start, 0);
        self.open()?;
        let mut entries: Vec<(Node, Node)> = Vec::new();
        while let Some(&line) = self.lines.get(self.at) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = key_of(line.text)?;
            if entries.iter().any(|(k, _)| k.as_str() == Some(key)) {
                return None;
            }
            self.count()?;
            let key_node = Node { pos: self.pos(line, 0), kind: NodeKind::Scalar(key.to_string(), Style::Plain) };
            self.at += 1;
            let value = self.value(line, indent, key.len() + 1, rest)?;
            entries.push((key_node, value));
        }
        self.depth -= 1;
        Some(Node { pos, kind: NodeKind::Map(entries) })
    }

    /// The value of a `key:` on `line` (of a mapping at `indent`): `rest` starts at byte `offset`.
    fn value(&mut self, line: Line<'a>, indent: usize, offset: usize, rest: &'a str) -> Option<Node> {
        let trimmed = rest.trim_start_matches(' ');
        if trimmed.is_empty() {
            return self.nested(indent);
        }
        let offset = offset + rest.len() - trimmed.len();
        self.inline(line, offset, trimmed)
    }

    /// What follows a `key:` with nothing after it: a block mapping or list (an empty value is
    /// left to the general builder).
    fn nested(&mut self, indent: usize) -> Option<Node> {
        let next = *self.lines.get(self.at)?;
        // An indentless list (`-` under the key's own column) starts, for the parser, at its first
        // item's value rather than at its `-`: left to the general builder.
        if is_item(next.text) && next.indent > indent {
            return self.sequence(next.indent);
        }
        if next.indent > indent {
            return self.mapping(next.indent);
        }
        None
    }

    /// A block list whose `-` sit at `indent`; every item is a one-line value.
    fn sequence(&mut self, indent: usize) -> Option<Node> {
        let start = self.lines[self.at];
        let pos = self.pos(start, 0);
        self.open()?;
        let mut items = Vec::new();
        while let Some(&line) = self.lines.get(self.at) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || !is_item(line.text) {
                return None;
            }
            let rest = &line.text[1..];
            let trimmed = rest.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with("- ") || trimmed == "-" {
                return None;
            }
            self.at += 1;
            items.push(self.inline(line, 1 + rest.len() - trimmed.len(), trimmed)?);
        }
        self.depth -= 1;
        Some(Node { pos, kind: NodeKind::Seq(items) })
    }

    /// A one-line value at byte `offset` of `line` (`text` is the rest of the line from there),
    /// followed by nothing but spaces.
    fn inline(&mut self, line: Line<'a>, offset: usize, text: &'a str) -> Option<Node> {
        match text.as_bytes().first()? {
            b'[' | b'{' | b'"' => {
                let mut flow = Flow { block: self, line, text: line.text, at: offset };
                let node = flow.node()?;
                let end = flow.at;
                line.text[end..].trim_start_matches(' ').is_empty().then_some(node)
            }
            _ => {
                let value = text.trim_end_matches(' ');
                if !plain_block(value) || self.continues(line) {
                    return None;
                }
                self.count()?;
                Some(Node { pos: self.pos(line, offset), kind: NodeKind::Scalar(value.to_string(), Style::Plain) })
            }
        }
    }

    /// Whether the line after `line` is more indented than `line`, which would continue a plain
    /// scalar (or be an error): left to the general builder.
    fn continues(&self, line: Line<'a>) -> bool {
        self.lines.get(self.at).is_some_and(|next| next.indent > line.indent)
    }
}

/// `key: rest` with a simple key (letters, digits, `_`, `-`, `.`; starting with a letter or `_`).
fn key_of(text: &str) -> Option<(&str, &str)> {
    let (key, rest) = text.split_once(':')?;
    let simple = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    (simple && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

/// Whether a line is a block list item (`- ...` or a lone `-`).
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// A plain scalar in block context that reads the same in every YAML reading: no indicator first,
/// no comment, no `: ` (a nested mapping), no trailing `:`.
fn plain_block(value: &str) -> bool {
    value.starts_with(char::is_alphanumeric)
        && !value.contains(['#', '\\'])
        && !value.contains(": ")
        && !value.ends_with(':')
}

/// A plain scalar in a flow collection, from a deliberately small alphabet (ids, clause numbers,
/// dates, words), starting and ending with a letter or digit.
fn plain_flow(value: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    edge(value.chars().next())
        && edge(value.chars().next_back())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'_' | b'/' | b'-' | b'+'))
}

/// One-line flow values: `[a, "b"]`, `{ k: v }`, `"text"`.
struct Flow<'a, 'b, 'l> {
    block: &'b mut Block<'a, 'l>,
    line: Line<'a>,
    text: &'a str,
    at: usize,
}

impl<'a> Flow<'a, '_, '_> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches(' ').len();
    }

    fn pos(&self) -> Pos {
        self.block.pos(self.line, self.at)
    }

    /// A flow node at the cursor.
    fn node(&mut self) -> Option<Node> {
        match self.rest().as_bytes().first()? {
            b'[' => self.collection(b']'),
            b'{' => self.collection(b'}'),
            b'"' => self.quoted(),
            _ => self.plain(),
        }
    }

    /// `"text"` without escapes.
    fn quoted(&mut self) -> Option<Node> {
        let pos = self.pos();
        let body = &self.rest()[1..];
        let end = body.find('"')?;
        let value = &body[..end];
        if value.contains('\\') {
            return None;
        }
        self.block.count()?;
        self.at += end + 2;
        Some(Node { pos, kind: NodeKind::Scalar(value.to_string(), Style::Quoted) })
    }

    /// A plain scalar inside a flow collection: up to `,`, `]` or `}`, trimmed.
    fn plain(&mut self) -> Option<Node> {
        let pos = self.pos();
        let rest = self.rest();
        let end = rest.find([',', ']', '}'])?;
        let value = rest[..end].trim_end_matches(' ');
        if !plain_flow(value) {
            return None;
        }
        self.block.count()?;
        self.at += value.len();
        Some(Node { pos, kind: NodeKind::Scalar(value.to_string(), Style::Plain) })
    }

    /// `[items]` or `{key: value, ...}` on one line, no trailing comma.
    fn collection(&mut self, close: u8) -> Option<Node> {
        let pos = self.pos();
        self.block.open()?;
        self.at += 1;
        self.skip_spaces();
        let mut items = Vec::new();
        let mut entries: Vec<(Node, Node)> = Vec::new();
        if self.rest().as_bytes().first() == Some(&close) {
            self.at += 1;
        } else {
            loop {
                if close == b']' {
                    items.push(self.node()?);
                } else {
                    let entry = self.entry()?;
                    if entries.iter().any(|(k, _)| k.as_str() == entry.0.as_str()) {
                        return None;
                    }
                    entries.push(entry);
                }
                self.skip_spaces();
                match self.rest().as_bytes().first()? {
                    b',' => {
                        self.at += 1;
                        self.skip_spaces();
                        if self.rest().starts_with([']', '}', ',']) {
                            return None;
                        }
                    }
                    &c if c == close => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.block.depth -= 1;
        let kind = if close == b']' { NodeKind::Seq(items) } else { NodeKind::Map(entries) };
        Some(Node { pos, kind })
    }

    /// `key: value` inside a flow mapping.
    fn entry(&mut self) -> Option<(Node, Node)> {
        let pos = self.pos();
        let (key, rest) = key_of(self.rest())?;
        if !rest.starts_with(' ') {
            return None;
        }
        self.block.count()?;
        let key_node = Node { pos, kind: NodeKind::Scalar(key.to_string(), Style::Plain) };
        self.at += key.len() + 1;
        self.skip_spaces();
        Some((key_node, self.node()?))
    }
}
