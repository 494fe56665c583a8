//! Code actions for the hints that are mechanical: a "did you mean" replacement, a missing
//! `next_review` filled in within the configured interval, a history entry for a bumped version.
//! The fix is decided when the finding is published (in the diagnostic's `data`, from the check's
//! own evidence) and applied to the editor's current text when asked, only if that text still
//! holds what the finding was about.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, WorkspaceEdit,
};
use serde_json::{json, Value};

use super::publish::backticked;
use super::text;
use super::workspace::Workspace;
use crate::content::frontmatter;
use crate::content::types::{parse_date, Date};
use crate::diagnostics::{rules, Diagnostic};
use crate::integrity::edit;
use crate::yaml::{self, Limits, Node};

/// The mechanical fix of finding `d` (whose underlined token is `token`), for `data`.
pub(crate) fn fix_data(d: &Diagnostic, token: Option<&str>, ws: &Workspace) -> Option<Value> {
    if let (Some(was), Some(suggested)) = (token, suggestion(&d.hint)) {
        return Some(json!({ "fix": "replace", "was": was, "with": replacement(was, suggested) }));
    }
    if d.code != rules::RV_MISSING.code && d.code != rules::VC_VERSION_MISMATCH.code {
        return None;
    }
    let checked = ws.checked();
    let doc = &checked.tree.documents[*checked.graph.by_path.get(&d.file)?];
    if d.code == rules::RV_MISSING.code {
        let base = doc.last_confirming_review().or_else(|| doc.approval_date()).unwrap_or(ws.today());
        let date = checked.config.max_review_interval().after(base);
        return Some(json!({ "fix": "next_review", "date": date.to_string() }));
    }
    if d.code == rules::VC_VERSION_MISMATCH.code {
        let version = doc.version.as_ref()?.value.as_str().to_string();
        return Some(json!({ "fix": "history", "version": version, "date": ws.today().to_string() }));
    }
    None
}

/// The value a "did you mean `X`?" hint suggests.
fn suggestion(hint: &str) -> Option<&str> {
    let rest = hint.split_once("did you mean ")?.1;
    backticked(rest).next().filter(|_| rest.starts_with('`'))
}

/// What replaces token `was`: the suggestion, keeping the `doc:`/`clause:`/`control:` scheme and
/// the `#fragment` of a link.
fn replacement(was: &str, suggested: &str) -> String {
    for scheme in ["doc:", "clause:", "control:"] {
        if let Some(rest) = was.strip_prefix(scheme) {
            let fragment = rest.find('#').map_or("", |i| &rest[i..]);
            return format!("{scheme}{suggested}{fragment}");
        }
    }
    suggested.to_string()
}

/// The quick fixes for the findings the client sends along with a code action request.
pub(crate) fn code_actions(params: &CodeActionParams, ws: &Workspace) -> Vec<CodeActionOrCommand> {
    let Some(rel) = text::uri_to_path(&params.text_document.uri).and_then(|p| ws.rel(&p)) else { return Vec::new() };
    let Some(current) = ws.text(&rel) else { return Vec::new() };
    let mut out = Vec::new();
    for d in params.context.diagnostics.iter().filter(|d| d.source.as_deref() == Some("aimsdoc")) {
        let Some(data) = &d.data else { continue };
        let Some((title, edit)) = fix(data, d, &current, ws) else { continue };
        let text_document =
            OptionalVersionedTextDocumentIdentifier { uri: params.text_document.uri.clone(), version: None };
        let changes = DocumentChanges::Edits(vec![TextDocumentEdit { text_document, edits: vec![OneOf::Left(edit)] }]);
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(WorkspaceEdit { document_changes: Some(changes), ..WorkspaceEdit::default() }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    out
}

/// The title and edit of the fix `data` describes, against the `current` text.
fn fix(data: &Value, d: &lsp_types::Diagnostic, current: &str, ws: &Workspace) -> Option<(String, TextEdit)> {
    let field = |k: &str| data.get(k).and_then(Value::as_str);
    match field("fix")? {
        "replace" => {
            let (was, with) = (field("was")?, field("with")?);
            let (start, end) = (text::offset(current, d.range.start), text::offset(current, d.range.end));
            (current.get(start..end) == Some(was)).then(|| {
                (format!("Replace `{was}` with `{with}`"), TextEdit { range: d.range, new_text: with.to_string() })
            })
        }
        "next_review" => {
            let date = parse_date(field("date")?)?;
            let new = edit::set_date(current, "next_review", date, "approval").ok()?;
            let interval = ws.checked().config.max_review_interval();
            Some((
                format!("Add `next_review: {date}` ({interval} after the approval or last review)"),
                diff(current, &new)?,
            ))
        }
        "history" => {
            let (version, date) = (field("version")?, parse_date(field("date")?)?);
            let new = insert_history(current, version, date)?;
            Some((format!("Add a history entry for version {version}"), diff(current, &new)?))
        }
        _ => None,
    }
}

/// One edit turning `old` into `new`: the span between their common prefix and suffix.
fn diff(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let range = text::range(old, prefix, old.len() - suffix);
    Some(TextEdit { range, new_text: new[prefix..new.len() - suffix].to_string() })
}

/// `text` with a history entry for `version` on `date` at the top of its `history` list (block
/// or flow style); author and summary are placeholders the placeholder rule reports until filled.
fn insert_history(text: &str, version: &str, date: Date) -> Option<String> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(body).ok()?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default()).ok()??;
    let (key, value) = root.entry("history")?;
    let first: &Node = value.as_seq()?.first()?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let version = serde_json::to_string(version).ok()?;
    if first.pos.line == key.pos.line {
        // `history: [ {...}, ... ]`: a flow entry right after the bracket.
        let line = lines.get(key.pos.line - 1)?;
        let bracket = line.find('[')?;
        let at = line_start(&lines, key.pos.line - 1) + bracket + 1;
        let entry =
            format!(" {{ version: {version}, date: {date}, by: TODO (author), summary: TODO (what changed) }},");
        return Some(format!("{}{entry}{}", &text[..at], &text[at..]));
    }
    let line = lines.get(first.pos.line - 1)?;
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    if !line[indent.len()..].starts_with('-') {
        return None;
    }
    let at = line_start(&lines, first.pos.line - 1);
    let entry = format!(
        "{indent}- version: {version}{nl}{indent}  date: {date}{nl}{indent}  by: TODO (author){nl}{indent}  summary: TODO (what changed){nl}"
    );
    Some(format!("{}{entry}{}", &text[..at], &text[at..]))
}

/// The byte offset where line `i` (0-based) of `lines` starts.
fn line_start(lines: &[&str], i: usize) -> usize {
    lines[..i].iter().map(|l| l.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_come_from_did_you_mean_hints_only() {
        assert_eq!(suggestion("did you mean `approved`? allowed: draft, approved"), Some("approved"));
        assert_eq!(suggestion("allowed: `draft`"), None);
        assert_eq!(replacement("doc:POL-01#scope", "POL-001"), "doc:POL-001#scope");
        assert_eq!(replacement("clause:7.55", "7.5"), "clause:7.5");
        assert_eq!(replacement("aproved", "approved"), "approved");
    }

    #[test]
    fn diff_is_the_changed_span() {
        let e = diff("a\nb\nc\n", "a\nb\nx: 1\nc\n").expect("edit");
        assert_eq!(
            (e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
            (2, 0, 2, 0)
        );
        assert_eq!(e.new_text, "x: 1\n");
        assert!(diff("same", "same").is_none());
        let e = diff("é1", "é2").expect("edit");
        assert_eq!((e.range.start.character, e.new_text.as_str()), (1, "2"));
    }

    #[test]
    fn history_entries_go_on_top_in_either_style() {
        let date = parse_date("2026-06-01").expect("date");
        let block = "---\nid: A-1\nversion: \"2.0\"\nhistory:\n  - version: \"1.0\"\n    date: 2026-01-01\n---\n";
        let out = insert_history(block, "2.0", date).expect("inserted");
        assert!(out.contains("history:\n  - version: \"2.0\"\n    date: 2026-06-01\n    by: TODO (author)\n    summary: TODO (what changed)\n  - version: \"1.0\""), "{out}");
        let flow = "---\nid: A-1\nhistory: [{ version: \"1.0\" }]\n---\n";
        let out = insert_history(flow, "1.1", date).expect("inserted");
        assert!(out.contains("history: [ { version: \"1.1\", date: 2026-06-01, by: TODO (author), summary: TODO (what changed) },{ version"), "{out}");
        assert!(insert_history("---\nid: A-1\n---\n", "1.0", date).is_none(), "no history list: nothing mechanical");
    }
}
