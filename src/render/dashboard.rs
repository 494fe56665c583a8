//! What the dashboard adds: what each owner must review, approve or dispose of in the next 30
//! days (or has let pass); for an auditor the mandatory documented information checklist (in
//! its own states) and SoA coverage, review health and
//! the document mix as inline SVG charts, and a grid of every clause and control linking to its
//! page (dashboard -> clause page -> evidence file: two clicks).

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::charts::{bars, stack, Chart, Part};
use super::checklist::{items, tally, Tally};
use super::pages::RenderCx;
use super::view::{catalog_href, state_counts, DocRow};
use crate::assess::due;
use crate::assess::{ItemState, Soa};
use crate::catalog::{self, DocInfo, Kind};

/// A cell of the clause or control grid.
#[derive(Debug, Serialize)]
struct Cell {
    id: String,
    title: String,
    href: String,
    /// CSS class and state word: met, stale, pending, not-evidenced (required clauses), covered,
    /// none (other clauses), flagged, excluded, unstated (controls).
    state: &'static str,
    /// Depth (clauses only), for the grid's grouping.
    depth: usize,
    /// Documented information required here.
    required: bool,
    /// Approved documents in force addressing it.
    current: usize,
    /// Evidence files and records behind it.
    evidence: usize,
}

/// Adds the charts and grids to the dashboard context.
pub(crate) fn extend(cx: &RenderCx, c: &mut Context) {
    let items = items(cx);
    let t = tally(&items);
    let soa = &cx.assessment.soa;
    let charts = vec![checklist_chart(&t), controls_chart(soa), review_health(cx), status_chart(cx), type_chart(cx)];
    c.insert("charts", &charts);
    c.insert("tally", &t);
    c.insert("clause_grid", &clause_grid(cx, &items));
    c.insert("control_grid", &control_grid(soa));
    c.insert("due_by_owner", &due_by_owner(cx));
    c.insert("due_within", &DUE_WITHIN_DAYS);
}

/// The dashboard's horizon for "what is due" (the default of `aimsdoc due --within`).
const DUE_WITHIN_DAYS: u32 = 30;

/// One owner's list of what is due.
#[derive(Debug, Serialize)]
struct OwnerDue<'a> {
    owner: &'a str,
    items: Vec<DueView<'a>>,
}

/// One thing due, as the dashboard shows it.
#[derive(Debug, Serialize)]
struct DueView<'a> {
    doc: &'a DocRow,
    /// review, approve or dispose.
    action: &'static str,
    /// The date, or empty when it is due as soon as possible (an approval).
    by: String,
    /// "in 12 days", "today", "3 days overdue", or "now" without a date.
    when: String,
    overdue: bool,
}

/// What each owner must review, approve or dispose of within [`DUE_WITHIN_DAYS`] days or has
/// let pass, from the assessment's due list (`aimsdoc due` reads the same list); owners in
/// alphabetical order, each owner's items in date order.
fn due_by_owner<'a>(cx: &'a RenderCx<'_>) -> Vec<OwnerDue<'a>> {
    let mut owners: BTreeMap<&str, Vec<DueView>> = BTreeMap::new();
    for item in due::list(cx.tree, cx.assessment, Some(DUE_WITHIN_DAYS)) {
        let row = &cx.rows[item.doc];
        let days = item.days_left(cx.today);
        let when = match days {
            None => "now".to_string(),
            Some(0) => "today".to_string(),
            Some(1) => "tomorrow".to_string(),
            Some(d) if d > 0 => format!("in {d} days"),
            Some(-1) => "1 day overdue".to_string(),
            Some(d) => format!("{} days overdue", -d),
        };
        owners.entry(row.owner.as_str()).or_default().push(DueView {
            doc: row,
            action: item.action.as_str(),
            by: item.by.map(|d| d.to_string()).unwrap_or_default(),
            when,
            overdue: days.is_some_and(|d| d < 0),
        });
    }
    owners.into_iter().map(|(owner, items)| OwnerDue { owner, items }).collect()
}

/// The Stage 1 checklist in its own states: met, stale, pending, not evidenced.
fn checklist_chart(t: &Tally) -> Chart {
    stack(
        "chart-checklist",
        "Mandatory documented information",
        format!("{} of {} required items met", t.met, t.total),
        "checklist.html",
        vec![
            Part::new(ItemState::Met.label(), t.met, "checklist.html#state-met", "seg-met"),
            Part::new(ItemState::Stale.label(), t.stale, "checklist.html#state-stale", "seg-partial"),
            Part::new(ItemState::Pending.label(), t.pending, "checklist.html#state-pending", "seg-partial"),
            Part::new(
                ItemState::NotEvidenced.label(),
                t.not_evidenced,
                "checklist.html#state-not-evidenced",
                "seg-missing",
            ),
        ],
    )
}

/// SoA coverage: applicable controls implemented by a document in force, flagged, excluded and
/// not stated.
fn controls_chart(soa: &Soa) -> Chart {
    let applicable: Vec<_> = soa.rows.iter().filter(|r| r.applicable() == Some(true)).collect();
    let flagged = applicable.iter().filter(|r| r.flagged).count();
    let excluded = soa.rows.iter().filter(|r| r.applicable() == Some(false)).count();
    let unstated = soa.rows.len() - applicable.len() - excluded;
    stack(
        "chart-controls",
        "Applicable Annex A controls",
        format!(
            "{} of {} applicable controls implemented by an approved document in force",
            applicable.len() - flagged,
            applicable.len()
        ),
        "soa.html",
        vec![
            Part::new("implemented by a document in force", applicable.len() - flagged, "soa.html", "seg-met"),
            Part::new("no document in force", flagged, "soa.html#flagged", "seg-missing"),
            Part::new("excluded", excluded, "soa.html", "seg-excluded"),
            Part::new("not stated", unstated, "soa.html", "seg-partial"),
        ],
    )
}

/// Documents by status, one bar per status in use.
fn status_chart(cx: &RenderCx) -> Chart {
    let states = state_counts(&cx.rows);
    bars(
        "chart-status",
        "Documents by state",
        format!("{} documents", cx.rows.len()),
        "register.html",
        states
            .iter()
            .map(|s| {
                Part::new(s.status, s.count, format!("register.html#state={}", s.status), format!("bar-{}", s.status))
            })
            .collect(),
    )
}

/// Documents by type, one bar per configured type in use.
fn type_chart(cx: &RenderCx) -> Chart {
    let types: Vec<Part> = cx
        .config
        .document_types()
        .map(|ty| (ty, cx.rows.iter().filter(|r| r.doc_type == ty).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(ty, n)| Part::new(ty, n, format!("register.html#type={ty}"), "bar-type"))
        .collect();
    bars("chart-type", "Documents by type", format!("{} types in use", types.len()), "register.html", types)
}

/// Review health: current, due soon, overdue and not yet approved documents.
fn review_health(cx: &RenderCx) -> Chart {
    let count = |f: &dyn Fn(&DocRow) -> bool| cx.rows.iter().filter(|r| f(r)).count();
    let due = count(&|r| r.due_soon);
    let overdue = count(&|r| r.overdue);
    let current = count(&|r| r.currency.is_current() && !r.due_soon);
    let unapproved = count(&|r| r.status == "draft" || r.status == "review");
    stack(
        "chart-reviews",
        "Review health",
        format!("{overdue} overdue, {due} due within {} days", cx.config.review.warn_within_days),
        "register.html",
        vec![
            Part::new("current", current, "register.html", "seg-met"),
            Part::new("due soon", due, "#due-soon", "seg-partial"),
            Part::new("overdue", overdue, "#overdue", "seg-missing"),
            Part::new("draft or in review", unapproved, "register.html", "seg-excluded"),
        ],
    )
}

fn clause_grid(cx: &RenderCx, items: &[super::checklist::ItemView]) -> Vec<Cell> {
    catalog::iso42001()
        .of_kind(Kind::Clause)
        .map(|e| {
            let mine: Vec<_> = items.iter().filter(|i| i.clause == e.id).collect();
            let state = if e.documented_information == DocInfo::Required {
                // The worst state of the clause's items (states are listed best first).
                mine.iter()
                    .map(|i| i.state)
                    .max_by_key(|s| ItemState::ALL.iter().position(|a| a == s))
                    .map_or("met", ItemState::as_str)
            } else {
                let docs = cx.graph.clause_docs.get(&e.id).map_or(&[][..], Vec::as_slice);
                if docs.iter().any(|&i| cx.assessment.currency[i].is_in_force()) {
                    "covered"
                } else {
                    "none"
                }
            };
            let docs = cx.graph.clause_docs.get(&e.id).map_or(&[][..], Vec::as_slice);
            Cell {
                id: e.id.clone(),
                title: e.title.clone(),
                href: catalog_href(&e.id),
                state,
                depth: e.id.matches('.').count(),
                required: e.documented_information == DocInfo::Required,
                current: docs.iter().filter(|&&i| cx.assessment.currency[i].is_in_force()).count(),
                evidence: super::evidence::for_documents(cx, docs).len(),
            }
        })
        .collect()
}

fn control_grid(soa: &Soa) -> Vec<Cell> {
    soa.rows
        .iter()
        .map(|r| {
            let state = match r.applicable() {
                Some(true) if r.flagged => "flagged",
                Some(true) => "covered",
                Some(false) => "excluded",
                None => "unstated",
            };
            Cell {
                id: r.control.id.clone(),
                title: r.control.title.clone(),
                href: catalog_href(&r.control.id),
                state,
                depth: 0,
                required: false,
                current: r.implementers.len(),
                evidence: 0,
            }
        })
        .collect()
}
