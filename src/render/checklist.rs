//! The mandatory documented-information checklist page (Stage 1 documentation review): one row
//! per required item, the documents that satisfy it, and its state.

use serde::Serialize;

use super::pages::RenderCx;
use super::view::{catalog_href, DocRow};
use crate::assess::{Item, ItemState};

/// One checklist row as the templates see it.
#[derive(Debug, Serialize)]
pub struct ItemView<'a> {
    /// Clause number.
    pub clause: String,
    /// Clause title.
    pub title: String,
    /// Clause page.
    pub href: String,
    /// What has to be documented.
    pub item: &'static str,
    /// met, partial or missing.
    pub state: ItemState,
    /// Text of the state.
    pub label: &'static str,
    /// Approved, current documents satisfying it (the first [`LIST_CAP`]).
    pub current: Vec<&'a DocRow>,
    /// How many more current documents the clause page lists.
    pub current_more: usize,
    /// Drafts, documents in review and overdue documents addressing it (the first [`LIST_CAP`]).
    pub pending: Vec<&'a DocRow>,
    /// How many more of those the clause page lists.
    pub pending_more: usize,
}

/// How many documents a summary cell lists before "and N more" (the full list is one click
/// away, on the clause or control page); keeps summary pages small for thousands of documents.
pub const LIST_CAP: usize = 10;

/// The first [`LIST_CAP`] items of `list`, and how many were left out.
pub fn cap<T>(mut list: Vec<T>) -> (Vec<T>, usize) {
    let more = list.len().saturating_sub(LIST_CAP);
    list.truncate(LIST_CAP);
    (list, more)
}

/// Counts of items per state.
#[derive(Debug, Default, Serialize)]
pub struct Tally {
    /// Items met.
    pub met: usize,
    /// Items with only drafts or overdue documents.
    pub partial: usize,
    /// Items with nothing.
    pub missing: usize,
    /// All items.
    pub total: usize,
}

/// The checklist rows of the tree (from the assessment).
pub fn items<'a>(cx: &'a RenderCx<'_>) -> Vec<ItemView<'a>> {
    cx.assessment.checklist.iter().map(|i| view(cx, i)).collect()
}

/// The checklist rows of clause `id` only (its clause page).
pub fn items_of<'a>(cx: &'a RenderCx<'_>, id: &'a str) -> Vec<ItemView<'a>> {
    cx.assessment.items_of(id).map(|i| view(cx, i)).collect()
}

fn view<'a>(cx: &'a RenderCx<'_>, i: &Item) -> ItemView<'a> {
    ItemView {
        clause: i.clause.id.clone(),
        title: i.clause.title.clone(),
        href: catalog_href(&i.clause.id),
        // The catalog points at its own `di_note` field; the clause page shows that note.
        item: i.text.trim_end_matches(" (see di_note)"),
        state: i.state,
        label: i.state.label(),
        current_more: i.current.len().saturating_sub(LIST_CAP),
        pending_more: i.pending.len().saturating_sub(LIST_CAP),
        current: cx.doc_links(i.current.iter().copied().take(LIST_CAP)),
        pending: cx.doc_links(i.pending.iter().copied().take(LIST_CAP)),
    }
}

/// Counts `items` by state.
pub fn tally(items: &[ItemView]) -> Tally {
    let mut t = Tally { total: items.len(), ..Tally::default() };
    for i in items {
        match i.state {
            ItemState::Met => t.met += 1,
            ItemState::Partial => t.partial += 1,
            ItemState::Missing => t.missing += 1,
        }
    }
    t
}

/// The checklist page.
pub fn page(cx: &RenderCx) -> anyhow::Result<String> {
    let items = items(cx);
    let mut c = cx.base(0, "Mandatory documented information", super::section::Section::Checklist);
    c.insert("tally", &tally(&items));
    c.insert("items", &items);
    c.insert("soa_type", &cx.config.soa.document_type);
    cx.theme.render("checklist.html", &c)
}
