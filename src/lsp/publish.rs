//! Findings as the protocol's diagnostics, and which files to publish after a check: every file
//! whose findings changed (an edit to one document can break links in others), with an empty
//! list for the files that became clean.

use std::collections::BTreeMap;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, PublishDiagnosticsParams, Range,
};

use super::actions;
use super::text;
use super::workspace::Workspace;
use crate::diagnostics::{Diagnostic, Severity};
use crate::yaml::Pos;

/// What the client was last sent, per content-relative file.
#[derive(Debug, Default)]
pub(crate) struct Published {
    by_file: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
}

impl Published {
    /// The notifications that bring the client up to date with `ws`'s findings: one per file
    /// whose list changed, cleared files included.
    pub(crate) fn update(&mut self, ws: &Workspace) -> Vec<PublishDiagnosticsParams> {
        let mut now: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for d in &ws.checked().diagnostics {
            now.entry(d.file.clone()).or_default().push(convert(d, ws));
        }
        let mut out = Vec::new();
        for (file, old) in &self.by_file {
            if !now.contains_key(file) && !old.is_empty() {
                out.extend(params(ws, file, Vec::new()));
            }
        }
        for (file, list) in &now {
            if self.by_file.get(file) != Some(list) {
                out.extend(params(ws, file, list.clone()));
            }
        }
        self.by_file = now;
        out
    }
}

fn params(ws: &Workspace, file: &str, diagnostics: Vec<lsp_types::Diagnostic>) -> Option<PublishDiagnosticsParams> {
    let uri = text::path_to_uri(&ws.root().join(file))?;
    Some(PublishDiagnosticsParams { uri, diagnostics, version: None })
}

/// One finding as a protocol diagnostic: code, severity, the range of the offending token, the
/// message with its clause and hint, the notes as related information, and the mechanical fix
/// (if the hint is one) in `data` for code actions.
pub(crate) fn convert(d: &Diagnostic, ws: &Workspace) -> lsp_types::Diagnostic {
    let source = ws.text(&d.file);
    let source = source.as_deref();
    let (range, token) = token_range(source, d);
    let mut message = format!("{} (ISO/IEC 42001 {})", d.message, d.clause);
    if !d.hint.is_empty() {
        message.push_str("\nhint: ");
        message.push_str(&d.hint);
    }
    let related = d
        .notes
        .iter()
        .filter_map(|n| {
            let uri = text::path_to_uri(&ws.root().join(&n.file))?;
            let at = text::to_lsp(ws.text(&n.file).as_deref(), Pos { line: n.line, column: n.column });
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range: Range { start: at, end: at } },
                message: n.message.clone(),
            })
        })
        .collect::<Vec<_>>();
    lsp_types::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some("aimsdoc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: actions::fix_data(d, token.as_deref(), ws),
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Notice => DiagnosticSeverity::INFORMATION,
    }
}

/// The range a finding underlines, and the token it covers when that is the value the message
/// quotes: the first `quoted` value of the message found on the finding's line at or after its
/// column, else the word at the column, else one character.
fn token_range(source: Option<&str>, d: &Diagnostic) -> (Range, Option<String>) {
    let start = text::to_lsp(source, Pos { line: d.line, column: d.column });
    let one = |n: u32| Range { start, end: lsp_types::Position { line: start.line, character: start.character + n } };
    let Some(line) = source.and_then(|s| text::line(s, d.line.saturating_sub(1))) else { return (one(1), None) };
    let from = line.char_indices().nth(d.column.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    let rest = &line[from..];
    let units = |s: &str| s.chars().map(char::len_utf16).sum::<usize>() as u32;
    let quoted = backticked(&d.message).filter_map(|q| rest.find(q).map(|at| (at, q))).min_by_key(|(at, _)| *at);
    if let Some((at, q)) = quoted {
        let s = lsp_types::Position { line: start.line, character: start.character + units(&rest[..at]) };
        let e = lsp_types::Position { line: s.line, character: s.character + units(q) };
        return (Range { start: s, end: e }, Some(q.to_string()));
    }
    let word = rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | ':')).unwrap_or(rest.len());
    (one(units(&rest[..word]).max(1)), None)
}

/// The values a message quotes in backticks, in order.
pub(crate) fn backticked(message: &str) -> impl Iterator<Item = &str> {
    message.split('`').skip(1).step_by(2).filter(|q| !q.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::rules;

    fn diag(line: usize, column: usize, message: &str) -> Diagnostic {
        Diagnostic::new(rules::ID_BAD_STATUS, "a.md", Pos { line, column }, message)
    }

    #[track_caller]
    fn case(source: &str, d: Diagnostic, expected: (u32, u32, u32), token: Option<&str>) {
        let (r, t) = token_range(Some(source), &d);
        assert_eq!((r.start.line, r.start.character, r.end.character), expected);
        assert_eq!(t.as_deref(), token);
    }

    #[test]
    fn ranges_cover_the_quoted_value_or_the_word() {
        let text = "---\nstatus: aproved\nrelated: [POL-01]\ntitle: é x\n---\nSee [x](doc:POL-01).\n";
        case(text, diag(2, 9, "`aproved` is not a status"), (1, 8, 15), Some("aproved"));
        // The field name the message also quotes lies before the column: the value is the token.
        case(text, diag(3, 11, "`related` names `POL-01`, which is not"), (2, 10, 16), Some("POL-01"));
        case(text, diag(6, 5, "broken link `doc:POL-01`: no such id"), (5, 8, 18), Some("doc:POL-01"));
        case(text, diag(4, 8, "unquoted thing"), (3, 7, 8), None);
        case(text, diag(1, 1, "the document has no history"), (0, 0, 3), None);
    }

    #[test]
    fn findings_on_files_without_text_start_at_their_column() {
        let (r, t) = token_range(None, &diag(3, 2, "x"));
        assert_eq!((r.start.line, r.start.character, r.end.character), (2, 1, 2));
        assert_eq!(t, None);
    }
}
