//! Machine-readable exports of the register: `register.csv` and `register.json`.

use anyhow::Context as _;

use crate::csv_export::Table;
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
    "record_date",
    "retention",
    "disposition",
    "legal_hold",
    "classification",
    "sha256",
    "source",
    "page",
];

/// The register as CSV (RFC 4180, with spreadsheet formula injection neutralised).
pub fn register_csv(rows: &[DocRow]) -> anyhow::Result<String> {
    let mut table = Table::new(CSV_COLUMNS)?;
    for r in rows {
        table.row([
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
            &r.record_date,
            &r.retention,
            &r.disposition,
            &r.legal_hold,
            &r.classification,
            &r.sha256,
            &r.source,
            &r.href,
        ])?;
    }
    table.finish()
}

/// The register as pretty-printed JSON.
pub fn register_json(rows: &[DocRow]) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(rows).context("cannot serialise the register as JSON")?;
    s.push('\n');
    Ok(s)
}
