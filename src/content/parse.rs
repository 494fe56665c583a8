//! Converts a front matter tree into a typed [`Document`], reporting every problem it meets
//! (missing, misshapen, malformed or unknown fields) at the key or value that causes it.

use std::collections::BTreeMap;

use super::document::{Approval, Document, HistoryEntry, Implementation, Obsolete, ReviewEntry, SoaEntry};
use super::fields::{self, Field, APPROVAL_FIELDS, FIELDS, HISTORY_FIELDS, OBSOLETE_FIELDS, REVIEW_FIELDS, SOA_FIELDS};
use super::types::{parse_date, Date, DocId, Origin, Outcome, Retention, Spanned, Status, Version};
use crate::config::Config;
use crate::diagnostics::{rules, Diagnostic, Rule};
use crate::util::closest;
use crate::yaml::{Node, NodeKind, Pos, Style};

/// The parts of a source file the converter needs besides the tree.
pub(crate) struct SourceInfo<'a> {
    /// Path relative to the content root.
    pub path: &'a str,
    /// SHA-256 of the raw bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// The Markdown body.
    pub body: super::source::Body,
    /// File line on which the body starts.
    pub body_line: usize,
}

/// Converts `root` into a document; `None` when there is no usable id (already reported).
pub(crate) fn to_document(
    root: &Node,
    src: SourceInfo<'_>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let head = Pos { line: 1, column: 1 };
    let mut cx = Cx { file: src.path, diags, head };
    cx.unknown_keys(root, FIELDS, || "front matter".to_string());
    let ident = cx.identity(root, config);
    let links = super::links::extract(&src.body, src.body_line);
    // The rest maps one front matter key to one field each, in the order they are reported.
    let mut doc = Document {
        path: src.path.to_string(),
        sha256: src.sha256,
        size: src.size,
        approval: cx.approval(root),
        effective: cx.optional_date(root, "effective"),
        next_review: cx.optional_date(root, "next_review"),
        retention: cx.retention(root),
        record_date: cx.optional_date(root, "record_date"),
        record_date_written: written(root, "record_date"),
        retention_written: written(root, "retention"),
        next_review_written: written(root, "next_review"),
        legal_hold: cx.optional_text(root, "legal_hold"),
        clauses: cx.list(root, "clauses"),
        controls: cx.list(root, "controls"),
        satisfies: cx.list(root, "satisfies"),
        frameworks: cx.frameworks(root),
        related: cx.id_list(root, "related"),
        supersedes: cx.id_list(root, "supersedes"),
        superseded_by: cx.optional_text(root, "superseded_by").and_then(|s| cx.doc_id(s)),
        obsolete: cx.obsolete(root),
        attachments: cx.list(root, "attachments"),
        origin: cx.origin(root),
        source: cx.optional_text(root, "source"),
        reference: cx.optional_text(root, "reference"),
        history: cx.history(root),
        reviews: cx.reviews(root),
        applicability: cx.applicability(root),
        links,
        body: src.body,
        body_line: src.body_line,
        head,
        status_key: root.entry("status").map_or(head, |(k, _)| k.pos),
        applicability_key: root.entry("applicability").map_or(head, |(k, _)| k.pos),
        id: ident.id?,
        title: ident.title.unwrap_or_else(|| Spanned::new(String::new(), head)),
        doc_type: ident.doc_type.unwrap_or_else(|| Spanned::new(String::new(), head)),
        owner: ident.owner.unwrap_or_else(|| Spanned::new(String::new(), head)),
        version: ident.version,
        status: ident.status,
        classification: ident.classification,
        unwritten: None,
    };
    doc.unwritten = super::guidance::unwritten(&doc);
    Some(doc)
}

/// The identifying fields every document states, each `None` when missing or malformed
/// (already reported).
struct Identity {
    id: Option<Spanned<DocId>>,
    title: Option<Spanned<String>>,
    doc_type: Option<Spanned<String>>,
    owner: Option<Spanned<String>>,
    version: Option<Spanned<Version>>,
    status: Option<Spanned<Status>>,
    classification: Option<Spanned<String>>,
}

/// Whether `key` holds a non-blank scalar (so a malformed value is not also reported missing).
fn written(map: &Node, key: &str) -> bool {
    map.get(key).filter(|n| !n.is_null()).and_then(Node::as_str).is_some_and(|s| !s.trim().is_empty())
}

/// Whether `map` has an unknown key whose "did you mean" is `field` (`Owner`, `ownr` for
/// `owner`): the field is then misspelt, not missing.
fn misspelt_as(map: &Node, field: &str, fields: &[Field]) -> bool {
    let known = fields::names(fields);
    map.as_map()
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, _)| k.as_str())
        .any(|name| !known.contains(&name) && closest(name, known.iter().copied()) == Some(field))
}

struct Cx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    head: Pos,
}

impl Cx<'_> {
    /// Reads the required identifying fields and the classification, each checked against its
    /// vocabulary (document types and classification levels from the configuration).
    fn identity(&mut self, root: &Node, config: &Config) -> Identity {
        let id = self.required_text(root, "id").and_then(|s| self.doc_id(s));
        let title = self.required_text(root, "title");
        let types: Vec<&str> = config.document_types().collect();
        let levels: Vec<&str> = config.classification.levels.iter().map(String::as_str).collect();
        let doc_type =
            self.required_text(root, "type").and_then(|t| self.one_of(t, &types, rules::ID_BAD_TYPE, "type"));
        let owner = self.required_text(root, "owner");
        let version = self.required_text(root, "version").and_then(|v| self.version(v));
        let status = self.required_text(root, "status").and_then(|s| self.status(s));
        let classification = self
            .optional_text(root, "classification")
            .and_then(|c| self.one_of(c, &levels, rules::ID_BAD_CLASSIFICATION, "classification"));
        Identity { id, title, doc_type, owner, version, status, classification }
    }

    fn report(&mut self, rule: &'static Rule, pos: Pos, message: String, hint: String) {
        self.diags.push(Diagnostic::new(rule, self.file, pos, message).hint(hint));
    }

    /// Reports the keys of `map` not in `known_fields`; `what` (the place) is made only to report.
    fn unknown_keys(&mut self, map: &Node, known_fields: &[Field], what: impl Fn() -> String) {
        let unknown = |name: &&str| !known_fields.iter().any(|f| f.name == *name);
        for (key, _) in map.as_map().unwrap_or_default() {
            let Some(name) = key.as_str().filter(unknown) else { continue };
            let known = fields::names(known_fields);
            let hint = match closest(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known fields here: {}", known.join(", ")),
            };
            self.report(rules::ID_UNKNOWN_FIELD, key.pos, format!("unknown field `{name}` in {}", what()), hint);
        }
    }

    /// The scalar text of `node` (cut to the field's cap, see [`Cx::capped`]), or a shape error.
    fn scalar(&mut self, key: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.kind {
            NodeKind::Scalar(s, _) if !node.is_null() => {
                Some(Spanned::new(self.capped(key, s.trim(), node.pos), node.pos))
            }
            NodeKind::Scalar(..) => None,
            _ => {
                self.report(
                    rules::ID_WRONG_SHAPE,
                    node.pos,
                    format!("`{key}` must be a single value, not {}", node.kind_name()),
                    format!("write `{key}: <value>` on one line"),
                );
                None
            }
        }
    }

    /// `text`, or its first `max_chars(key)` characters with an ID013 finding. The value is
    /// kept (cut) rather than dropped so the field does not also count as missing, and so later
    /// stages never carry the huge value around (the finding stops the build anyway).
    fn capped(&mut self, key: &str, text: &str, pos: Pos) -> String {
        let cap = fields::max_chars(key);
        // Bytes bound characters from above: most values are decided without counting.
        if text.len() <= cap || text.chars().count() <= cap {
            return text.to_string();
        }
        self.report(
            rules::ID_TOO_LONG,
            pos,
            format!("`{key}` is {} characters long; at most {cap} are allowed", text.chars().count()),
            format!("shorten `{key}` to at most {cap} characters; longer text belongs in the document body"),
        );
        text.chars().take(cap).collect()
    }

    /// `items`, or its first `max_items(key)` entries with an ID014 finding at `pos` (the key).
    fn capped_list<T>(&mut self, key: &str, mut items: Vec<T>, pos: Pos) -> Vec<T> {
        let cap = fields::max_items(key);
        if items.len() > cap {
            self.report(
                rules::ID_TOO_MANY,
                pos,
                format!("`{key}` has {} entries; at most {cap} are allowed", items.len()),
                format!("list at most {cap} entries in `{key}`; split the document if it really covers more"),
            );
            items.truncate(cap);
        }
        items
    }

    fn required_text(&mut self, map: &Node, key: &str) -> Option<Spanned<String>> {
        let found = match map.entry(key) {
            Some((k, v)) => self.scalar(key, v).map(|s| (k.pos, s)),
            None => None,
        };
        match found {
            Some((_, s)) if !s.value.is_empty() => Some(s),
            Some((pos, _)) => {
                self.missing(key, pos, true);
                None
            }
            // `Owner:` is one mistake, reported once: the unknown field, "did you mean `owner`".
            None if misspelt_as(map, key, FIELDS) => None,
            None => {
                let at = map.entry(key).map(|(k, _)| k.pos);
                if !matches!(map.get(key).map(|n| &n.kind), Some(NodeKind::Seq(_) | NodeKind::Map(_))) {
                    self.missing(key, at.unwrap_or(self.head), at.is_some());
                }
                None
            }
        }
    }

    fn missing(&mut self, key: &str, pos: Pos, present_but_empty: bool) {
        let message = if present_but_empty {
            format!("required field `{key}` is empty")
        } else {
            format!("required field `{key}` is missing")
        };
        let example = match key {
            "id" => "id: POL-001",
            "title" => "title: AI Policy",
            "type" => "type: policy",
            "owner" => "owner: Chief AI Officer",
            "version" => "version: \"1.0\"",
            "status" => "status: draft",
            _ => "",
        };
        self.report(rules::ID_MISSING, pos, message, format!("add `{example}` to the front matter"));
    }

    fn optional_text(&mut self, map: &Node, key: &str) -> Option<Spanned<String>> {
        let node = map.get(key)?;
        self.scalar(key, node).filter(|s| !s.value.is_empty())
    }

    fn doc_id(&mut self, s: Spanned<String>) -> Option<Spanned<DocId>> {
        match DocId::parse(&s.value) {
            Some(id) => Some(Spanned::new(id, s.pos)),
            None => {
                let suggestion = s.value.to_ascii_uppercase().replace([' ', '_'], "-");
                let hint = if DocId::parse(&suggestion).is_some() {
                    format!("write `{suggestion}`: capital letters and digits in dash-separated groups, like `POL-001`")
                } else {
                    "ids are capital letters and digits in dash-separated groups, like `POL-001` or `PRC-AI-07`".into()
                };
                self.report(rules::ID_BAD_ID, s.pos, format!("`{}` is not a valid document id", s.value), hint);
                None
            }
        }
    }

    fn one_of(
        &mut self,
        s: Spanned<String>,
        allowed: &[&str],
        rule: &'static Rule,
        what: &str,
    ) -> Option<Spanned<String>> {
        if allowed.contains(&s.value.as_str()) {
            return Some(s);
        }
        let hint = match closest(&s.value.to_ascii_lowercase(), allowed.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? allowed: {}", allowed.join(", ")),
            None => format!("allowed: {} (more can be configured in aimsdoc.toml)", allowed.join(", ")),
        };
        self.report(rule, s.pos, format!("`{}` is not a known {what}", s.value), hint);
        None
    }

    fn version(&mut self, s: Spanned<String>) -> Option<Spanned<Version>> {
        match Version::parse(&s.value) {
            Some(v) => Some(Spanned::new(v, s.pos)),
            None => {
                self.report(
                    rules::ID_BAD_VERSION,
                    s.pos,
                    format!("`{}` is not a version", s.value),
                    "versions are dotted numbers such as \"1.0\" or \"2.10\"; quote them".into(),
                );
                None
            }
        }
    }

    fn status(&mut self, s: Spanned<String>) -> Option<Spanned<Status>> {
        match Status::parse(&s.value) {
            Some(st) => Some(Spanned::new(st, s.pos)),
            None => {
                let names = Status::ALL.map(Status::as_str);
                let hint = match closest(&s.value.to_ascii_lowercase(), names.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`? allowed: {}", names.join(", ")),
                    None => format!("allowed: {}", names.join(", ")),
                };
                self.report(rules::ID_BAD_STATUS, s.pos, format!("`{}` is not a status", s.value), hint);
                None
            }
        }
    }

    fn date(&mut self, key: &str, node: &Node) -> Option<Spanned<Date>> {
        let s = self.scalar(key, node)?;
        match parse_date(&s.value) {
            Some(d) => Some(Spanned::new(d, s.pos)),
            None => {
                self.report(
                    rules::ID_BAD_DATE,
                    s.pos,
                    format!("`{key}` is `{}`, which is not a calendar date", s.value),
                    "write dates as YYYY-MM-DD, e.g. 2026-01-15".into(),
                );
                None
            }
        }
    }

    fn optional_date(&mut self, map: &Node, key: &str) -> Option<Spanned<Date>> {
        let node = map.get(key).filter(|n| !n.is_null())?;
        self.date(key, node)
    }

    /// A list of single values; a lone value counts as a list of one.
    fn list(&mut self, map: &Node, key: &str) -> Vec<Spanned<String>> {
        let Some((k, node)) = map.entry(key).filter(|(_, n)| !n.is_null()) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Seq(items) => {
                let items = self.capped_list(key, items.iter().collect(), k.pos);
                items.into_iter().filter_map(|i| self.scalar(key, i)).filter(|s| !s.value.is_empty()).collect()
            }
            NodeKind::Scalar(..) => self.scalar(key, node).into_iter().collect(),
            NodeKind::Map(_) => {
                self.report(
                    rules::ID_WRONG_SHAPE,
                    node.pos,
                    format!("`{key}` must be a list, not a mapping"),
                    format!("write `{key}: [a, b]` or one `- item` per line"),
                );
                Vec::new()
            }
        }
    }

    fn id_list(&mut self, map: &Node, key: &str) -> Vec<Spanned<DocId>> {
        let items = self.list(map, key);
        items.into_iter().filter_map(|s| self.doc_id(s)).collect()
    }

    fn mapping<'n>(&mut self, key: &str, node: &'n Node, known_fields: &[Field]) -> Option<&'n Node> {
        if node.as_map().is_none() {
            let known = fields::names(known_fields);
            self.report(
                rules::ID_WRONG_SHAPE,
                node.pos,
                format!("`{key}` must be a mapping of {}, not {}", known.join("/"), node.kind_name()),
                format!("write `{key}:` followed by indented `{}: ...` lines, or `{{ {}: ... }}`", known[0], known[0]),
            );
            return None;
        }
        self.unknown_keys(node, known_fields, || format!("`{key}`"));
        Some(node)
    }

    fn entries<'n>(&mut self, map: &'n Node, key: &str, known: &[Field]) -> Vec<&'n Node> {
        let Some((k, node)) = map.entry(key).filter(|(_, n)| !n.is_null()) else {
            return Vec::new();
        };
        let Some(items) = node.as_seq() else {
            self.report(
                rules::ID_WRONG_SHAPE,
                node.pos,
                format!("`{key}` must be a list of entries, not {}", node.kind_name()),
                format!("write one `- {{ {}: ... }}` per entry", fields::names(known).join(": ..., ")),
            );
            return Vec::new();
        };
        let items = self.capped_list(key, items.iter().collect(), k.pos);
        items.into_iter().filter_map(|item| self.mapping(key, item, known)).collect()
    }

    fn approval(&mut self, map: &Node) -> Option<Approval> {
        let (key, node) = map.entry("approval")?;
        if node.is_null() {
            return None;
        }
        let node = self.mapping("approval", node, APPROVAL_FIELDS)?;
        Some(Approval {
            pos: key.pos,
            by: self.optional_text(node, "by"),
            date: self.optional_date(node, "date"),
            date_written: written(node, "date"),
        })
    }

    fn obsolete(&mut self, map: &Node) -> Option<Obsolete> {
        let (key, node) = map.entry("obsolete")?;
        if node.is_null() {
            return None;
        }
        let node = self.mapping("obsolete", node, OBSOLETE_FIELDS)?;
        Some(Obsolete {
            pos: key.pos,
            date: self.optional_date(node, "date"),
            by: self.optional_text(node, "by"),
            reason: self.optional_text(node, "reason"),
        })
    }

    fn retention(&mut self, map: &Node) -> Option<Spanned<Retention>> {
        let s = self.optional_text(map, "retention")?;
        match Retention::parse(&s.value) {
            Some(r) => Some(Spanned::new(r, s.pos)),
            None => {
                self.report(
                    rules::RT_BAD,
                    s.pos,
                    format!("retention `{}` cannot be read", s.value),
                    "write a period (`6m`, `7y`), `until superseded + 3y` or `permanent`".into(),
                );
                None
            }
        }
    }

    /// Ids per framework; each list is positioned at its framework key.
    fn frameworks(&mut self, map: &Node) -> BTreeMap<String, Spanned<Vec<Spanned<String>>>> {
        let mut out = BTreeMap::new();
        let Some(node) = map.get("frameworks").filter(|n| !n.is_null()) else {
            return out;
        };
        let Some(entries) = node.as_map() else {
            self.report(
                rules::ID_WRONG_SHAPE,
                node.pos,
                format!("`frameworks` must be a mapping, not {}", node.kind_name()),
                "write `frameworks: { nist-ai-rmf: [\"GOVERN 1.1\"] }`".into(),
            );
            return out;
        };
        for (k, _) in entries {
            let Some(name) = k.as_str() else { continue };
            let ids = self.list(node, name);
            out.insert(name.to_string(), Spanned::new(ids, k.pos));
        }
        out
    }

    fn origin(&mut self, map: &Node) -> Spanned<Origin> {
        let Some(s) = self.optional_text(map, "origin") else {
            return Spanned::new(Origin::Internal, self.head);
        };
        match s.value.as_str() {
            "internal" => Spanned::new(Origin::Internal, s.pos),
            "external" => Spanned::new(Origin::External, s.pos),
            other => {
                self.report(
                    rules::ID_BAD_VALUE,
                    s.pos,
                    format!("origin `{other}` is not internal or external"),
                    "write `origin: internal` or `origin: external`".into(),
                );
                Spanned::new(Origin::Internal, s.pos)
            }
        }
    }

    fn history(&mut self, map: &Node) -> Vec<HistoryEntry> {
        let items = self.entries(map, "history", HISTORY_FIELDS);
        items
            .into_iter()
            .map(|item| HistoryEntry {
                pos: item.pos,
                version: self.optional_text(item, "version").and_then(|v| self.version(v)),
                date: self.optional_date(item, "date"),
                by: self.optional_text(item, "by").map(|s| s.value).unwrap_or_default(),
                by_pos: item.get("by").map_or(item.pos, |n| n.pos),
                summary: self.optional_text(item, "summary").map(|s| s.value).unwrap_or_default(),
                summary_pos: item.get("summary").map_or(item.pos, |n| n.pos),
                missing: ["version", "date", "by", "summary"]
                    .into_iter()
                    .filter(|k| {
                        item.get(k).is_none_or(|n| n.is_null() || n.as_str().is_some_and(|s| s.trim().is_empty()))
                    })
                    // A misspelt key (`summry`) is reported once, as the unknown field.
                    .filter(|k| !misspelt_as(item, k, HISTORY_FIELDS))
                    .collect(),
            })
            .collect()
    }

    fn reviews(&mut self, map: &Node) -> Vec<ReviewEntry> {
        let items = self.entries(map, "reviews", REVIEW_FIELDS);
        items
            .into_iter()
            .map(|item| {
                let outcome = self.optional_text(item, "outcome").and_then(|s| match s.value.as_str() {
                    "no-change" => Some(Outcome::NoChange),
                    "revised" => Some(Outcome::Revised),
                    other => {
                        self.report(
                            rules::ID_BAD_VALUE,
                            s.pos,
                            format!("review outcome `{other}` is not allowed"),
                            "write `outcome: no-change` or `outcome: revised`".into(),
                        );
                        None
                    }
                });
                ReviewEntry {
                    pos: item.pos,
                    date: self.optional_date(item, "date"),
                    by: self.optional_text(item, "by").map(|s| s.value).unwrap_or_default(),
                    by_pos: item.get("by").map_or(item.pos, |n| n.pos),
                    outcome,
                }
            })
            .collect()
    }

    fn applicability(&mut self, map: &Node) -> Vec<SoaEntry> {
        let items = self.entries(map, "applicability", SOA_FIELDS);
        items
            .into_iter()
            .map(|item| SoaEntry {
                pos: item.pos,
                control: self.optional_text(item, "control"),
                applicable: self.boolean(item, "applicable"),
                status: self.implementation(item),
                written: (
                    item.get("applicable").is_some_and(|n| !n.is_null()),
                    item.get("status").and_then(Node::as_str).is_some_and(|s| !s.is_empty()),
                ),
                justification: self.optional_text(item, "justification").map(|s| s.value).unwrap_or_default(),
                justification_at: item.get("justification").map_or(item.pos, |n| n.pos),
                source: self.optional_text(item, "source"),
            })
            .collect()
    }

    fn boolean(&mut self, map: &Node, key: &str) -> Option<bool> {
        let node = map.get(key)?;
        match &node.kind {
            NodeKind::Scalar(s, Style::Plain) if s == "true" => Some(true),
            NodeKind::Scalar(s, Style::Plain) if s == "false" => Some(false),
            _ => {
                let shown = match &node.kind {
                    NodeKind::Scalar(s, Style::Quoted) => format!("\"{s}\" (quoted text)"),
                    _ => node.as_str().unwrap_or("?").to_string(),
                };
                self.report(
                    rules::ID_BAD_VALUE,
                    node.pos,
                    format!("`{key}` is `{shown}`; it must be true or false"),
                    "write `true` or `false` (YAML 1.1 words such as yes/no/on/off are ambiguous and not accepted)"
                        .into(),
                );
                None
            }
        }
    }

    fn implementation(&mut self, map: &Node) -> Option<Implementation> {
        let s = self.optional_text(map, "status")?;
        match Implementation::parse(&s.value) {
            Some(status) => Some(status),
            None => {
                let other = &s.value;
                self.report(
                    rules::ID_BAD_VALUE,
                    s.pos,
                    format!("implementation status `{other}` is not allowed"),
                    "write implemented, partial or planned".into(),
                );
                None
            }
        }
    }
}
