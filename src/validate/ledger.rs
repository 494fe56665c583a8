//! Approvals bound to content (7.5.2, 7.5.3): when the content root holds an `approvals.lock`,
//! every approved or superseded version must be recorded in it, its content (text and every
//! attachment) must still be what was recorded ("changed after approval" otherwise, at the
//! version line or at the attachment that changed), and the front matter approval must be one
//! the ledger records. Entries written with the old hash recipe are read, and noted for
//! re-approval. A tree without a ledger gets none of these findings.

use crate::assess::Assessment;
use crate::content::{Document, Tree};
use crate::diagnostics::{rules, Diagnostic};
use crate::graph::Graph;
use crate::integrity::content_hash::{self, Change, Recorded};
use crate::integrity::ledger::{Entry, Ledger, Loaded};
use crate::integrity::LEDGER;
use crate::yaml::Pos;

/// The findings about the ledger itself, and the ledger when the documents are to be checked
/// against it (`None`: there is none, or it could not be read). Then each document is checked
/// against it ([`check_document`]; `validate` keeps those findings per document).
pub(super) fn check_ledger(assessment: &Assessment) -> (Option<&Ledger>, Vec<Diagnostic>) {
    let (ledger, errors) = match &assessment.ledger {
        Loaded::Read(ledger, errors) => (ledger, errors),
        Loaded::Absent => return (None, Vec::new()),
        Loaded::Unreadable(e) => {
            let d = Diagnostic::new(rules::IN_LEDGER_SYNTAX, LEDGER, Pos::default(), e.clone())
                .hint("make approvals.lock a readable UTF-8 text file");
            return (None, vec![d]);
        }
    };
    let out = errors
        .iter()
        .map(|e| {
            Diagnostic::new(rules::IN_LEDGER_SYNTAX, LEDGER, Pos { line: e.line, column: e.column }, e.message.clone())
                .hint("`aimsdoc approve` writes these lines; fix or remove this one and approve the document again")
        })
        .collect();
    (Some(ledger), out)
}

/// The findings about document `i` of `tree` against `ledger` (none unless it is a version
/// that needs approval). `serve` re-runs this for the documents an edit changed.
pub(super) fn check_document(i: usize, tree: &Tree, graph: &Graph, ledger: &Ledger) -> Vec<Diagnostic> {
    let d = &tree.documents[i];
    match d.status().needs_approval() && d.version.is_some() {
        true => check_doc(i, tree, graph, ledger),
        false => Vec::new(),
    }
}

fn check_doc(i: usize, tree: &Tree, graph: &Graph, ledger: &Ledger) -> Vec<Diagnostic> {
    let d = &tree.documents[i];
    let Some(version) = &d.version else { return Vec::new() };
    let entries: Vec<&Entry> = ledger.get(d.id.value.as_str(), version.value.as_str()).collect();
    let Some(entry) = ledger.judged(d.id.value.as_str(), version.value.as_str()) else {
        return vec![not_in_ledger(d, version.pos, ledger)];
    };
    let mut out = Vec::new();
    if let Some(Ok(text)) = tree.sources.get(&d.path).map(|s| s.content_hash()) {
        let changes = entry.hash.changes(text, &content_hash::attachment_hashes(i, graph));
        out.extend(changes.into_iter().map(|c| changed(d, c, entry)));
        if out.is_empty() && matches!(entry.hash, Recorded::V1(_)) {
            out.push(old_recipe(d, version.pos, entry));
        }
    }
    out.extend(approval_mismatch(d, &entries));
    out
}

fn changed(d: &Document, change: Change, entry: &Entry) -> Diagnostic {
    let id = d.id.value.as_str();
    let v = d.version_text();
    let approved = format!("as approved on {} by {} ({LEDGER} line {})", entry.date, entry.by, entry.line);
    let (pos, message) = match change {
        Change::Attachment(k) if k < d.attachments.len() => {
            let att = &d.attachments[k];
            (
                att.pos,
                format!(
                    "{id} changed after approval: attachment `{}` is no longer the file version {v} was {approved}",
                    att.value
                ),
            )
        }
        _ => (
            d.version.as_ref().map_or(d.head, |x| x.pos),
            format!("{id} changed after approval: its content no longer matches version {v} {approved}"),
        ),
    };
    Diagnostic::new(rules::IN_CHANGED, &d.path, pos, message).hint(format!(
        "if the change is intended, raise `version`, add a `history` entry and approve the new version (`aimsdoc approve {id} --by NAME`); otherwise restore what was approved"
    ))
}

fn old_recipe(d: &Document, pos: Pos, entry: &Entry) -> Diagnostic {
    let id = d.id.value.as_str();
    Diagnostic::new(
        rules::IN_OLD_RECIPE,
        &d.path,
        pos,
        format!(
            "{id} version {} is recorded with content hash recipe v1 ({LEDGER} line {}), which does not cover attachments",
            d.version_text(),
            entry.line
        ),
    )
    .hint(format!(
        "if the attachments are as approved, record the approval again under recipe v2: `aimsdoc approve {id} --by {:?} --date {}` (adds a line; the old one stays)",
        entry.by, entry.date
    ))
}

fn not_in_ledger(d: &Document, pos: Pos, ledger: &Ledger) -> Diagnostic {
    let id = d.id.value.as_str();
    let others = ledger.versions_of(id);
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

/// The front matter approval must be one of the ledger's approvals of this version.
fn approval_mismatch(d: &Document, entries: &[&Entry]) -> Option<Diagnostic> {
    let approval = d.approval.as_ref()?;
    let by = approval.by.as_ref();
    let date = approval.date.as_ref();
    let matches = |e: &Entry| by.is_none_or(|b| b.value == e.by) && date.is_none_or(|x| x.value == e.date);
    if entries.iter().any(|e| matches(e)) {
        return None;
    }
    let first = entries.first()?;
    let pos = match (by, date) {
        (Some(b), _) if entries.iter().all(|e| e.by != b.value) => b.pos,
        (_, Some(x)) => x.pos,
        _ => approval.pos,
    };
    let recorded: Vec<String> = entries.iter().map(|e| format!("{} on {} (line {})", e.by, e.date, e.line)).collect();
    Some(
        Diagnostic::new(
            rules::IN_APPROVAL_MISMATCH,
            &d.path,
            pos,
            format!(
                "the front matter says approved by {} on {}, but {LEDGER} records {}",
                by.map_or("?", |b| b.value.as_str()),
                date.map_or("?".to_string(), |x| x.value.to_string()),
                recorded.join("; ")
            ),
        )
        .hint(format!(
            "approvals are recorded with `aimsdoc approve {} --by NAME --date YYYY-MM-DD`, which writes both (first recorded: {} on {})",
            d.id.value, first.by, first.date
        )),
    )
}
