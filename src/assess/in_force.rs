//! The version in force while a successor is in draft or review. Putting an approved document
//! into draft to revise it does not take it out of force: the version last committed as
//! approved (from git, `provenance`) stays in force until the successor is approved. For each
//! document whose work tree text is a draft or in review, that earlier version is parsed from its
//! git blob and judged like any document (ledger, dates); the checklist and the SoA count it
//! instead of the draft. Its attachments are those of the last commit that held it, checked
//! against the ledger ([`in_force_files`](super::in_force_files)): a version whose text or files
//! contradict its ledger entry does not count. Without git history nothing changes.

use std::borrow::Cow;

use super::currency::{Currency, Window};
use super::in_force_files::{self, ApprovedFile, Problem};
use crate::config::Config;
use crate::content::load::parse_document;
use crate::content::types::{Status, Version};
use crate::content::Document;
use crate::graph::Graph;
use crate::integrity::ledger::Ledger;
use crate::provenance::{Provenance, VersionInfo};

/// The earlier version of a document that is in force while its work tree text is not.
#[derive(Debug, Clone)]
pub(crate) struct InForce {
    /// Its version.
    pub version: String,
    /// Its text as committed, parsed.
    pub doc: Document,
    /// Its currency on the build date (not approved when its text or files contradict the
    /// ledger).
    pub currency: Currency,
    /// The commit its attachments were read from (full hex).
    pub files_commit: String,
    /// Its attachments as approved.
    pub files: Vec<ApprovedFile>,
    /// What keeps it from being shown as approved.
    pub problems: Vec<Problem>,
}

impl InForce {
    /// It is the version in force: approved, matching its ledger entry and already effective
    /// (its review may be overdue: it is still the version that applies).
    pub(crate) fn stands(&self) -> bool {
        matches!(self.currency, Currency::Current | Currency::DueSoon | Currency::Overdue)
    }

    /// Why it is not the version in force, in words (empty when it [stands](Self::stands)).
    pub(crate) fn why_not(&self) -> String {
        let v = &self.version;
        match self.currency {
            _ if self.stands() => String::new(),
            _ if self.problems.iter().any(Problem::contradicts_ledger) => {
                format!("its committed text or attachments are not what approvals.lock records for version {v}")
            }
            Currency::VersionNotApproved => format!("its approval does not cover version {v}: approvals.lock has no entry for it, or the approval predates the version's history entry"),
            Currency::NotYetEffective => format!("version {v} is not yet effective"),
            other => format!("version {v} is {}", other.as_str()),
        }
    }
}

/// What the version in force is judged with.
pub(crate) struct Inputs<'a> {
    pub provenance: &'a Provenance,
    pub config: &'a Config,
    pub window: Window,
    pub ledger: Option<&'a Ledger>,
    pub graph: &'a Graph,
}

/// Per document (parallel to `docs`), the earlier version in force, if any.
pub(crate) fn build(docs: &[Document], inputs: &Inputs) -> Vec<Option<Box<InForce>>> {
    // Boxed: most documents have none, and an inline `Document` would cost every one of them a
    // kilobyte.
    docs.iter().map(|d| of(d, inputs).map(Box::new)).collect()
}

fn of(d: &Document, inputs: &Inputs) -> Option<InForce> {
    if !matches!(d.status(), Status::Draft | Status::Review) {
        return None;
    }
    let p = inputs.provenance;
    let v = last_approved(d, p)?;
    let snapshot = v.approved.as_ref()?;
    let doc = parse_document(&snapshot.path, &snapshot.text, inputs.config).filter(|old| old.id.value == d.id.value)?;
    // Only an approved text that was in force counts (not one committed approved by mistake
    // and since superseded or withdrawn).
    if doc.status() != Status::Approved {
        return None;
    }
    let repo = p.history()?.repo.as_ref()?;
    let evidence = inputs.config.paths.evidence.as_str();
    let (files, problems) = in_force_files::check(&doc, snapshot, repo, evidence, inputs.ledger, inputs.graph);
    let currency = match problems.iter().any(Problem::contradicts_ledger) {
        true => Currency::VersionNotApproved,
        false => Currency::of(&doc, inputs.window, inputs.ledger),
    };
    let files_commit = snapshot.held_until.to_string();
    Some(InForce { version: v.version.clone(), doc, currency, files_commit, files, problems })
}

/// The newest version committed as approved, other than the work tree's version and below it.
fn last_approved<'a>(d: &Document, p: &'a Provenance) -> Option<&'a VersionInfo> {
    let current = d.version.as_ref()?.value.clone();
    let history = p.doc(d.id.value.as_str())?;
    history
        .versions
        .iter()
        .filter(|v| v.approved.is_some())
        .filter_map(|v| Version::parse(&v.version).map(|n| (n, v)))
        .filter(|(n, _)| *n < current)
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, v)| v)
}

/// The documents and currencies the checklist and SoA count: the version in force where an
/// earlier one is, else the document as it is. Borrowed when nothing is replaced.
pub(crate) fn counted<'a>(
    docs: &'a [Document],
    currency: &'a [Currency],
    in_force: &'a [Option<Box<InForce>>],
) -> (Cow<'a, [Document]>, Cow<'a, [Currency]>) {
    if in_force.iter().all(Option::is_none) {
        return (Cow::Borrowed(docs), Cow::Borrowed(currency));
    }
    let pick = |i: usize| in_force[i].as_ref();
    let docs: Vec<Document> =
        (0..docs.len()).map(|i| pick(i).map_or_else(|| docs[i].clone(), |f| f.doc.clone())).collect();
    let currency: Vec<Currency> = (0..currency.len()).map(|i| pick(i).map_or(currency[i], |f| f.currency)).collect();
    (Cow::Owned(docs), Cow::Owned(currency))
}
