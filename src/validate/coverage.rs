//! The Stage 1 documentation checklist (7.5.1 a): every required item not met by the evidence
//! its kind needs (CV001), offered only by drafts or documents not current (CV002), or met by a
//! recurring record grown older than its period (CV003); and `satisfies` keys that name no item
//! of the catalog (LK012). Items and states come from the assessment
//! ([`crate::assess::checklist`]).

use super::Ctx;
use crate::assess::checklist::months_between;
use crate::assess::{Item, ItemState, Shortfall};
use crate::catalog::{self, ItemKind};
use crate::config::FILE_NAME;
use crate::diagnostics::{rules, Diagnostic};
use crate::yaml::Pos;

/// Reports every item not met, at the configuration file (the gap is in the tree, not in a
/// document), and every stale item at the `record_date` of its newest record. The SoA item is
/// left to the SoA rules when no SoA exists at all.
pub(super) fn check_tree(cx: &Ctx) -> Vec<Diagnostic> {
    if !cx.assessment.checklist_active {
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in &cx.assessment.checklist {
        match item.state {
            ItemState::Met => {}
            ItemState::NotEvidenced if item.kind() == ItemKind::Soa && item.short.is_empty() => {}
            ItemState::NotEvidenced => out.push(not_evidenced(cx, item)),
            ItemState::Pending => out.push(pending(cx, item)),
            ItemState::Stale => out.extend(stale(cx, item)),
        }
    }
    out
}

fn at_config() -> Pos {
    Pos { line: 1, column: 1 }
}

/// `clause 9.3.3 (Management review results), item 9.3.3/results`.
fn name(item: &Item) -> String {
    format!("clause {} ({}), item {}", item.clause.id, item.clause.title, item.key())
}

fn not_evidenced(cx: &Ctx, item: &Item) -> Diagnostic {
    let id = &item.clause.id;
    let (needs, hint) = match item.kind() {
        ItemKind::Record => (
            "no approved record or report with a `record_date`",
            format!("add an approved document of type `record` or `report` with `record_date` and `clauses: [\"{id}\"]` (attach the minutes, results or report)"),
        ),
        ItemKind::Document => (
            "no approved, in-force controlled document of the organisation",
            format!("approve an internal controlled document (policy, procedure, plan, standard, register) with `clauses: [\"{id}\"]`; records, reports and external documents do not count"),
        ),
        ItemKind::Soa => ("no Statement of Applicability in force", "approve the Statement of Applicability".to_string()),
    };
    let mut message = format!("{}: {needs} evidences \"{}\"", name(item), item.spec.text);
    if !item.short.is_empty() {
        let offered: Vec<String> =
            item.short.iter().map(|&(i, why)| format!("{} ({})", cx.docs[i].id.value.as_str(), why.label())).collect();
        message.push_str(&format!("; addressed by {}, which cannot count", offered.join(", ")));
    }
    Diagnostic::new(rules::CV_MISSING, FILE_NAME, at_config(), message).hint(hint)
}

fn pending(cx: &Ctx, item: &Item) -> Diagnostic {
    let offered: Vec<String> =
        item.pending().map(|(i, why)| format!("{} ({})", cx.docs[i].id.value.as_str(), why.label())).collect();
    let message = format!("{}: \"{}\" is only in {}", name(item), item.spec.text, offered.join(", "));
    let mut remedies: Vec<&str> = item.pending().map(|(_, why)| remedy(why)).collect();
    remedies.sort_unstable();
    remedies.dedup();
    Diagnostic::new(rules::CV_NOT_CURRENT, FILE_NAME, at_config(), message).hint(remedies.join("; "))
}

/// How to turn a document offered for an item into one meeting it.
fn remedy(why: Shortfall) -> &'static str {
    match why {
        Shortfall::Draft | Shortfall::InReview => "approve the draft (`aimsdoc approve ID`)",
        Shortfall::Overdue => {
            "complete the overdue review: record it in `reviews` and move `next_review` on, or issue a new version"
        }
        Shortfall::VersionNotApproved => "approve the current version (`aimsdoc approve ID --by NAME`)",
        Shortfall::NotYetEffective => "nothing is in force before its `effective` date: the item is met from that date",
        Shortfall::Undated => "give the record the `record_date` of the event it records",
        Shortfall::DatedInFuture => "a record's `record_date` is the date of an event that has happened: correct it",
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
