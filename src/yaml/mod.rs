//! A small YAML tree that keeps the position of every key and value.
//!
//! Front matter needs what serde-based YAML loaders throw away: the line and column of each
//! key and value (so diagnostics point at the offending token), the scalar text exactly as
//! written (`version: 1.10` stays `1.10`), duplicate-key detection, and hard limits so hostile
//! input (alias bombs, deep nesting) ends in an error instead of a hang or an allocation storm.
//! The tokenizer is `saphyr-parser`; this module builds the tree from its events. The usual
//! front matter shapes take a fast path (`fast`) that builds the same tree without it and
//! declines everything else (oracle tests in `fast_tests`).

pub(crate) mod build;
mod fast;
#[cfg(test)]
mod fast_tests;

pub use build::{parse, Limits};

/// A position in the source file: 1-based line and 1-based column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line number in the file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// How a scalar was written, which decides whether it may be read as a number or boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted.
    Plain,
    /// Single- or double-quoted, or a block scalar: always a string.
    Quoted,
}

/// One YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub pos: Pos,
    /// The content.
    pub kind: NodeKind,
}

/// The content of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar, as written (after YAML unescaping of quoted forms).
    Scalar(String, Style),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order. Keys are unique (duplicates are rejected while parsing).
    Map(Vec<(Node, Node)>),
}

/// What kind of problem a [`YamlError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not valid YAML.
    Syntax,
    /// A key repeated in one mapping.
    DuplicateKey,
    /// Too deep or too many nodes.
    Limit,
}

/// A YAML syntax or limit error with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// The kind of problem.
    pub kind: ErrorKind,
    /// Where it went wrong.
    pub pos: Pos,
    /// What went wrong.
    pub message: String,
    /// What the author can do about it.
    pub hint: String,
}

impl Node {
    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s, _) => Some(s),
            _ => None,
        }
    }

    /// True for an explicit null (`~`, `null`, or nothing after the colon).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s, Style::Plain) if s.is_empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
    }

    /// The entries of a mapping, if this is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of a sequence, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Looks a key up in a mapping; returns the key node and the value node.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(k, v)| (k, v))
    }

    /// Looks a key up in a mapping and returns its value.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// A word for the node's kind, for messages ("a list", "a mapping", "text").
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(..) if self.is_null() => "empty",
            NodeKind::Scalar(..) => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}
