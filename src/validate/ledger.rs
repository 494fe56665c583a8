//! Approvals bound to content (7.5.2, 7.5.3): when the content root holds an `approvals.lock`,
//! every approved or superseded document's content hash must equal the ledger entry for its
//! version ("changed after approval" otherwise), every such version must be in the ledger, and
//! the front matter approval must name the approver and date the ledger records. A tree
//! without a ledger gets none of these findings.

use rayon::prelude::*;

use crate::content::{Document, Tree};
use crate::diagnostics::{rules, Diagnostic};
use crate::integrity::ledger::{Entry, Ledger};
use crate::integrity::{content_hash, LEDGER};
use crate::yaml::Pos;

/// Checks every document of `tree` against its ledger, if it has one.
pub fn check_tree(tree: &Tree) -> Vec<Diagnostic> {
    let (ledger, errors) = match Ledger::load(&tree.root.join(LEDGER)) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return Vec::new(),
        Err(e) => {
            return vec![Diagnostic::new(rules::IN_LEDGER_SYNTAX, LEDGER, Pos::default(), format!("{e:#}"))
                .hint("make approvals.lock a readable UTF-8 text file")]
        }
    };
    let mut out: Vec<Diagnostic> = errors
        .into_iter()
        .map(|e| {
            Diagnostic::new(rules::IN_LEDGER_SYNTAX, LEDGER, Pos { line: e.line, column: e.column }, e.message)
                .hint("`aimsdoc approve` writes these lines; fix or remove this one and approve the document again")
        })
        .collect();
    let per_doc: Vec<Diagnostic> = tree
        .documents
        .par_iter()
        .filter(|d| d.status().needs_approval() && d.version.is_some())
        .flat_map_iter(|d| check_doc(d, tree.sources.get(&d.path), &ledger))
        .collect();
    out.extend(per_doc);
    out
}

fn check_doc(d: &Document, source: Option<&String>, ledger: &Ledger) -> Vec<Diagnostic> {
    let Some(version) = &d.version else { return Vec::new() };
    let id = d.id.value.as_str();
    let v = version.value.as_str();
    let Some(entry) = ledger.get(id, v) else {
        return vec![not_in_ledger(d, version.pos, ledger)];
    };
    let mut out = Vec::new();
    if let Some(Ok(hash)) = source.map(|s| content_hash::of_text(s)) {
        if hash != entry.sha256 {
            out.push(
                Diagnostic::new(
                    rules::IN_CHANGED,
                    &d.path,
                    version.pos,
                    format!(
                        "{id} changed after approval: its content no longer matches version {v} as approved on {} by {} ({LEDGER} line {})",
                        entry.date, entry.by, entry.line
                    ),
                )
                .hint(format!("if the change is intended, raise `version`, add a `history` entry and approve the new version (`aimsdoc approve {id} --by NAME`); otherwise restore the approved text")),
            );
        }
    }
    out.extend(approval_mismatch(d, entry));
    out
}

fn not_in_ledger(d: &Document, pos: Pos, ledger: &Ledger) -> Diagnostic {
    let id = d.id.value.as_str();
    let others: Vec<&str> = ledger.versions_of(id).collect();
    let message =
        format!("{id} version {} is {} but {LEDGER} has no entry for it", d.version_text(), d.status().as_str());
    let (message, hint) = if others.is_empty() {
        // Approved before the tree had a ledger: record the approval the front matter states.
        let approval = d.approval.as_ref();
        let by = approval.and_then(|a| a.by.as_ref()).map_or("NAME".to_string(), |b| b.value.clone());
        let date = approval.and_then(|a| a.date.as_ref()).map(|x| format!(" --date {}", x.value)).unwrap_or_default();
        (message, format!("record the approval that was given: `aimsdoc approve {id} --by {by:?}{date}`"))
    } else {
        (
            format!("{message} (it records version {})", others.join(", ")),
            format!("have the new version approved, then record it: `aimsdoc approve {id} --by NAME`"),
        )
    };
    Diagnostic::new(rules::IN_NOT_IN_LEDGER, &d.path, pos, message).hint(hint)
}

fn approval_mismatch(d: &Document, entry: &Entry) -> Option<Diagnostic> {
    let approval = d.approval.as_ref()?;
    let by = approval.by.as_ref();
    let date = approval.date.as_ref();
    let by_differs = by.is_some_and(|b| b.value != entry.by);
    let date_differs = date.is_some_and(|x| x.value != entry.date);
    if !by_differs && !date_differs {
        return None;
    }
    let pos = match (by_differs, by, date) {
        (true, Some(b), _) => b.pos,
        (_, _, Some(x)) => x.pos,
        _ => approval.pos,
    };
    Some(
        Diagnostic::new(
            rules::IN_APPROVAL_MISMATCH,
            &d.path,
            pos,
            format!(
                "the front matter says approved by {} on {}, but {LEDGER} line {} records {} on {}",
                by.map_or("?", |b| b.value.as_str()),
                date.map_or("?".to_string(), |x| x.value.to_string()),
                entry.line,
                entry.by,
                entry.date
            ),
        )
        .hint(format!(
            "approvals are recorded with `aimsdoc approve {} --by NAME --date YYYY-MM-DD`, which writes both",
            d.id.value
        )),
    )
}
