//! Documents of external origin (7.5.3): they name their source and reference, and the type and
//! origin agree.

use super::Ctx;
use crate::content::types::Origin;
use crate::diagnostics::{rules, Diagnostic};

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let external_type = d.doc_type.value == crate::content::doc_types::EXTERNAL;
    if external_type && d.origin.value == Origin::Internal && d.origin.pos != d.head {
        out.push(
            Diagnostic::new(
                rules::EX_ORIGIN_MISMATCH,
                &d.path,
                d.origin.pos,
                "a document of type external cannot have `origin: internal`",
            )
            .hint("set `origin: external`, or change the type"),
        );
    }
    if !(external_type || d.origin.value == Origin::External) {
        return;
    }
    for (field, value) in [("source", &d.source), ("reference", &d.reference)] {
        if value.is_none() {
            let example =
                if field == "source" { "source: European Union" } else { "reference: \"Regulation (EU) 2024/1689\"" };
            out.push(
                Diagnostic::new(
                    rules::EX_INCOMPLETE,
                    &d.path,
                    d.origin.pos.max(d.doc_type.pos),
                    format!("the external document does not name its `{field}`"),
                )
                .hint(format!("add `{example}` so the document can be identified and its currency checked")),
            );
        }
    }
}
