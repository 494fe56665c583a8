//! The version in force while its successor is drafted (7.5.3): its text and attachments as
//! git holds them must be what `approvals.lock` records for it ("changed after approval"
//! otherwise, IN001), and each attachment must be recoverable, from its commit or from a work
//! tree copy the ledger proves (IN006 otherwise). The comparisons were made once, in
//! `assess::in_force_files`; this file only words them, at the draft's matching line.

use crate::assess::in_force::InForce;
use crate::assess::in_force_files::Problem;
use crate::assess::Assessment;
use crate::content::{Document, Tree};
use crate::diagnostics::{rules, Diagnostic};
use crate::integrity::LEDGER;
use crate::yaml::Pos;

/// The findings about every version in force.
pub(super) fn check_tree(tree: &Tree, assessment: &Assessment) -> Vec<Diagnostic> {
    let pairs = tree.documents.iter().zip(&assessment.in_force);
    pairs
        .filter_map(|(d, f)| Some((d, f.as_deref()?)))
        .flat_map(|(d, f)| f.problems.iter().map(move |p| finding(d, f, p)))
        .collect()
}

fn finding(d: &Document, f: &InForce, problem: &Problem) -> Diagnostic {
    let id = d.id.value.as_str();
    let v = &f.version;
    let commit = &f.files_commit[..f.files_commit.len().min(10)];
    let reapprove = format!(
        "restore what version {v} was approved with, or have the draft approved as its successor; until then version {v} does not count as in force"
    );
    match *problem {
        Problem::TextChanged { entry_line } => Diagnostic::new(
            rules::IN_CHANGED,
            &d.path,
            version_pos(d),
            format!("{id} version {v}, in force while this draft is open, changed after approval: its last committed text is not the one {LEDGER} line {entry_line} records"),
        )
        .hint(reapprove),
        Problem::AttachmentChanged { k, entry_line } => {
            let listed = attachment(f, k);
            Diagnostic::new(
                rules::IN_CHANGED,
                &d.path,
                attachment_pos(d, listed),
                format!("{id} version {v}, in force while this draft is open, changed after approval: neither commit {commit} nor the work tree holds the attachment `{listed}` that {LEDGER} line {entry_line} records"),
            )
            .hint(reapprove)
        }
        Problem::NotCommitted { k } => {
            let listed = attachment(f, k);
            Diagnostic::new(
                rules::IN_IN_FORCE_NOT_COMMITTED,
                &d.path,
                attachment_pos(d, listed),
                format!("attachment `{listed}` of {id} version {v}, in force while this draft is open, is not in commit {commit}, so the portal cannot show the file version {v} was approved with"),
            )
            .hint(format!("commit evidence together with the document that attaches it; record approvals with `aimsdoc approve {id}` so {LEDGER} holds each attachment's hash"))
        }
    }
}

fn attachment(f: &InForce, k: usize) -> &str {
    f.files.get(k).map_or("", |a| a.listed.as_str())
}

/// The draft's `attachments` entry naming the same file, else its `version` line.
fn attachment_pos(d: &Document, listed: &str) -> Pos {
    d.attachments.iter().find(|a| a.value == listed).map_or_else(|| version_pos(d), |a| a.pos)
}

fn version_pos(d: &Document) -> Pos {
    d.version.as_ref().map_or(d.head, |x| x.pos)
}
