//! The Stage 1 documentation checklist (7.5.1 a): the required items not met, reported together
//! as one finding at the configuration file, each item a note (CV001 when any is not evidenced
//! at all, else CV002: offered only by drafts or documents not current); every recurring record
//! grown older than its period (CV003, at its `record_date`); and `satisfies` keys that name no
//! item of the catalog (LK012). Items and states come from the assessment
//! ([`crate::assess::checklist`]).

use super::Ctx;
use crate::assess::checklist::months_between;
use crate::assess::{Item, ItemState, Shortfall};
use crate::catalog::{self, ItemKind};
use crate::config::FILE_NAME;
use crate::diagnostics::{rules, Diagnostic};
use crate::yaml::Pos;

/// Reports the items not met as one finding (the gap is in the tree, not in a file; the
/// checklist page lists them with the evidence each needs), and every stale item at the
/// `record_date` of its newest record. The SoA item is left to the SoA rules when no SoA exists
/// at all.
pub(super) fn check_tree(cx: &Ctx) -> Vec<Diagnostic> {
    if !cx.assessment.checklist_active {
        return Vec::new();
    }
    let mut gaps = Vec::new();
    let mut out = Vec::new();
    for item in &cx.assessment.checklist {
        match item.state {
            ItemState::Met => {}
            ItemState::NotEvidenced if item.kind() == ItemKind::Soa && item.short.is_empty() => {}
            ItemState::NotEvidenced | ItemState::Pending => gaps.push(item),
            ItemState::Stale => out.extend(stale(cx, item)),
        }
    }
    out.extend(gaps_finding(cx, &gaps));
    out
}

fn at_config() -> Pos {
    Pos { line: 1, column: 1 }
}

/// `clause 9.3.3 (Management review results), item 9.3.3/results`.
fn name(item: &Item) -> String {
    format!("clause {} ({}), item {}", item.clause.id, item.clause.title, item.key())
}

/// One finding for every item not met: CV001 when any is not evidenced, CV002 when each is at
/// least offered; one note per item saying what it lacks, and the remedies as the hint.
fn gaps_finding(cx: &Ctx, gaps: &[&Item]) -> Option<Diagnostic> {
    if gaps.is_empty() {
        return None;
    }
    let missing = gaps.iter().filter(|i| i.state == ItemState::NotEvidenced).count();
    let rule = if missing > 0 { rules::CV_MISSING } else { rules::CV_NOT_CURRENT };
    let total = cx.assessment.checklist.len();
    let pending = gaps.len() - missing;
    let message = format!(
        "{} of {total} items of mandatory documented information not met ({missing} not evidenced, {pending} only in drafts or documents not current); checklist.html lists each with the evidence it needs",
        gaps.len()
    );
    let mut hints: Vec<&str> = gaps.iter().flat_map(|i| remedies(i)).collect();
    hints.sort_unstable();
    hints.dedup();
    let mut d = Diagnostic::new(rule, FILE_NAME, at_config(), message).hint(hints.join("; "));
    for item in gaps {
        d = d.note(FILE_NAME, at_config(), gap_note(cx, item));
    }
    Some(d)
}

/// What one item lacks: `4.3/scope "AIMS scope" (clause 4.3): only in GOV-001 (draft)`.
fn gap_note(cx: &Ctx, item: &Item) -> String {
    let offered = |pending: bool| -> String {
        let docs: Vec<String> = item
            .short
            .iter()
            .filter(|(_, why)| why.is_pending() == pending)
            .map(|&(i, why)| format!("{} ({})", cx.docs[i].id.value.as_str(), why.label()))
            .collect();
        docs.join(", ")
    };
    let head = format!("{} \"{}\" (clause {} {})", item.key(), item.spec.text, item.clause.id, item.clause.title);
    if item.state == ItemState::Pending {
        return format!("{head}: only in {}", offered(true));
    }
    let needs = match item.kind() {
        ItemKind::Record => "an approved record or report with a `record_date`",
        ItemKind::Document => "an approved, in-force controlled document of the organisation",
        ItemKind::Soa => "the Statement of Applicability in force",
    };
    let mut note = format!("{head}: not evidenced, needs {needs}");
    let cannot = offered(false);
    if !cannot.is_empty() {
        note.push_str(&format!("; addressed by {cannot}, which cannot count"));
    }
    note
}

/// How to meet `item`: what to add when nothing can count, how to turn each document offered
/// into one meeting it otherwise.
fn remedies(item: &Item) -> Vec<&'static str> {
    if item.state == ItemState::Pending {
        return item.pending().map(|(_, why)| remedy(why)).filter(|r| !r.is_empty()).collect();
    }
    vec![match item.kind() {
        ItemKind::Record => "for a record item, add an approved document of type `record` or `report` with `record_date` and the item's clause in `clauses` (attach the minutes, results or report)",
        ItemKind::Document => "for a document item, approve an internal controlled document (policy, procedure, plan, standard, register) with the item's clause in `clauses`; records, reports and external documents do not count",
        ItemKind::Soa => "approve the Statement of Applicability",
    }]
}

/// How to turn a document offered for an item into one meeting it.
fn remedy(why: Shortfall) -> &'static str {
    match why {
        Shortfall::Draft | Shortfall::InReview => "approve the draft (`aimsdoc approve ID --by NAME`)",
        Shortfall::Overdue => {
            "complete the overdue review: record it in `reviews` and move `next_review` on, or issue a new version"
        }
        Shortfall::VersionNotApproved => "approve the current version (`aimsdoc approve ID --by NAME`)",
        Shortfall::NotYetEffective => "nothing is in force before its `effective` date: the item is met from that date",
        Shortfall::Undated => "give the record the `record_date` of the event it records",
        Shortfall::DatedInFuture => "a record's `record_date` is the date of an event that has happened: correct it",
        Shortfall::Unwritten => {
            "write the document's content in place of the template's guidance (ID017), then approve the new version"
        }
        Shortfall::External | Shortfall::NotARecord | Shortfall::NotAControlledDocument => "",
    }
}

/// At the `record_date` of the newest record (where a reader looks for the date), else at the
/// configuration file.
fn stale(cx: &Ctx, item: &Item) -> Option<Diagnostic> {
    let newest = *item.meeting.first()?;
    let doc = &cx.docs[newest];
    let date = doc.record_date.as_ref()?;
    let every = item.expected_every?;
    let age_months = months_between(date.value, cx.today);
    let message = format!(
        "{}: the newest record, {} of {}, is {age_months} months old; a new one is expected every {every}",
        name(item),
        doc.id.value.as_str(),
        date.value,
    );
    let hint = format!(
        "add a new record with its own id and `record_date` (do not revise the old one); if the interval is planned differently, set `[checklist.expected_every] \"{}\" = \"...\"` in aimsdoc.toml",
        item.key()
    );
    Some(Diagnostic::new(rules::CV_STALE, &doc.path, date.pos, message).hint(hint))
}

/// LK012: every `satisfies` key names an item of the catalog, of a clause the document addresses.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let iso = catalog::iso42001();
    for key in &d.satisfies {
        if let Some((clause, _)) = iso.item(&key.value) {
            if !d.clauses.iter().any(|c| iso.is_within(&clause.id, &c.value)) {
                let message = format!(
                    "`{}` pins an item of clause {}, which the document does not address, so it meets nothing",
                    key.value, clause.id
                );
                let hint =
                    format!("add \"{}\" to `clauses` if the document addresses it, or remove the pin", clause.id);
                out.push(Diagnostic::new(rules::LK_CHECKLIST_ITEM, &d.path, key.pos, message).hint(hint));
            }
            continue;
        }
        let hint = match iso.suggest_item(&key.value) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "checklist items are `CLAUSE/name`, e.g. `9.2.2/results`; the checklist page lists every key"
                .to_string(),
        };
        let message = format!("`{}` is not a checklist item of ISO/IEC 42001", key.value);
        out.push(Diagnostic::new(rules::LK_CHECKLIST_ITEM, &d.path, key.pos, message).hint(hint));
    }
}
