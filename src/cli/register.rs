//! `aimsdoc register`: the document register on stdout, as CSV, JSON (the same bytes as the
//! site's `register.csv` / `register.json`) or a Markdown table.

use super::{EXIT_ERRORS, EXIT_OK};
use crate::diagnostics::Counts;
use crate::render::view::{self, DocRow};
use crate::site::{self, exports, Options};

/// Output format of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum RegisterFormat {
    /// RFC 4180 CSV, as `register.csv`.
    Csv,
    /// JSON array, as `register.json`.
    Json,
    /// A Markdown table.
    Md,
}

/// Prints the register; exit 1 (after printing) when the tree has errors, since documents that
/// failed to parse are missing from it.
pub(super) fn run(opts: Options, format: RegisterFormat) -> anyhow::Result<i32> {
    let checked = site::check(&opts)?;
    let rows = view::doc_rows(&checked.tree, &checked.config, &checked.assessment);
    let text = match format {
        RegisterFormat::Csv => exports::register_csv(&rows)?,
        RegisterFormat::Json => exports::register_json(&rows)?,
        RegisterFormat::Md => markdown(&rows),
    };
    super::schema::write_stdout(text.as_bytes())?;
    let counts = Counts::of(&checked.diagnostics);
    if counts.errors > 0 {
        eprintln!(
            "warning: the tree has {} error(s); documents that failed to load are missing from the register (run `aimsdoc check`)",
            counts.errors
        );
        return Ok(EXIT_ERRORS);
    }
    Ok(EXIT_OK)
}

/// The register as a Markdown table.
pub(super) fn markdown(rows: &[DocRow]) -> String {
    let mut out = String::from(
        "| Id | Title | Type | Owner | Version | Status | Approved by | Approved | Next review | Classification |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        let approver = r.approver_text();
        let cells = [
            &r.id,
            &r.title,
            &r.doc_type,
            &r.owner,
            &r.version,
            &r.status,
            &approver,
            &r.approval_date,
            &r.next_review,
            &r.classification,
        ];
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Escapes what would break a table cell.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
