//! The mandatory documented-information checklist (7.5.1 a): every required item not met by
//! an approved, current document is reported. The items and their states come from the
//! assessment ([`crate::assess::checklist`]).

use super::Ctx;
use crate::assess::{Currency, ItemState};
use crate::config::FILE_NAME;
use crate::diagnostics::{rules, Diagnostic};
use crate::yaml::Pos;

/// Reports every item not met, at the configuration file (the gap is in the tree, not in a
/// document). The SoA item is left to the SoA rules when no SoA exists at all.
pub fn check_tree(cx: &Ctx) -> Vec<Diagnostic> {
    if !cx.assessment.checklist_active {
        return Vec::new();
    }
    let at = Pos { line: 1, column: 1 };
    let mut out = Vec::new();
    for item in &cx.assessment.checklist {
        let id = &item.clause.id;
        match item.state {
            ItemState::Met => {}
            ItemState::Missing if item.soa => {}
            ItemState::Missing => out.push(
                Diagnostic::new(
                    rules::CV_MISSING,
                    FILE_NAME,
                    at,
                    format!("clause {id} ({}) requires documented information that no approved, current document provides: {}", item.clause.title, item.text),
                )
                .hint(format!("approve a document with `clauses: [\"{id}\"]`, or add \"{id}\" to the `clauses` of the approved document that provides it")),
            ),
            ItemState::Partial => {
                let ids: Vec<String> =
                    item.pending.iter().map(|&i| pending_label(cx.docs[i].id.value.as_str(), cx.assessment.currency[i])).collect();
                out.push(
                    Diagnostic::new(
                        rules::CV_NOT_CURRENT,
                        FILE_NAME,
                        at,
                        format!("clause {id} ({}): \"{}\" is only in {}", item.clause.title, item.text, ids.join(", ")),
                    )
                    .hint("approve the draft, or complete the overdue review and move `next_review` on"),
                );
            }
        }
    }
    out
}

/// `id (state)`: pending documents are drafts, in review, or overdue.
fn pending_label(id: &str, currency: Currency) -> String {
    format!("{id} ({})", currency.state_word())
}
