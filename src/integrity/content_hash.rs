//! The content hash an approval is bound to. It covers what was approved and nothing that
//! legitimately changes afterwards, and ignores formatting that does not change meaning:
//!
//! ```text
//! SHA-256( "aimsdoc-content-v1\n" + FM + "\n" + BODY )
//! ```
//!
//! - FM is the front matter minus the lifecycle fields [`EXCLUDED`], as compact JSON with the
//!   keys of every mapping sorted (so key order, quoting, flow or block style and comments do
//!   not matter). Unquoted `null`/`~`/empty become `null`, unquoted `true`/`false` booleans,
//!   every other scalar the string as written (`1.10` stays `1.10`).
//! - BODY is the Markdown body with CRLF and CR turned into LF, trailing spaces and tabs removed
//!   from every line, and leading and trailing blank lines removed (then one final LF).
//! - The same line normalisation applies to every string in FM (block scalars).

use serde_json::{Map, Value};

use crate::content::frontmatter;
use crate::util::sha256_hex;
use crate::yaml::{self, Limits, Node, NodeKind, Style};

/// Front matter fields the hash leaves out: the approval itself, the review record, the next
/// review date (a no-change review moves it on), and the lifecycle state a later decision
/// changes without touching the approved content (`status` when superseded or withdrawn,
/// `superseded_by`, and the `obsolete` record of that decision).
pub const EXCLUDED: &[&str] = &["approval", "reviews", "next_review", "status", "superseded_by", "obsolete"];

const DOMAIN: &str = "aimsdoc-content-v1\n";

/// The content hash of a whole document file, or why it cannot be computed.
pub fn of_text(text: &str) -> Result<String, String> {
    Ok(sha256_hex(canonical(text)?.as_bytes()))
}

/// The exact text the content hash is taken over (exposed for tests and for explaining a
/// mismatch).
pub fn canonical(text: &str) -> Result<String, String> {
    let split = frontmatter::split(text).map_err(|e| e.message)?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default())
        .map_err(|e| e.message)?
        .ok_or_else(|| "the front matter is empty".to_string())?;
    let entries = root.as_map().ok_or_else(|| "the front matter is not a mapping".to_string())?;
    let mut fm = Map::new();
    let mut kept: Vec<(String, Value)> = entries
        .iter()
        .map(|(k, v)| (key_text(k), v))
        .filter(|(k, _)| !EXCLUDED.contains(&k.as_str()))
        .map(|(k, v)| (k, to_value(v)))
        .collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    fm.extend(kept);
    let fm = serde_json::to_string(&Value::Object(fm)).map_err(|e| e.to_string())?;
    Ok(format!("{DOMAIN}{fm}\n{}", normalise_body(split.body)))
}

fn key_text(k: &Node) -> String {
    match &k.kind {
        NodeKind::Scalar(s, _) => s.clone(),
        _ => to_value(k).to_string(),
    }
}

fn to_value(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Scalar(_, Style::Plain) if node.is_null() => Value::Null,
        NodeKind::Scalar(s, Style::Plain) if matches!(s.as_str(), "true" | "True" | "TRUE") => Value::Bool(true),
        NodeKind::Scalar(s, Style::Plain) if matches!(s.as_str(), "false" | "False" | "FALSE") => Value::Bool(false),
        NodeKind::Scalar(s, _) => Value::String(normalise_lines(s)),
        NodeKind::Seq(items) => Value::Array(items.iter().map(to_value).collect()),
        NodeKind::Map(entries) => {
            let mut sorted: Vec<(String, Value)> = entries.iter().map(|(k, v)| (key_text(k), to_value(v))).collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(sorted.into_iter().collect())
        }
    }
}

/// CRLF/CR to LF and trailing spaces and tabs removed from every line.
fn normalise_lines(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    unified.split('\n').map(|l| l.trim_end_matches([' ', '\t'])).collect::<Vec<_>>().join("\n")
}

/// CRLF/CR to LF, trailing spaces and tabs removed from every line, then no leading or
/// trailing blank lines, and one final LF.
pub fn normalise_body(body: &str) -> String {
    let lines = normalise_lines(body);
    let trimmed = lines.trim_start_matches('\n').trim_end_matches('\n');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\nid: POL-001\nversion: \"1.10\"\nstatus: approved\napproval: { by: A, date: 2026-01-01 }\nclauses: [\"5.2\"]\n---\n\n# Policy\n\nText.\n";

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(of_text(a), of_text(b), "\n{a:?}\n{b:?}");
    }

    #[track_caller]
    fn differs(a: &str, b: &str) {
        assert_ne!(of_text(a).expect("hashes"), of_text(b).expect("hashes"), "\n{a:?}\n{b:?}");
    }

    #[test]
    fn formatting_does_not_matter() {
        same(DOC, &DOC.replace('\n', "\r\n"));
        same(DOC, &DOC.replace("Text.", "Text.   \t"));
        same(DOC, &DOC.replace("\n# Policy", "\n\n\n# Policy").replace("Text.\n", "Text.\n\n\n"));
        same(DOC, &DOC.replace("clauses: [\"5.2\"]", "clauses:\n  - '5.2'   # why"));
        same(DOC, &DOC.replace("id: POL-001\nversion: \"1.10\"", "version: 1.10\nid: \"POL-001\""));
        same(DOC, &format!("\u{feff}{DOC}"));
    }

    #[test]
    fn lifecycle_fields_do_not_matter() {
        same(DOC, &DOC.replace("approval: { by: A, date: 2026-01-01 }", "approval: { by: B, date: 2026-02-02 }"));
        same(DOC, &DOC.replace("status: approved", "status: superseded\nsuperseded_by: POL-002"));
        same(
            DOC,
            &DOC.replace(
                "clauses:",
                "reviews: [{ date: 2026-05-01, by: X, outcome: no-change }]\nnext_review: 2027-05-01\nclauses:",
            ),
        );
    }

    #[test]
    fn content_matters() {
        differs(DOC, &DOC.replace("Text.", "Text!"));
        differs(DOC, &DOC.replace("Text.", "Te xt."));
        differs(DOC, &DOC.replace("\"1.10\"", "\"1.1\""));
        differs(DOC, &DOC.replace("[\"5.2\"]", "[\"5.2\", \"5.3\"]"));
        differs(DOC, &DOC.replace("clauses:", "owner: CEO\nclauses:"));
        differs(DOC, &DOC.replace("# Policy\n\nText.", "# Policy\nText."));
    }

    #[test]
    fn canonical_text_is_documented_shape() {
        let c = canonical(DOC).expect("canonical");
        assert_eq!(
            c,
            "aimsdoc-content-v1\n{\"clauses\":[\"5.2\"],\"id\":\"POL-001\",\"version\":\"1.10\"}\n# Policy\n\nText.\n"
        );
    }

    #[test]
    fn unparseable_documents_give_a_reason() {
        assert!(of_text("no front matter").is_err());
        assert!(of_text("---\n[unclosed\n---\n").is_err());
    }
}
