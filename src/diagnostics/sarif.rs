//! `--format sarif`: findings as a SARIF 2.1.0 log for code-scanning dashboards. Every rule of
//! the rule table is listed under `tool.driver.rules` (code, name, help text, the ISO/IEC 42001
//! clause); every finding is a result pointing at its file, line and column, its notes
//! ("first used here") as `relatedLocations`.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::format::Context;
use super::rules::{self, Rule};
use super::{Diagnostic, Severity};

/// The SARIF version written.
pub(crate) const VERSION: &str = "2.1.0";
/// Where the SARIF 2.1.0 schema is published.
pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes `diags` as one SARIF log.
pub(crate) fn print(out: &mut dyn Write, diags: &[Diagnostic], cx: &Context) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(diags, cx.display_root))?;
    writeln!(out)
}

/// The SARIF log of `diags`; file paths are prefixed with `display_root` (the content root as
/// typed on the command line), so they are relative to where the command ran.
pub(crate) fn log(diags: &[Diagnostic], display_root: &str) -> Value {
    let rules: Vec<Value> = rules::ALL.iter().map(|r| rule(r)).collect();
    let results: Vec<Value> = diags.iter().map(|d| result(d, display_root)).collect();
    json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": { "driver": {
                "name": "aimsdoc",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn rule(r: &Rule) -> Value {
    json!({
        "id": r.code,
        "name": pascal_case(r.name),
        "shortDescription": { "text": sentence(r.name) },
        "fullDescription": { "text": r.help },
        "help": { "text": format!("{} (ISO/IEC 42001 clause {})", r.help, r.clause) },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": { "clause": r.clause, "tags": ["ISO/IEC 42001", format!("clause {}", r.clause)] },
    })
}

fn result(d: &Diagnostic, display_root: &str) -> Value {
    let mut text = d.message.clone();
    if !d.hint.is_empty() {
        text.push_str("\nhelp: ");
        text.push_str(&d.hint);
    }
    let mut out = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical(display_root, &d.file, d.line, d.column) }],
        "properties": { "clause": d.clause },
    });
    if !d.notes.is_empty() {
        let related: Vec<Value> = d
            .notes
            .iter()
            .enumerate()
            .map(|(id, n)| {
                json!({
                    "id": id,
                    "physicalLocation": physical(display_root, &n.file, n.line, n.column),
                    "message": { "text": n.message },
                })
            })
            .collect();
        out["relatedLocations"] = Value::Array(related);
    }
    if let Some(index) = rules::ALL.iter().position(|r| r.code == d.code) {
        out["ruleIndex"] = index.into();
    }
    out
}

/// A SARIF `physicalLocation`: the file (relative to `%SRCROOT%` unless the root is absolute)
/// and the start of the region.
fn physical(display_root: &str, file: &str, line: usize, column: usize) -> Value {
    let mut location = json!({ "uri": uri(display_root, file) });
    if !display_root.starts_with('/') {
        location["uriBaseId"] = "%SRCROOT%".into();
    }
    json!({ "artifactLocation": location, "region": { "startLine": line, "startColumn": column } })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "note",
    }
}

/// A URI reference for a path: relative when the root is, `file://` when it is absolute;
/// characters outside the URI's unreserved set are percent-encoded.
fn uri(display_root: &str, file: &str) -> String {
    let path = format!("{display_root}{file}");
    let scheme = if path.starts_with('/') { "file://" } else { "" };
    format!("{scheme}{}", crate::urls::encode_path(&path))
}

/// `required field missing` -> `RequiredFieldMissing`.
fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

/// `file is not UTF-8` -> `File is not UTF-8.`
fn sentence(name: &str) -> String {
    let mut chars = name.chars();
    let mut s: String = chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars).collect();
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Pos;

    #[test]
    fn results_point_at_files_relative_to_where_the_command_ran() {
        let d = Diagnostic::new(rules::ID_MISSING, "documents/a b.md", Pos { line: 3, column: 2 }, "missing `owner`")
            .hint("add it");
        let log = log(&[d], "docs/");
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "ID001");
        assert_eq!(result["message"]["text"], "missing `owner`\nhelp: add it");
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "docs/documents/a%20b.md");
        assert_eq!(loc["region"]["startLine"], 3);
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().expect("index") as usize];
        assert_eq!(rule["id"], "ID001");
        assert_eq!(rule["name"], "RequiredFieldMissing");
        assert_eq!(rule["properties"]["clause"], "7.5.2");
    }

    #[test]
    fn notes_are_related_locations() {
        let d = Diagnostic::new(rules::ID_DUPLICATE, "documents/b.md", Pos { line: 2, column: 5 }, "dup").note(
            "documents/a.md",
            Pos { line: 12, column: 3 },
            "first used here",
        );
        let log = log(&[d], "docs/");
        let related = &log["runs"][0]["results"][0]["relatedLocations"][0];
        assert_eq!(related["message"]["text"], "first used here");
        let loc = &related["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "docs/documents/a.md");
        assert_eq!(loc["region"]["startLine"], 12);
        assert_eq!(loc["region"]["startColumn"], 3);
        let plain = Diagnostic::new(rules::ID_DUPLICATE, "documents/b.md", Pos { line: 2, column: 5 }, "dup");
        assert!(super::log(&[plain], "")["runs"][0]["results"][0].get("relatedLocations").is_none());
    }

    #[test]
    fn absolute_roots_become_file_uris() {
        assert_eq!(uri("/tmp/x/", "documents/a.md"), "file:///tmp/x/documents/a.md");
        assert_eq!(pascal_case("file is not UTF-8"), "FileIsNotUTF8");
    }
}
