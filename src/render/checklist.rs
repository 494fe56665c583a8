//! The "Mandatory documented information" page (`checklist.html`, an auditor's Stage 1
//! documentation review): for every required item its state, the documents or records meeting
//! it with their date, age and status, what was offered but
//! cannot count and why, an explicit "not evidenced" otherwise, and the Statement of
//! Applicability summary below. `checklist.csv` and the clause pages read the same views.

use serde::Serialize;

use super::pages::RenderCx;
use super::view::{catalog_href, DocRow};
use crate::assess::checklist::{evidence_date, months_between};
use crate::assess::{Item, ItemState};
use crate::content::types::Date;

/// One checklist row as the templates and `checklist.csv` see it.
#[derive(Debug, Serialize)]
pub(crate) struct ItemView<'a> {
    /// Clause number.
    pub clause: String,
    /// Clause title.
    pub title: String,
    /// Clause page.
    pub href: String,
    /// The catalog key (`9.3.3/results`).
    pub key: &'static str,
    /// What has to be documented or retained.
    pub item: &'static str,
    /// The catalog's user-facing note on the item.
    pub note: Option<&'static str>,
    /// document, record or soa.
    pub kind: &'static str,
    /// How often a new record is expected (`1y`), when it recurs.
    pub expected_every: Option<String>,
    /// met, stale, pending or not-evidenced.
    pub state: ItemState,
    /// Text of the state.
    pub label: &'static str,
    /// Documents meeting it, newest first (the first [`LIST_CAP`] on pages).
    pub evidence: Vec<EvidenceView<'a>>,
    /// How many more meet it (listed on the clause page).
    pub evidence_more: usize,
    /// Documents offered that do not count, and why.
    pub short: Vec<ShortView<'a>>,
    /// How many more of those.
    pub short_more: usize,
}

/// A document meeting an item.
#[derive(Debug, Serialize)]
pub(crate) struct EvidenceView<'a> {
    /// Its register row (id, title, link, state).
    pub doc: &'a DocRow,
    /// Its index in the tree (which of the shared row values is `doc`).
    #[serde(skip)]
    pub index: usize,
    /// The date it evidences: a record's `record_date`, a document's effective date.
    pub date: String,
    /// How old that is on the build date, in words.
    pub age: String,
    /// Whole months since that date (for `checklist.csv`).
    pub age_months: Option<i64>,
}

/// A document offered for an item that does not meet it.
#[derive(Debug, Serialize)]
pub(crate) struct ShortView<'a> {
    /// Its register row.
    pub doc: &'a DocRow,
    /// Its index in the tree (which of the shared row values is `doc`).
    #[serde(skip)]
    pub index: usize,
    /// Why it does not count.
    pub why: &'static str,
    /// It could count once approved, in force or dated.
    pub pending: bool,
}

/// How many documents a summary cell lists before "and N more" (the full list is one click
/// away, on the clause or control page); keeps summary pages small for thousands of documents.
pub(crate) const LIST_CAP: usize = 10;

/// The first [`LIST_CAP`] items of `list`, and how many were left out.
pub(crate) fn cap<T>(mut list: Vec<T>) -> (Vec<T>, usize) {
    let more = list.len().saturating_sub(LIST_CAP);
    list.truncate(LIST_CAP);
    (list, more)
}

/// Counts of items per state.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Tally {
    /// Items met.
    pub met: usize,
    /// Recurring record items whose newest record is too old.
    pub stale: usize,
    /// Items offered only drafts or documents not current.
    pub pending: usize,
    /// Items nothing meets.
    pub not_evidenced: usize,
    /// All items.
    pub total: usize,
}

/// The checklist rows of the tree, each listing at most [`LIST_CAP`] documents.
pub(crate) fn items<'a>(cx: &'a RenderCx<'_>) -> Vec<ItemView<'a>> {
    cx.assessment.checklist.iter().map(|i| view(cx, i, LIST_CAP)).collect()
}

/// The checklist rows with every document listed (`checklist.csv`, clause pages).
pub(crate) fn all_items<'a>(cx: &'a RenderCx<'_>) -> Vec<ItemView<'a>> {
    cx.assessment.checklist.iter().map(|i| view(cx, i, usize::MAX)).collect()
}

/// The checklist rows of clause `id` only (its clause page), every document listed.
pub(crate) fn items_of<'a>(cx: &'a RenderCx<'_>, id: &'a str) -> Vec<ItemView<'a>> {
    cx.assessment.items_of(id).map(|i| view(cx, i, usize::MAX)).collect()
}

fn view<'a>(cx: &'a RenderCx<'_>, i: &Item, limit: usize) -> ItemView<'a> {
    let evidence = i.meeting.iter().take(limit).map(|&d| evidence_view(cx, i, d)).collect();
    let short = i.short.iter().take(limit);
    let short =
        short.map(|&(d, why)| ShortView { doc: &cx.rows[d], index: d, why: why.label(), pending: why.is_pending() });
    ItemView {
        clause: i.clause.id.clone(),
        title: i.clause.title.clone(),
        href: catalog_href(&i.clause.id),
        key: i.key(),
        item: &i.spec.text,
        note: i.spec.note.as_deref(),
        kind: i.kind().as_str(),
        expected_every: i.expected_every.map(|p| p.to_string()),
        state: i.state,
        label: i.state.label(),
        evidence,
        evidence_more: i.meeting.len().saturating_sub(limit),
        short: short.collect(),
        short_more: i.short.len().saturating_sub(limit),
    }
}

fn evidence_view<'a>(cx: &'a RenderCx<'_>, item: &Item, d: usize) -> EvidenceView<'a> {
    let date = evidence_date(&cx.tree.documents[d], item.kind());
    EvidenceView {
        doc: &cx.rows[d],
        index: d,
        date: date.map(|d| d.to_string()).unwrap_or_default(),
        age: date.map(|d| age(d, cx.today)).unwrap_or_default(),
        age_months: date.map(|d| months_between(d, cx.today)),
    }
}

/// `12 days`, `1 month`, `14 months` (months, so it compares with "every 1y" at a glance).
pub(crate) fn age(from: Date, today: Date) -> String {
    let months = months_between(from, today);
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if months >= 1 {
        plural(months, "month")
    } else {
        plural((today - from).get_days().into(), "day")
    }
}

/// Counts `items` by state.
pub(crate) fn tally(items: &[ItemView]) -> Tally {
    let mut t = Tally { total: items.len(), ..Tally::default() };
    for i in items {
        match i.state {
            ItemState::Met => t.met += 1,
            ItemState::Stale => t.stale += 1,
            ItemState::Pending => t.pending += 1,
            ItemState::NotEvidenced => t.not_evidenced += 1,
        }
    }
    t
}

/// The Statement of Applicability in brief, below the checklist.
#[derive(Debug, Serialize)]
struct SoaSummary<'a> {
    document: Option<&'a DocRow>,
    stated: usize,
    applicable: usize,
    excluded: usize,
    unstated: usize,
    flagged: usize,
}

fn soa_summary<'a>(cx: &'a RenderCx<'_>) -> SoaSummary<'a> {
    let soa = &cx.assessment.soa;
    let count = |want: Option<bool>| soa.rows.iter().filter(|r| r.applicable() == want).count();
    SoaSummary {
        document: soa.document.map(|i| &cx.rows[i]),
        stated: soa.rows.len() - count(None),
        applicable: count(Some(true)),
        excluded: count(Some(false)),
        unstated: count(None),
        flagged: soa.rows.iter().filter(|r| r.flagged).count(),
    }
}

/// The checklist page.
pub(crate) fn page(cx: &RenderCx) -> anyhow::Result<String> {
    let items = items(cx);
    let mut c = cx.base(0, "Mandatory documented information", super::section::Section::Checklist);
    c.insert("tally", &tally(&items));
    c.insert("items", &items);
    c.insert("soa", &soa_summary(cx));
    c.insert("soa_type", &cx.config.soa.document_type);
    cx.render("checklist.html", c)
}

#[cfg(test)]
mod tests {
    use super::age;
    use crate::content::types::parse_date;

    #[track_caller]
    fn case(from: &str, today: &str, expected: &str) {
        let d = |s| parse_date(s).expect("a date");
        assert_eq!(age(d(from), d(today)), expected);
    }

    #[test]
    fn ages_in_days_then_months() {
        case("2026-06-01", "2026-06-01", "0 days");
        case("2026-05-31", "2026-06-01", "1 day");
        case("2026-05-02", "2026-06-01", "30 days");
        case("2026-05-01", "2026-06-01", "1 month");
        case("2025-06-01", "2026-06-01", "12 months");
        case("2025-06-02", "2026-06-01", "11 months");
        case("2024-02-29", "2026-06-01", "27 months");
    }
}
