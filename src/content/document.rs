//! The typed document model: what the front matter schema in README ("Document schema") says, with positions.

use std::collections::BTreeMap;

use super::links::BodyLink;
use super::types::{Date, DocId, Origin, Outcome, Retention, Spanned, Status, Version};
use crate::yaml::Pos;

/// One controlled document, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    /// Source path relative to the content root, `/`-separated.
    pub path: String,
    /// Lowercase hex SHA-256 of the file's raw bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub size: u64,
    /// Unique id.
    pub id: Spanned<DocId>,
    /// Title (empty when missing: already reported).
    pub title: Spanned<String>,
    /// Document type (one of the configured types).
    pub doc_type: Spanned<String>,
    /// Owner role or person.
    pub owner: Spanned<String>,
    /// Version as written; `None` when missing or malformed (already reported).
    pub version: Option<Spanned<Version>>,
    /// Status; `None` when missing or malformed (already reported).
    pub status: Option<Spanned<Status>>,
    /// Approval block.
    pub approval: Option<Approval>,
    /// Effective date.
    pub effective: Option<Spanned<Date>>,
    /// Next review date.
    pub next_review: Option<Spanned<Date>>,
    /// Classification level, if given.
    pub classification: Option<Spanned<String>>,
    /// Retention period.
    pub retention: Option<Spanned<Retention>>,
    /// ISO/IEC 42001 clauses addressed.
    pub clauses: Vec<Spanned<String>>,
    /// Annex A controls implemented or evidenced.
    pub controls: Vec<Spanned<String>>,
    /// Checklist item keys the document meets (`9.2.2/results`); empty: judged by its clauses.
    pub satisfies: Vec<Spanned<String>>,
    /// Crosswalk references per framework (`nist-ai-rmf` -> ids).
    pub frameworks: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    /// Related documents.
    pub related: Vec<Spanned<DocId>>,
    /// Documents this one replaces.
    pub supersedes: Vec<Spanned<DocId>>,
    /// The successor of a superseded document.
    pub superseded_by: Option<Spanned<DocId>>,
    /// When, by whom and why a superseded or withdrawn document went out of force.
    pub obsolete: Option<Obsolete>,
    /// Evidence files, relative to the evidence root.
    pub attachments: Vec<Spanned<String>>,
    /// Internal or external origin.
    pub origin: Spanned<Origin>,
    /// Publisher of an external document.
    pub source: Option<Spanned<String>>,
    /// Reference of an external document (e.g. `ISO/IEC 42001:2023`).
    pub reference: Option<Spanned<String>>,
    /// Change history, newest first.
    pub history: Vec<HistoryEntry>,
    /// Periodic reviews, newest first.
    pub reviews: Vec<ReviewEntry>,
    /// Statement of Applicability entries (SoA documents).
    pub applicability: Vec<SoaEntry>,
    /// Where the `applicability` key is (or the head), for findings about the list as a whole.
    pub applicability_key: Pos,
    /// Links found in the body.
    pub links: Vec<BodyLink>,
    /// The Markdown body (shared with the tree's source text of the file).
    pub body: super::source::Body,
    /// File line on which the body starts.
    pub body_line: usize,
    /// Date of what a record records (the meeting, audit, assessment or event).
    pub record_date: Option<Spanned<Date>>,
    /// Whether `record_date` holds text (a malformed date is reported as such, not as missing).
    pub record_date_written: bool,
    /// Whether `retention` holds text (so a missing one is not reported when it is unreadable).
    pub retention_written: bool,
    /// Whether `next_review` holds text (a malformed date is reported as such, not as missing).
    pub next_review_written: bool,
    /// Why a record is under legal hold (its disposition is suspended).
    pub legal_hold: Option<Spanned<String>>,
    /// Position of the front matter's opening fence, for document-wide findings.
    pub head: Pos,
    /// Where the `status` key is (or the head), for status-level findings.
    pub status_key: Pos,
    /// Whether its body says nothing yet, and why (see [`super::guidance`]), judged once when
    /// parsed.
    pub(crate) unwritten: Option<super::guidance::Unwritten>,
}

/// Who approved, and when.
#[derive(Debug, Clone)]
pub struct Approval {
    /// Position of the `approval` key.
    pub pos: Pos,
    /// Approver.
    pub by: Option<Spanned<String>>,
    /// Approval date.
    pub date: Option<Spanned<Date>>,
    /// Whether `date` holds text (a malformed date is reported as such, not as missing).
    pub date_written: bool,
}

/// The record of a document going out of force (superseded or withdrawn).
#[derive(Debug, Clone)]
pub struct Obsolete {
    /// Position of the `obsolete` key.
    pub pos: Pos,
    /// The date it went out of force.
    pub date: Option<Spanned<Date>>,
    /// Who decided it.
    pub by: Option<Spanned<String>>,
    /// Why.
    pub reason: Option<Spanned<String>>,
}

/// One change-history entry.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// Where the entry starts.
    pub pos: Pos,
    /// Version of that change.
    pub version: Option<Spanned<Version>>,
    /// Date of that change.
    pub date: Option<Spanned<Date>>,
    /// Author.
    pub by: String,
    /// Where the author's name is (the entry when there is none).
    pub by_pos: Pos,
    /// What changed.
    pub summary: String,
    /// Where the summary is (the entry when there is none).
    pub summary_pos: Pos,
    /// The fields of `version`, `date`, `by` and `summary` not written (or empty).
    pub missing: Vec<&'static str>,
}

/// One periodic review.
#[derive(Debug, Clone)]
pub struct ReviewEntry {
    /// Where the entry starts.
    pub pos: Pos,
    /// Review date.
    pub date: Option<Spanned<Date>>,
    /// Reviewer.
    pub by: String,
    /// Where the reviewer's name is (the entry when there is none).
    pub by_pos: Pos,
    /// Outcome.
    pub outcome: Option<Outcome>,
}

/// Implementation status of an applicable control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Implementation {
    /// In place.
    Implemented,
    /// Partly in place.
    Partial,
    /// Planned.
    Planned,
}

impl Implementation {
    /// Every status, in order of progress (most complete first).
    pub const ALL: &[Implementation] = &[Implementation::Implemented, Implementation::Partial, Implementation::Planned];
    /// The words of [`Implementation::ALL`], as written in front matter.
    pub const WORDS: &[&str] = &["implemented", "partial", "planned"];

    /// The word as written in front matter, pages and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Implementation::Implemented => "implemented",
            Implementation::Partial => "partial",
            Implementation::Planned => "planned",
        }
    }

    /// The status a front matter word names.
    pub fn parse(word: &str) -> Option<Implementation> {
        Implementation::ALL.iter().copied().find(|s| s.as_str() == word)
    }
}

/// One Statement of Applicability entry.
#[derive(Debug, Clone)]
pub struct SoaEntry {
    /// Where the entry starts.
    pub pos: Pos,
    /// Control id.
    pub control: Option<Spanned<String>>,
    /// Applicable or excluded.
    pub applicable: Option<bool>,
    /// Implementation status.
    pub status: Option<Implementation>,
    /// Whether `applicable` and `status` were written at all (a malformed value is reported
    /// while parsing and then reads as `None`; it is not also missing).
    pub written: (bool, bool),
    /// Why included or excluded.
    pub justification: String,
    /// Where the justification is (the entry when there is none).
    pub justification_at: Pos,
    /// Where a control from outside Annex A comes from (6.1.3 allows other sources).
    pub source: Option<Spanned<String>>,
}

impl Document {
    /// The status, treating a missing one as draft.
    pub fn status(&self) -> Status {
        self.status.as_ref().map_or(Status::Draft, |s| s.value)
    }

    /// The version text, or `?` when missing.
    pub fn version_text(&self) -> &str {
        self.version.as_ref().map_or("?", |v| v.value.as_str())
    }

    /// The approval date, if recorded.
    pub fn approval_date(&self) -> Option<Date> {
        self.approval.as_ref()?.date.as_ref().map(|d| d.value)
    }

    /// The date the document takes effect: `effective`, else the approval date.
    pub fn effective_date(&self) -> Option<Date> {
        self.effective.as_ref().map(|d| d.value).or_else(|| self.approval_date())
    }

    /// The date it went out of force, if recorded.
    pub fn obsolete_date(&self) -> Option<Date> {
        self.obsolete.as_ref()?.date.as_ref().map(|d| d.value)
    }

    /// The most recent no-change review newer than the approval, if any.
    pub fn last_confirming_review(&self) -> Option<Date> {
        let approved = self.approval_date()?;
        self.reviews
            .iter()
            .filter(|r| r.outcome == Some(Outcome::NoChange))
            .filter_map(|r| r.date.as_ref().map(|d| d.value))
            .filter(|d| *d > approved)
            .max()
    }

    /// The date of the record: `record_date`, else the effective date, else the newest history
    /// date (documents other than records have no `record_date`).
    pub fn record_date(&self) -> Option<Date> {
        self.record_date
            .as_ref()
            .map(|d| d.value)
            .or_else(|| self.effective_date())
            .or_else(|| self.history.first().and_then(|h| h.date.as_ref()).map(|d| d.value))
    }

    /// Whether the document is a record (type `record` or `report`): retained, not reviewed.
    pub fn is_record(&self) -> bool {
        super::doc_types::RECORD_TYPES.contains(&self.doc_type.value.as_str())
    }

    /// Whether it comes from outside the organisation (`origin: external`, or type `external`).
    pub fn is_external(&self) -> bool {
        self.origin.value == Origin::External || self.doc_type.value == super::doc_types::EXTERNAL
    }
}
