//! Machine-readable exports of the register: `register.csv` and `register.json`.

use crate::render::view::DocRow;

const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "type",
    "owner",
    "version",
    "status",
    "state",
    "approved_by",
    "approval_date",
    "effective",
    "next_review",
    "classification",
    "sha256",
    "source",
    "page",
];

/// The register as CSV (RFC 4180, with spreadsheet formula injection neutralised).
pub fn register_csv(rows: &[DocRow]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let fields = [
            &r.id,
            &r.title,
            &r.doc_type,
            &r.owner,
            &r.version,
            &r.status,
            r.state,
            &r.approved_by,
            &r.approval_date,
            &r.effective,
            &r.next_review,
            &r.classification,
            &r.sha256,
            &r.source,
            &r.href,
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The register as pretty-printed JSON.
pub fn register_json(rows: &[DocRow]) -> String {
    let mut s = serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// First characters that make a spreadsheet read a cell as a formula (OWASP's list), plus their
/// full-width forms, which some spreadsheets (LibreOffice with East Asian input, Excel with
/// IME autocorrect) normalise to the ASCII ones.
const FORMULA_START: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}'];

/// Quotes a CSV field when needed; prefixes `'` to values a spreadsheet would run as a formula.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(FORMULA_START) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_quoting_and_injection() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
        for start in ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"] {
            let field = csv_field(&format!("{start}HYPERLINK(\"x\")"));
            assert!(field.starts_with("'") || field.starts_with("\"'"), "{start:?}: {field}");
        }
        assert_eq!(csv_field("a=b"), "a=b");
    }
}
