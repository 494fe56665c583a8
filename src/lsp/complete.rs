//! Completion: front matter keys (with the schema's description), the values each key takes
//! (the field table's words, the configured types and levels, catalog clauses and controls with
//! their titles, NIST AI RMF ids, document ids with their titles, evidence files, checklist
//! items), and link targets after `doc:`, `clause:` and `control:` in the body.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent, MarkupKind, Range, TextEdit,
};

use super::context::{self, Spot};
use super::text;
use super::workspace::Workspace;
use crate::catalog::{self, Kind};
use crate::content::evidence::name_not_utf8;
use crate::content::fields::{Field, Required, Shape, Values, FIELDS};
use crate::content::types::Status;

/// The completions at byte `offset` of `source` (the editor's text of a document).
pub(crate) fn complete(source: &str, offset: usize, ws: &Workspace) -> Vec<CompletionItem> {
    let (spot, start) = context::spot(source, offset);
    let range = text::range(source, start, context::token_at(source, offset).1.max(offset));
    let candidates = match &spot {
        Spot::Key { path } => keys(path, source),
        Spot::Value { path, key } => values(path, key, ws),
        Spot::Item { path } => match path.split_last() {
            Some((key, parents)) => match field(parents, key).map(|f| f.shape) {
                Some(Shape::Entries(fields)) => fields.iter().map(key_candidate).collect(),
                _ => values(parents, key, ws),
            },
            None => Vec::new(),
        },
        Spot::Link { scheme } => link_targets(scheme, ws),
        Spot::Other => Vec::new(),
    };
    candidates.into_iter().map(|c| c.item(range)).collect()
}

/// One completion before it is placed: what to insert, its label and what to show beside it.
struct Candidate {
    label: String,
    insert: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    docs: Option<String>,
}

impl Candidate {
    fn value(label: &str, detail: Option<String>, docs: Option<String>) -> Candidate {
        Candidate { label: label.to_string(), insert: label.to_string(), kind: CompletionItemKind::VALUE, detail, docs }
    }

    fn item(self, range: Range) -> CompletionItem {
        CompletionItem {
            label: self.label.clone(),
            kind: Some(self.kind),
            detail: self.detail,
            documentation: self
                .docs
                .map(|value| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })),
            filter_text: Some(self.label),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: self.insert })),
            ..CompletionItem::default()
        }
    }
}

/// The field table of the mapping under `path` (empty: the top level).
fn table(path: &[String]) -> Option<&'static [Field]> {
    match path.split_last() {
        None => Some(FIELDS),
        Some((key, parents)) => match field(parents, key)?.shape {
            Shape::Map(fields) | Shape::Entries(fields) => Some(fields),
            _ => None,
        },
    }
}

/// Field `key` of the mapping under `path`.
fn field(path: &[String], key: &str) -> Option<&'static Field> {
    table(path)?.iter().find(|f| f.name == key)
}

fn key_candidate(f: &Field) -> Candidate {
    let required = match f.required {
        Required::Always => "required",
        Required::No => "optional",
        _ => "required in some cases",
    };
    Candidate {
        label: f.name.to_string(),
        insert: format!("{}: ", f.name),
        kind: CompletionItemKind::FIELD,
        detail: Some(required.to_string()),
        docs: Some(f.description.to_string()),
    }
}

/// The keys of the mapping under `path`; at the top level, those not written yet.
fn keys(path: &[String], source: &str) -> Vec<Candidate> {
    if path.len() == 1 && path[0] == "frameworks" {
        let docs = "NIST AI RMF 1.0 functions, categories and subcategories this document addresses.";
        return vec![Candidate {
            label: catalog::NIST_AI_RMF.to_string(),
            insert: format!("{}: ", catalog::NIST_AI_RMF),
            kind: CompletionItemKind::FIELD,
            detail: None,
            docs: Some(docs.to_string()),
        }];
    }
    let written: Vec<&str> = if path.is_empty() {
        let front = source.lines().skip(1).take_while(|l| !matches!(l.trim_end(), "---" | "..."));
        front.filter_map(|l| l.split_once(':').map(|(k, _)| k)).filter(|k| !k.starts_with([' ', '-'])).collect()
    } else {
        Vec::new()
    };
    table(path).unwrap_or_default().iter().filter(|f| !written.contains(&f.name)).map(key_candidate).collect()
}

/// The values of `key` in the mapping under `path`.
fn values(path: &[String], key: &str, ws: &Workspace) -> Vec<Candidate> {
    if path.len() == 1 && path[0] == "frameworks" {
        return nist();
    }
    let Some(f) = field(path, key) else { return Vec::new() };
    let config = &ws.checked().config;
    let words = |list: Vec<String>| list.iter().map(|w| Candidate::value(w, None, None)).collect();
    match (f.values, f.shape) {
        (Values::Fixed(list), _) => words(list.iter().map(|s| s.to_string()).collect()),
        (Values::DocumentTypes, _) => words(config.document_types().map(str::to_string).collect()),
        (Values::ClassificationLevels, _) => words(config.classification.levels.clone()),
        (Values::Statuses, _) => words(Status::ALL.iter().map(|s| s.as_str().to_string()).collect()),
        (Values::Clauses, _) => catalog_entries(Kind::Clause),
        (Values::Controls, _) => catalog_entries(Kind::AnnexControl),
        (_, Shape::Id | Shape::IdList) if key != "id" => documents(ws),
        (_, Shape::Bool) => words(vec!["true".into(), "false".into()]),
        (_, Shape::Date) => words(vec![ws.today().to_string()]),
        _ if key == "attachments" => evidence(ws),
        _ if key == "satisfies" => checklist_items(),
        _ => Vec::new(),
    }
}

fn link_targets(scheme: &str, ws: &Workspace) -> Vec<Candidate> {
    match scheme {
        "doc:" => documents(ws),
        "clause:" => catalog_entries(Kind::Clause),
        _ => catalog_entries(Kind::AnnexControl),
    }
}

fn catalog_entries(kind: Kind) -> Vec<Candidate> {
    let kind_name = if kind == Kind::Clause { "clause" } else { "Annex A control" };
    catalog::iso42001()
        .of_kind(kind)
        .map(|e| {
            let mut c = Candidate::value(&e.id, Some(e.title.clone()), Some(e.summary.clone()));
            c.detail = Some(format!("{} ({kind_name})", e.title));
            c.kind = CompletionItemKind::REFERENCE;
            c
        })
        .collect()
}

fn nist() -> Vec<Candidate> {
    catalog::nist_ai_rmf()
        .nodes
        .iter()
        .map(|n| Candidate::value(&n.id, Some(n.short_title.clone()), Some(n.statement.clone())))
        .collect()
}

fn documents(ws: &Workspace) -> Vec<Candidate> {
    let checked = ws.checked();
    checked
        .tree
        .documents
        .iter()
        .map(|d| {
            let docs = format!("{} · {} · owner {}", d.doc_type.value, d.status().as_str(), d.owner.value);
            let mut c = Candidate::value(d.id.value.as_str(), Some(d.title.value.clone()), Some(docs));
            c.kind = CompletionItemKind::REFERENCE;
            c
        })
        .collect()
}

/// The evidence files, relative to the evidence folder as `attachments` lists them; not the
/// files no attachment can name (a name that is not UTF-8, shown with U+FFFD, or one with a
/// control character or backslash: FS007 and refused attachments).
fn evidence(ws: &Workspace) -> Vec<Candidate> {
    let checked = ws.checked();
    let folder = format!("{}/", checked.config.paths.evidence.trim_end_matches('/'));
    checked
        .graph
        .evidence_files
        .iter()
        .filter(|(rel, found)| !name_not_utf8(rel, found) && crate::graph::unsafe_name(rel).is_none())
        .filter_map(|(rel, _)| rel.strip_prefix(&folder))
        .map(|rel| {
            let mut c = Candidate::value(rel, None, None);
            c.kind = CompletionItemKind::FILE;
            c
        })
        .collect()
}

fn checklist_items() -> Vec<Candidate> {
    catalog::iso42001().items().map(|(_, item)| Candidate::value(&item.key, None, Some(item.text.clone()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn nested_keys_resolve_to_their_tables() {
        assert_eq!(field(&[], "status").map(|f| f.values), Some(Values::Statuses));
        assert_eq!(
            field(&path(&["reviews"]), "outcome").map(|f| f.values),
            Some(Values::Fixed(&["no-change", "revised"]))
        );
        assert_eq!(field(&path(&["applicability"]), "control").map(|f| f.values), Some(Values::Controls));
        assert_eq!(field(&path(&["approval"]), "date").map(|f| f.shape), Some(Shape::Date));
        assert!(field(&path(&["title"]), "x").is_none(), "a text field has no keys");
        let names: Vec<String> = keys(&path(&["history"]), "").into_iter().map(|c| c.label).collect();
        assert_eq!(names, ["version", "date", "by", "summary"]);
    }

    #[test]
    fn evidence_names_no_attachment_can_write_are_not_offered() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("evidence")).expect("mkdir");
        std::fs::write(root.join("evidence/good.csv"), "a\n").expect("write");
        std::fs::write(root.join("evidence").join(std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9.csv")), "a\n")
            .expect("write");
        std::fs::write(root.join("evidence/tab\there.csv"), "a\n").expect("write");
        let today = crate::content::types::parse_date("2026-06-01").expect("date");
        let ws = Workspace::open(root, today, false).expect("open");
        assert_eq!(ws.checked().graph.evidence_files.len(), 3, "all three are in the evidence folder");
        let offered: Vec<String> = evidence(&ws).into_iter().map(|c| c.label).collect();
        assert_eq!(offered, ["good.csv"]);
    }

    #[test]
    fn top_level_keys_leave_out_those_written() {
        let written = "---\nid: A-1\ntitle: T\nhistory:\n  - version: \"1\"\n---\nowner: in the body\n";
        let names: Vec<String> = keys(&[], written).into_iter().map(|c| c.label).collect();
        assert!(!names.iter().any(|n| n == "id" || n == "title" || n == "history"));
        assert!(names.iter().any(|n| n == "version"), "a key written only inside an entry is still offered");
        assert!(names.iter().any(|n| n == "owner"), "the body is not front matter");
    }
}
