//! Builds a [`Node`] tree from saphyr-parser events, enforcing size, depth and key limits.

use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use super::{ErrorKind, Node, NodeKind, Pos, Style, YamlError};

/// Bounds that keep hostile input cheap: front matter is a few dozen keys, never thousands.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most nodes in the tree, counting every node an alias expands to.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 32, max_nodes: 50_000 }
    }
}

/// Parses one YAML document. `first_line` is the file line on which the YAML text starts, so
/// every position in the result (and in errors) is a position in the file, not in the block.
/// Returns `Ok(None)` for a document with no content (only comments or blank lines).
pub fn parse(text: &str, first_line: usize, limits: Limits) -> Result<Option<Node>, YamlError> {
    match super::fast::parse(text, first_line, limits) {
        Some(root) => Ok(Some(root)),
        None => parse_general(text, first_line, limits),
    }
}

/// The fast path's answer and the general builder's for `text` (the differential fuzz target
/// compares them: wherever the fast path answers, the trees are equal).
pub(crate) fn fast_and_general(text: &str, limits: Limits) -> (Option<Node>, Result<Option<Node>, YamlError>) {
    (super::fast::parse(text, 1, limits), parse_general(text, 1, limits))
}

/// [`parse`] over `saphyr-parser`, for every text (the fast path's oracle in tests).
pub(super) fn parse_general(text: &str, first_line: usize, limits: Limits) -> Result<Option<Node>, YamlError> {
    let line_starts = line_starts(text);
    let mut builder =
        Builder { first_line, line_starts, limits, stack: Vec::new(), anchors: HashMap::new(), nodes: 0, root: None };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let pos = builder.pos_at(e.marker());
            // The scanner refuses flow nesting (`[[[[...`) past its own bound before the builder
            // sees the events: that is a depth limit, not a syntax error.
            if e.info() == "recursion limit exceeded" {
                return builder.error(
                    ErrorKind::Limit,
                    pos,
                    &format!("nesting deeper than {} levels", builder.limits.max_depth),
                    "front matter is a flat set of fields with short lists; remove the deep nesting",
                );
            }
            if let Some(error) = missing_colon(text, pos.line + 1 - builder.first_line, &builder) {
                return error;
            }
            YamlError {
                kind: ErrorKind::Syntax,
                pos,
                message: format!("YAML syntax error: {}", e.info()),
                hint: "check indentation, the `key: value` shape and quoting; text with `: ` or a leading `[`, `{`, `*`, `&`, `!`, `|`, `>`, `%`, `@` or `#` needs quotes".into(),
            }
        })?;
        builder.on_event(event, span)?;
        if builder.root.is_some() {
            break;
        }
    }
    Ok(builder.root)
}

/// The scanner notices a key without its colon (`owner Head of Legal`) only on a later line
/// (`simple key expect ':'` at the next key, or at the closing fence). The mistake is on the
/// nearest line above that is a bare `key value` line without a `:`: report it there, in plain
/// words. `None` when no such line is found (then the scanner's own message stands).
fn missing_colon(text: &str, error_line: usize, builder: &Builder) -> Option<YamlError> {
    let lines: Vec<&str> = text.lines().collect();
    // The error's own line is the next key, well formed; the mistake is above it.
    let last = error_line.saturating_sub(1).min(lines.len());
    let (index, line) = (0..last).rev().map(|i| (i, lines[i])).find(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && t != "---"
    })?;
    let trimmed = line.trim_start();
    let bare = trimmed.trim_start_matches("- ");
    let starts_like_key = bare.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
    if bare.contains(':') || bare.contains(['{', '[', '"', '\'']) || !starts_like_key {
        return None;
    }
    let column = line.len() - bare.len() + 1;
    let (key, value) = bare.split_once(' ').unwrap_or((bare, ""));
    let number = builder.first_line + index;
    Some(YamlError {
        kind: ErrorKind::Syntax,
        pos: Pos { line: number, column },
        message: format!("line {number} has no `:` after the key `{key}`"),
        hint: format!("write `{key}: {}` (a colon and a space after the key)", value.trim()),
    })
}

enum Frame {
    Seq { pos: Pos, anchor: usize, items: Vec<Node> },
    Map { pos: Pos, anchor: usize, entries: Vec<(Node, Node)>, key: Option<Node> },
}

/// The character index at which each line (ended by `\n`) of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    let breaks = text.chars().enumerate().filter(|&(_, c)| c == '\n').map(|(i, _)| i + 1);
    std::iter::once(0).chain(breaks).collect()
}

struct Builder {
    first_line: usize,
    /// Where each `\n` line starts (character index): positions are counted from these, not from
    /// the parser's own line count, which also breaks lines at a lone `\r` and so would disagree
    /// with the file's lines everywhere else (found by the `yaml_tree` fuzz target).
    line_starts: Vec<usize>,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    root: Option<Node>,
}

impl Builder {
    /// The file position of the parser's `marker` (a character index into the YAML text).
    fn pos_at(&self, marker: &Marker) -> Pos {
        let index = marker.index();
        let line = self.line_starts.partition_point(|&start| start <= index).max(1);
        Pos { line: self.first_line + line - 1, column: index - self.line_starts[line - 1] + 1 }
    }

    fn span_pos(&self, span: &Span) -> Pos {
        self.pos_at(&span.start)
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        let pos = self.span_pos(&span);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    _ => Style::Quoted,
                };
                self.count(1, pos)?;
                let node = Node { pos, kind: NodeKind::Scalar(text.into_owned(), style) };
                self.finish(node, anchor, 1)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Seq { pos, anchor, items: Vec::new() });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Map { pos, anchor, entries: Vec::new(), key: None });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        pos,
                        "alias to an unknown anchor",
                        "define the anchor (`&name`) before using it (`*name`)",
                    ));
                };
                self.count(size, pos)?;
                let node = Node { pos, ..node };
                self.finish(node, 0, size)
            }
            _ => Ok(()),
        }
    }

    fn open(&mut self, pos: Pos) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.error(
                ErrorKind::Limit,
                pos,
                &format!("nesting deeper than {} levels", self.limits.max_depth),
                "front matter is a flat set of fields with short lists; remove the deep nesting",
            ));
        }
        self.count(1, pos)
    }

    fn count(&mut self, n: usize, pos: Pos) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(self.error(
                ErrorKind::Limit,
                pos,
                &format!("more than {} YAML values (aliases counted expanded)", self.limits.max_nodes),
                "front matter this large is almost certainly a mistake or an alias bomb; simplify it",
            ));
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor) = match frame {
            Frame::Seq { pos, anchor, items } => (Node { pos, kind: NodeKind::Seq(items) }, anchor),
            Frame::Map { pos, anchor, entries, .. } => (Node { pos, kind: NodeKind::Map(entries) }, anchor),
        };
        let size = node_count(&node);
        self.finish(node, anchor, size)
    }

    /// Places a completed node in its parent (or as the root) and records its anchor.
    fn finish(&mut self, node: Node, anchor: usize, size: usize) -> Result<(), YamlError> {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map { key: slot @ None, .. }) => {
                *slot = Some(node);
                Ok(())
            }
            Some(Frame::Map { key, entries, .. }) => {
                let Some(k) = key.take() else {
                    return Ok(());
                };
                check_key(&k, entries)?;
                entries.push((k, node));
                Ok(())
            }
        }
    }

    fn error(&self, kind: ErrorKind, pos: Pos, message: &str, hint: &str) -> YamlError {
        YamlError { kind, pos, message: message.to_string(), hint: hint.to_string() }
    }
}

/// Keys must be single values and appear once per mapping.
fn check_key(key: &Node, entries: &[(Node, Node)]) -> Result<(), YamlError> {
    let Some(name) = key.as_str() else {
        return Err(YamlError {
            kind: ErrorKind::Syntax,
            pos: key.pos,
            message: format!("a mapping key must be a single word, not {}", key.kind_name()),
            hint: "write keys as `name: value`".into(),
        });
    };
    if let Some((first, _)) = entries.iter().find(|(k, _)| k.as_str() == Some(name)) {
        return Err(YamlError {
            kind: ErrorKind::DuplicateKey,
            pos: key.pos,
            message: format!("duplicate key `{name}` (first defined on line {})", first.pos.line),
            hint: "each key may appear once; remove or merge one of them".into(),
        });
    }
    Ok(())
}

fn node_count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar(..) => 1,
        NodeKind::Seq(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        NodeKind::Map(entries) => 1 + entries.iter().map(|(k, v)| node_count(k) + node_count(v)).sum::<usize>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node {
        parse(text, 2, Limits::default()).expect("parses").expect("has content")
    }

    fn err(text: &str) -> YamlError {
        parse(text, 2, Limits::default()).expect_err("fails")
    }

    #[test]
    fn keeps_scalar_text_as_written() {
        let root = ok("version: 1.10\nflag: no\n");
        assert_eq!(root.get("version").and_then(Node::as_str), Some("1.10"));
        assert_eq!(root.get("flag").and_then(Node::as_str), Some("no"));
    }

    #[test]
    fn positions_are_file_lines() {
        let root = ok("id: X-1\nowner:   Someone\n");
        let (key, value) = root.entry("owner").expect("owner");
        assert_eq!(key.pos, Pos { line: 3, column: 1 });
        assert_eq!(value.pos, Pos { line: 3, column: 10 });
    }

    #[test]
    fn a_lone_carriage_return_does_not_start_a_line() {
        // YAML breaks lines at a lone `\r`; the file's lines (snippets, editors' `\n` lines, the
        // rest of aimsdoc) do not. Found by the `yaml_tree` fuzz target: line 103 of 3.
        let root = ok("id: X-1\r\r\rtitle: t\nowner: o\n");
        let (key, _) = root.entry("title").expect("title");
        assert_eq!(key.pos, Pos { line: 2, column: 11 });
        let (key, _) = root.entry("owner").expect("owner");
        assert_eq!(key.pos, Pos { line: 3, column: 1 });
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let e = err("id: A-1\ntitle: x\nid: A-2\n");
        assert_eq!(e.pos.line, 4);
        assert!(e.message.contains("duplicate key `id`"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let text = format!("a: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(parse(&text, 1, Limits::default()).map_err(|e| e.kind), Err(ErrorKind::Limit));
        let mut block = String::new();
        for depth in 0..20_000 {
            block.push_str(&" ".repeat(depth));
            block.push_str("k:\n");
        }
        assert!(parse(&block, 1, Limits::default()).is_err());
    }

    #[test]
    fn alias_bombs_hit_the_node_budget() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let e = err(&text);
        assert!(e.message.contains("aliases counted expanded"), "{}", e.message);
    }

    #[test]
    fn syntax_errors_carry_file_positions() {
        let e = err("id: A-1\ntitle: [unclosed\n");
        assert!(e.pos.line >= 3, "{:?}", e.pos);
    }

    #[test]
    fn empty_documents_are_none() {
        assert_eq!(parse("# only a comment\n", 1, Limits::default()), Ok(None));
    }
}
