//! What `check` would say once the approval is written: the tree loaded again with the edited
//! document in place of the file on disk, linked, assessed and validated as `check` does. An
//! approval after which it would report an error (or a placeholder) in the document is refused.
//! The ledger line about to be written is the one thing the simulation cannot see, so the
//! ledger's "not recorded" findings about this document are left out.

use super::{refuse_with_help, Loaded, Plan, Refused, Request};
use crate::content;
use crate::diagnostics::{rules, Counts, Diagnostic, Severity};
use crate::site::{self, Options};

/// The findings about `rel` once it reads `text`, and the counts of the whole tree.
pub(super) struct Outlook {
    /// Findings in the edited document (errors and warnings).
    pub findings: Vec<Diagnostic>,
    /// Documents in the tree.
    pub documents: usize,
    /// Findings in the whole tree afterwards, by severity.
    pub counts: Counts,
}

/// Checks the tree with `rel` replaced by `text`.
fn after(req: &Request, l: &Loaded, rel: &str, text: &str) -> anyhow::Result<Outlook> {
    let mut tree = content::load(&req.root, &l.config)?;
    content::load::substitute(&mut tree, rel, text.to_string(), &l.config);
    let opts = Options { root: req.root.clone(), strict: false, today: req.today, trust: l.config.trust };
    let checked = site::analyse(l.config.clone(), tree, &opts);
    let pending = |d: &Diagnostic| {
        d.file == rel && (d.code == rules::IN_NOT_IN_LEDGER.code || d.code == rules::IN_APPROVAL_MISMATCH.code)
    };
    let remaining: Vec<Diagnostic> = checked.diagnostics.into_iter().filter(|d| !pending(d)).collect();
    let counts = Counts::of(&remaining);
    let findings = remaining.into_iter().filter(|d| d.file == rel && d.severity != Severity::Notice).collect();
    Ok(Outlook { findings, documents: checked.tree.documents.len(), counts })
}

/// Refuses an approval after which `check` would report an error (or a placeholder) in the
/// document; keeps its other warnings for the report, and returns what `check` would find.
pub(super) fn foresee(req: &Request, l: &Loaded, plan: &mut Plan) -> anyhow::Result<Result<Outlook, Refused>> {
    let path = plan.approved.path.clone();
    let text =
        plan.document.clone().or_else(|| l.tree.sources.get(&path).map(|s| s.text().into_owned())).unwrap_or_default();
    let outlook = after(req, l, &path, &text)?;
    let blocking: Vec<String> = outlook
        .findings
        .iter()
        .filter(|d| d.severity == Severity::Error || d.code == rules::ID_PLACEHOLDER.code)
        .map(|d| format!("{}:{}:{}: {}[{}] {}", d.file, d.line, d.column, d.severity.as_str(), d.code, d.message))
        .collect();
    if !blocking.is_empty() {
        return Ok(refuse_with_help(
            false,
            format!("once approved, `aimsdoc check` would report:\n  {}", blocking.join("\n  ")),
            "fix these in the document, then approve again; nothing was written",
        ));
    }
    let shown = outlook.findings.iter().map(|d| format!("{}:{}: {} [{}]", d.file, d.line, d.message, d.code));
    plan.approved.warnings.extend(shown);
    Ok(Ok(outlook))
}

/// The summary line `check` will print once the approval is written. A ledger this approval
/// starts is the one thing the simulation cannot see: every other document that claims approval
/// is then "not in the ledger" (IN002) until recorded.
pub(super) fn summary(req: &Request, l: &Loaded, outlook: &Outlook) -> String {
    let mut counts = outlook.counts;
    if l.ledger_text.is_none() {
        counts.errors += l
            .tree
            .documents
            .iter()
            .filter(|d| d.id.value.as_str() != req.id && d.status().needs_approval() && d.version.is_some())
            .count();
    }
    crate::diagnostics::format::summary(outlook.documents, counts)
}
