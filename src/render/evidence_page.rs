//! `evidence.html` and its parts (`assets/evidence/N.js`): the evidence index as a table with
//! the register's filters (kind, status, owner, past disposition, superseded and withdrawn
//! shown on request), split like the register when it is long (see `tables.rs`), with the
//! evidence by clause and by control. Long lists on the page are cut to their first entries
//! with a count of the rest: every row stays in the parts, the CSV and the JSON.

use std::collections::BTreeSet;

use serde::Serialize;

use super::evidence::EvidenceRow;
use super::register::{in_use, Choices};
use super::section::Section;
use super::tables::{part_count, part_of, part_rows, part_script};
use super::RenderCx;
use crate::catalog;

/// Files listed per clause or control in the "by clause" and "by control" tables.
const GROUP_ROWS: usize = 10;
/// Files listed as past their disposition date before "and N more".
const PAST_ROWS: usize = 100;

/// The fields of a row in a part, in order (`register.js` reads them by these names).
pub(crate) const FIELDS: &[&str] = &[
    "kind",
    "path",
    "name",
    "href",
    "download",
    "size",
    "media_type",
    "sha256",
    "record_date",
    "owner",
    "retention",
    "disposition",
    "past",
    "legal_hold",
    "state",
    "documents",
    "clauses",
    "controls",
    "anchor",
    "withheld",
    "availability",
];

#[derive(Serialize)]
struct Group<'a> {
    id: String,
    title: String,
    href: String,
    rows: Vec<&'a EvidenceRow>,
    more: usize,
}

/// The evidence index page.
pub(crate) fn page(cx: &RenderCx) -> anyhow::Result<String> {
    let all = cx.evidence_rows();
    let mut c = cx.base(0, "Evidence index", Section::Evidence);
    c.insert("by_clause", &groups(all, catalog::Kind::Clause));
    c.insert("by_control", &groups(all, catalog::Kind::AnnexControl));
    let past: Vec<&EvidenceRow> = all.iter().filter(|r| r.past_disposition).collect();
    c.insert("past_more", &past.len().saturating_sub(PAST_ROWS));
    c.insert("past", &past.into_iter().take(PAST_ROWS).collect::<Vec<_>>());
    c.insert("attachments", &all.iter().filter(|r| r.kind == "attachment").count());
    c.insert("records", &all.iter().filter(|r| r.kind == "record").count());
    c.insert("approved_copies", &all.iter().filter(|r| r.kind == super::evidence::APPROVED_COPY).count());
    let parts = part_count(all.len());
    let shown: Vec<&EvidenceRow> = if parts == 0 {
        all.iter().collect()
    } else {
        all.iter().filter(|r| in_use(r.state)).take(part_rows()).collect()
    };
    c.insert("rows", &shown);
    c.insert("total", &all.len());
    c.insert("in_use", &all.iter().filter(|r| in_use(r.state)).count());
    c.insert("parts", &parts);
    c.insert("page_rows", &part_rows());
    c.insert("fields", &FIELDS.join(" "));
    c.insert("choices", &choices(all));
    cx.render("evidence.html", c)
}

/// The files evidencing each clause (or each Annex A control), the first [`GROUP_ROWS`] each.
fn groups(all: &[EvidenceRow], kind: catalog::Kind) -> Vec<Group<'_>> {
    catalog::iso42001()
        .of_kind(kind)
        .filter_map(|e| {
            let rows: Vec<&EvidenceRow> =
                all.iter().filter(|r| r.clauses.contains(&e.id) || r.controls.contains(&e.id)).collect();
            (!rows.is_empty()).then(|| Group {
                id: e.id.clone(),
                title: e.title.clone(),
                href: crate::render::view::catalog_href(&e.id),
                more: rows.len().saturating_sub(GROUP_ROWS),
                rows: rows.into_iter().take(GROUP_ROWS).collect(),
            })
        })
        .collect()
}

/// The values each filter offers, sorted.
fn choices(all: &[EvidenceRow]) -> Choices {
    let set = |f: fn(&EvidenceRow) -> &str| -> Vec<String> {
        all.iter().map(f).filter(|v| !v.is_empty()).collect::<BTreeSet<_>>().into_iter().map(str::to_string).collect()
    };
    Choices { kind: set(|r| r.kind), state: set(|r| r.state), owner: set(|r| &r.owner), ..Choices::default() }
}

/// Part `n` of the evidence rows: one array of strings per row, in [`FIELDS`] order.
pub(crate) fn part(cx: &RenderCx, n: usize) -> anyhow::Result<String> {
    let rows: Vec<[String; 21]> = part_of(cx.evidence_rows(), n).iter().map(fields).collect();
    part_script("evidence", n, &rows)
}

fn fields(r: &EvidenceRow) -> [String; 21] {
    let flag = |b: bool| if b { "1".to_string() } else { String::new() };
    [
        r.kind.to_string(),
        r.path.clone(),
        r.name.clone(),
        r.href.clone(),
        r.download.clone(),
        r.size.to_string(),
        r.media_type.to_string(),
        r.sha256.clone(),
        r.record_date.clone(),
        r.owner.clone(),
        r.retention.clone(),
        r.disposition.clone(),
        flag(r.past_disposition),
        r.legal_hold.clone(),
        r.state.to_string(),
        r.documents.join(" "),
        r.clauses.join(" "),
        r.controls.join(" "),
        r.anchor.clone(),
        flag(r.withheld),
        r.availability.to_string(),
    ]
}
