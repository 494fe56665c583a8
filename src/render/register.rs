//! `register.html` and its parts (`assets/register/N.js`): one row per document, titles
//! linked, filters by type, status, owner, classification and overdue review, superseded and
//! withdrawn documents shown on request. A register longer than one part keeps its first page
//! of documents in use in the HTML; `register.js` loads the parts to sort, filter and page
//! across all of them (see `tables.rs`). `register.json` stays whole: it is an export, which no
//! page loads.

use std::collections::BTreeSet;

use serde::Serialize;

use super::section::Section;
use super::tables::{part_count, part_of, part_rows, part_script};
use super::view::DocRow;
use super::RenderCx;

/// The fields of a row in a part, in order (`register.js` reads them by these names).
pub(crate) const FIELDS: &[&str] = &[
    "id",
    "title",
    "href",
    "type",
    "owner",
    "version",
    "state",
    "state_label",
    "approval_date",
    "approved_by",
    "effective",
    "next_review",
    "record_date",
    "retention",
    "disposition",
    "legal_hold",
    "classification",
    "sha256",
];

/// The values each filter of a table offers, sorted (server-side, so a split table offers
/// every value before its parts are loaded).
#[derive(Serialize, Default)]
pub(crate) struct Choices {
    #[serde(rename = "type")]
    pub doc_type: Vec<String>,
    pub kind: Vec<String>,
    pub state: Vec<String>,
    pub owner: Vec<String>,
    pub classification: Vec<String>,
}

/// In use: neither superseded nor withdrawn (the register's default view).
pub(crate) fn in_use(state: &str) -> bool {
    !matches!(state, "superseded" | "withdrawn")
}

/// The document register page.
pub(crate) fn page(cx: &RenderCx) -> anyhow::Result<String> {
    let mut c = cx.base(0, "Document register", Section::Register);
    let parts = part_count(cx.rows.len());
    let rows: Vec<&DocRow> = if parts == 0 {
        cx.rows.iter().collect()
    } else {
        cx.rows.iter().filter(|r| in_use(r.state)).take(part_rows()).collect()
    };
    c.insert("rows", &rows);
    c.insert("total", &cx.rows.len());
    c.insert("in_use", &cx.rows.iter().filter(|r| in_use(r.state)).count());
    c.insert("parts", &parts);
    c.insert("page_rows", &part_rows());
    c.insert("fields", &FIELDS.join(" "));
    c.insert("choices", &choices(&cx.rows));
    cx.render("register.html", c)
}

fn choices(rows: &[DocRow]) -> Choices {
    let set = |f: fn(&DocRow) -> &str| -> Vec<String> {
        rows.iter().map(f).filter(|v| !v.is_empty()).collect::<BTreeSet<_>>().into_iter().map(str::to_string).collect()
    };
    Choices {
        doc_type: set(|r| &r.doc_type),
        state: set(|r| r.state),
        owner: set(|r| &r.owner),
        classification: set(|r| &r.classification),
        ..Choices::default()
    }
}

/// Part `n` of the register: one array of strings per row, in [`FIELDS`] order.
pub(crate) fn part(cx: &RenderCx, n: usize) -> anyhow::Result<String> {
    let rows: Vec<[&str; 18]> = part_of(&cx.rows, n)
        .iter()
        .map(|r| {
            [
                &*r.id,
                &r.title,
                &r.href,
                &r.doc_type,
                &r.owner,
                &r.version,
                r.state,
                // The label only where it says more than the state word.
                if r.state_label == r.state { "" } else { &r.state_label },
                &r.approval_date,
                &r.approved_by,
                &r.effective,
                &r.next_review,
                &r.record_date,
                &r.retention,
                &r.disposition,
                &r.legal_hold,
                &r.classification,
                &r.sha256,
            ]
        })
        .collect();
    part_script("register", n, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superseded_and_withdrawn_are_out_of_the_default_view() {
        assert!(in_use("current") && in_use("overdue") && in_use("draft") && in_use("not-approved"));
        assert!(!in_use("superseded") && !in_use("withdrawn"));
    }
}
