//! What `check` would say once the approval is written: the tree loaded again with the edited
//! document in place of the file on disk, linked, assessed and validated as `check` does. The
//! ledger line about to be written is the one thing the simulation cannot see, so the ledger's
//! "not recorded" findings about this document are left out.

use super::{Loaded, Request};
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
pub(super) fn after(req: &Request, l: &Loaded, rel: &str, text: &str) -> anyhow::Result<Outlook> {
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
