//! The rule table: every diagnostic code aimsdoc can emit, with its severity, the ISO/IEC 42001
//! clause it enforces and a help text. Codes are stable: never renumber, only add.

use super::Severity;

/// Metadata of one rule.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `ID001`.
    pub code: &'static str,
    /// Short name of the rule.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// The ISO/IEC 42001 clause the rule enforces.
    pub clause: &'static str,
    /// One-line explanation for rule listings and SARIF.
    pub help: &'static str,
}

/// Whether an error of a rule leaves a site that can still be rendered (`serve` shows pages with
/// an error banner where it can, and an overlay instead where it cannot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderImpact {
    /// The pages still make sense (a broken link, a change after approval).
    None,
    /// A page would vanish or be wrong: a file that could not be read or parsed, one id twice.
    Blocks,
    /// Blocks only when the document it is about could not be loaded (a missing `id`).
    BlocksIfUnloaded,
}

impl Rule {
    /// What an error of this rule means for rendering the site.
    pub fn render_impact(&self) -> RenderImpact {
        if std::ptr::eq(self, ID_DUPLICATE) || self.code.starts_with("FS") || self.code.starts_with("FM") {
            RenderImpact::Blocks
        } else if self.code.starts_with("ID") {
            RenderImpact::BlocksIfUnloaded
        } else {
            RenderImpact::None
        }
    }
}

macro_rules! rules {
    ($($ident:ident = $code:literal, $sev:ident, $clause:literal, $name:literal, $help:literal;)*) => {
        $(
            #[doc = $name]
            pub const $ident: &Rule = &Rule {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                clause: $clause,
                help: $help,
            };
        )*
        /// Every rule, in code order.
        pub const ALL: &[&Rule] = &[$($ident),*];
    };
}

rules! {
    FS_NOT_UTF8 = "FS001", Error, "7.5.2", "file is not UTF-8", "Documents must be UTF-8 text so they can be identified, diffed and hashed reliably.";
    FS_EMPTY = "FS002", Error, "7.5.2", "empty file", "A file under the documents root must be a document with front matter.";
    FS_SYMLINK_ESCAPE = "FS003", Error, "7.5.3", "symlink leaves the content root", "Everything published must come from inside the content root.";
    FS_UNREADABLE = "FS004", Error, "7.5.3", "file cannot be read", "The file exists but could not be read.";
    FM_MISSING = "FM001", Error, "7.5.2", "no front matter", "A document starts with a `---` line, its YAML front matter, and a closing `---` line.";
    FM_UNCLOSED = "FM002", Error, "7.5.2", "front matter not closed", "The front matter block needs a closing `---` line.";
    FM_EMPTY = "FM003", Error, "7.5.2", "empty front matter", "The front matter must identify the document (id, title, type, owner, version, status).";
    FM_SYNTAX = "FM004", Error, "7.5.2", "YAML syntax error", "The front matter is not valid YAML.";
    FM_NOT_MAPPING = "FM005", Error, "7.5.2", "front matter is not a mapping", "The front matter must be `key: value` lines.";
    FM_DUPLICATE_KEY = "FM006", Error, "7.5.2", "duplicate key", "Each front matter key may appear once.";
    FM_LIMIT = "FM007", Error, "7.5.2", "front matter too large or too deep", "Front matter is small; huge or deeply nested YAML is refused.";
    ID_MISSING = "ID001", Error, "7.5.2", "required field missing", "Every document needs id, title, type, owner, version and status.";
    ID_BAD_ID = "ID002", Error, "7.5.2", "malformed document id", "Ids look like `POL-001`: capital letters and digits in dash-separated groups.";
    ID_DUPLICATE = "ID003", Error, "7.5.2", "duplicate document id", "Ids are unique across the tree and stable forever.";
    ID_WRONG_SHAPE = "ID004", Error, "7.5.2", "field has the wrong shape", "A field holds a single value, a list or a mapping as the schema says.";
    ID_BAD_TYPE = "ID005", Error, "7.5.2", "unknown document type", "The type is one of the configured document types.";
    ID_BAD_STATUS = "ID006", Error, "7.5.2", "unknown status", "Status is draft, review, approved, superseded or withdrawn.";
    ID_BAD_VERSION = "ID007", Error, "7.5.2", "malformed version", "Versions are dotted numbers such as `1.0` or `2.10`.";
    ID_BAD_DATE = "ID008", Error, "7.5.2", "malformed date", "Dates are calendar dates written YYYY-MM-DD.";
    ID_BAD_CLASSIFICATION = "ID009", Error, "7.5.3", "unknown classification", "Classification is one of the configured levels.";
    ID_UNKNOWN_FIELD = "ID010", Warning, "7.5.2", "unknown field", "The field is not part of the document schema; it is probably misspelt.";
    ID_BAD_VALUE = "ID011", Error, "7.5.2", "value not allowed", "The value is not one of those the field accepts.";
    ID_PLACEHOLDER = "ID012", Warning, "7.5.2", "placeholder value", "A field still holds a placeholder such as `TODO` (as `aimsdoc new` writes them): fill in the real value.";
    ID_TOO_LONG = "ID013", Error, "7.5.2", "value too long", "Titles, names and other values have length caps (title 300 characters) that no real document reaches: they are shown on many pages, so a huge one makes a huge site.";
    ID_TOO_MANY = "ID014", Error, "7.5.2", "list too long", "Lists have caps no real document reaches (200 related or superseded documents, 1,000 of anything else): each entry is shown on several pages.";
    ID_SAME_TITLE = "ID015", Warning, "7.5.2", "same title as a document in force", "Two documents in force with one title are two versions of the same thing: supersede the old one or retitle the new one.";
    ID_UNWRITTEN = "ID016", Warning, "7.5.2", "body not written yet", "The body still holds the guidance `aimsdoc new` writes under each heading, or nothing but headings (and the document has no attachments): write what the document says.";
    ID_APPROVED_UNWRITTEN = "ID017", Error, "7.5.2", "approved without content", "An approved document or issued record whose body is still the template's guidance, or nothing but headings with no attachments, approves nothing and meets no checklist item: write the content, then approve a new version.";
    AP_MISSING = "AP001", Error, "7.5.2", "approval missing", "Approved and superseded documents record who approved them and when.";
    AP_INCOMPLETE = "AP002", Error, "7.5.2", "approval incomplete", "An approval names the approver (`by`) and the date.";
    AP_FUTURE = "AP003", Error, "7.5.2", "approval date in the future", "A document cannot be approved on a date that has not come yet.";
    AP_SELF_APPROVED = "AP004", Warning, "7.5.2", "approver is the owner", "Segregation of duties: someone other than the owner approves.";
    AP_EFFECTIVE_EARLY = "AP005", Error, "7.5.2", "effective before approval", "A document cannot take effect before it is approved.";
    AP_PREDATES_VERSION = "AP006", Error, "7.5.2", "approval predates the version", "An approval is dated on or after the history entry of the version it approves: an older approval approved an older text.";
    AP_AUTHOR_APPROVED = "AP007", Warning, "7.5.2", "approver authored the version", "Segregation of duties: the author of a version (the `by` of its history entry) does not approve it (severity from `[review] segregation_of_duties`).";
    AP_NO_AUTHORITY = "AP008", Error, "7.5.2", "approver lacks authority", "The approver is one of the roles or people `[approval.authority]` in aimsdoc.toml allows for the document's type.";
    RV_MISSING = "RV001", Error, "7.5.2", "no next review date", "Approved documents carry `next_review`.";
    RV_OVERDUE = "RV002", Warning, "7.5.2", "review overdue", "The document's review date has passed.";
    RV_DUE_SOON = "RV003", Notice, "7.5.2", "review due soon", "The review date falls within the warning window.";
    RV_INTERVAL = "RV004", Warning, "7.5.2", "review interval too long", "The next review is further from the last approval or review than the policy allows.";
    RV_BEFORE_APPROVAL = "RV005", Error, "7.5.2", "review date before approval", "The next review must come after the approval or last review.";
    RV_FUTURE_REVIEW = "RV006", Error, "7.5.2", "review recorded in the future", "A review entry's date must not be in the future.";
    RV_REVISED_NO_VERSION = "RV007", Error, "7.5.2", "revised review without a new version", "A review whose outcome is `revised` is followed by a new version dated on or after the review.";
    VC_VERSION_MISMATCH = "VC001", Error, "7.5.3", "version does not match history", "`version` equals the version of the newest `history` entry.";
    VC_HISTORY_ORDER = "VC002", Error, "7.5.3", "history out of order", "History lists versions newest first, strictly decreasing.";
    VC_NO_SUCCESSOR = "VC003", Error, "7.5.3", "superseded without successor", "A superseded document names an existing successor.";
    VC_NO_HISTORY = "VC004", Error, "7.5.3", "no change history", "Approved documents keep a change history.";
    VC_HISTORY_DATE = "VC005", Error, "7.5.3", "history date problem", "History dates are not in the future and do not increase going down.";
    VC_SUPERSEDES_STATUS = "VC006", Error, "7.5.3", "superseded document not marked superseded", "A document named in `supersedes` has status superseded.";
    VC_HISTORY_INCOMPLETE = "VC007", Error, "7.5.3", "history entry incomplete", "Every history entry records `version`, `date`, `by` and `summary`: it is the evidence of version control.";
    VC_RELIES_ON_OBSOLETE = "VC008", Warning, "7.5.3", "relies on an obsolete document", "An approved document refers to the document in force, not to a superseded or withdrawn one (prevent unintended use of obsolete information).";
    VC_WITHDRAWN_RELIED_ON = "VC009", Error, "7.5.3", "withdrawn while relied upon", "A document is withdrawn only when no approved document or SoA entry still relies on it.";
    VC_BAD_SUCCESSOR = "VC010", Error, "7.5.3", "successor does not fit", "`superseded_by` names one approved (or, in a chain, superseded) document that supersedes this one and no other claims.";
    VC_NO_OBSOLETE_RECORD = "VC011", Error, "7.5.3", "obsolete record missing", "Superseded and withdrawn documents record when, by whom and why: `obsolete: { date, by, reason }`.";
    VC_CHANGED_NO_VERSION = "VC012", Error, "7.5.3", "changed without a new version", "Since the base revision of `check --changed-since REV`, a document whose content changed carries a new version with its history entry.";
    VC_VERSION_BACKWARDS = "VC013", Error, "7.5.3", "version went backwards", "Since the base revision of `check --changed-since REV`, a document's version only increases: a version number names one text.";
    VC_REAPPROVED_UNCHANGED = "VC014", Error, "7.5.2", "re-approved without a change", "Since the base revision of `check --changed-since REV`, an approval block changes only with a new version; confirming an unchanged version is a `reviews` entry.";
    LK_CLAUSE = "LK001", Error, "7.5.3", "unknown clause", "Clause numbers exist in the ISO/IEC 42001 catalog.";
    LK_CONTROL = "LK002", Error, "7.5.3", "unknown Annex A control", "Control ids exist in ISO/IEC 42001 Annex A.";
    LK_DOCUMENT = "LK003", Error, "7.5.3", "unknown document", "Referenced document ids exist in the tree.";
    LK_BODY_DOC = "LK004", Error, "7.5.3", "broken document link", "`doc:` links name an existing document id.";
    LK_BODY_CATALOG = "LK005", Error, "7.5.3", "broken clause or control link", "`clause:` and `control:` links name catalog entries.";
    LK_BODY_RELATIVE = "LK006", Error, "7.5.3", "broken relative link", "Relative links point at files inside the content root.";
    LK_ATTACHMENT_MISSING = "LK007", Error, "7.5.3", "attachment missing", "Attachments exist under the evidence root.";
    LK_ATTACHMENT_OUTSIDE = "LK008", Error, "7.5.3", "attachment outside the evidence root", "Attachments are relative paths inside the evidence root.";
    LK_FRAMEWORK = "LK009", Error, "7.5.3", "unknown framework reference", "Framework references name a known catalog and an id in it.";
    LK_ATTACHMENT_REFUSED = "LK010", Error, "7.5.3", "attachment refused", "Only regular files inside the evidence folder that are tracked (not hidden, not ignored) are published.";
    LK_ORPHAN_EVIDENCE = "LK011", Notice, "7.5.3", "orphan evidence", "Every file in the evidence folder is attached to the document it evidences; an unattached file is uncontrolled evidence.";
    LK_CHECKLIST_ITEM = "LK012", Error, "7.5.3", "unknown or unaddressed checklist item", "`satisfies` names checklist items by their catalog key, such as `9.2.2/results`, of clauses the document lists in `clauses`.";
    FS_SYMLINK_REFUSED = "FS005", Error, "7.5.3", "symlink in an untrusted tree", "A pull request's tree (`--untrusted`) may not contain symlinks.";
    FS_NAME_NOT_UTF8 = "FS006", Error, "7.5.2", "file name is not UTF-8", "Document paths identify documents in findings, pages and the ledger, so their names must be UTF-8.";
    FS_EVIDENCE_NAME_NOT_UTF8 = "FS007", Warning, "7.5.3", "evidence file name is not UTF-8", "An evidence file is named in attachments, links, the evidence index and `SHA256SUMS`; a name that is not UTF-8 can be written in none of them, so the file cannot be controlled.";
    RT_BAD = "RT001", Error, "7.5.3", "unreadable retention", "Retention is `6m`, `7y`, `until superseded + 3y` or `permanent`.";
    RT_PAST_DISPOSITION = "RT002", Warning, "7.5.3", "past disposition date", "The record's retention period has ended: dispose of it or extend retention.";
    RT_MISSING = "RT003", Error, "7.5.3", "record without retention", "Records and reports say how long they are kept (`retention`), so they are neither lost early nor kept for ever.";
    RT_BELOW_MINIMUM = "RT004", Error, "7.5.3", "retention below the minimum", "A record's retention is at least the minimum `[retention] minimum` sets for its type.";
    RC_NO_DATE = "RC001", Error, "7.5.3", "record without record date", "Records and reports carry `record_date`, the date of the meeting, audit, assessment or event they record; retention counts from it.";
    RC_REVISED = "RC002", Warning, "7.5.3", "record revised in place", "A record is issued once (drafts 0.x, the record 1.0, corrections 1.1...); new content under a new major version overwrites the evidence it held: add a new record instead.";
    RC_DATED_IN_FUTURE = "RC003", Error, "7.5.3", "record dated in the future", "A record is written after the event it records: its `record_date` is not after the build date.";
    RC_APPROVED_BEFORE_EVENT = "RC004", Error, "7.5.2", "record approved before its event", "A record is reviewed and approved after the event it records: its approval date is not before its `record_date`.";
    EX_INCOMPLETE = "EX001", Error, "7.5.3", "external document not identified", "Documents of external origin name their source and reference.";
    EX_ORIGIN_MISMATCH = "EX002", Error, "7.5.3", "origin contradicts type", "Documents of type external have origin external.";
    SA_MISSING = "SA001", Error, "6.1.3", "control missing from the SoA", "The Statement of Applicability states, for every one of the 38 Annex A controls, whether it applies.";
    SA_DUPLICATE = "SA002", Error, "6.1.3", "control listed twice in the SoA", "Each Annex A control appears exactly once in the Statement of Applicability.";
    SA_UNKNOWN = "SA003", Error, "6.1.3", "not an Annex A control", "Statement of Applicability entries name Annex A controls such as `A.6.2.4`.";
    SA_NO_JUSTIFICATION = "SA004", Error, "6.1.3", "no justification", "Every SoA entry justifies why the control is included or excluded.";
    SA_NO_APPLICABILITY = "SA005", Error, "6.1.3", "applicability not stated", "Every SoA entry says `applicable: true` or `applicable: false`.";
    SA_NO_STATUS = "SA006", Error, "6.1.3", "implementation status missing", "Applicable controls record their implementation status: implemented, partial or planned.";
    SA_SEVERAL = "SA007", Error, "6.1.3", "more than one SoA", "One Statement of Applicability is in force at a time; replace an old one with `supersedes`.";
    SA_NONE = "SA008", Warning, "6.1.3", "no Statement of Applicability", "An AIMS has a Statement of Applicability (a document of type `soa`).";
    SA_UNIMPLEMENTED = "SA009", Warning, "6.1.3", "claimed implemented, no approved document", "A control the SoA calls implemented or partial is listed in the `controls` of an approved document.";
    SA_CONTRADICTED = "SA010", Error, "6.1.3", "excluded control contradicted", "A control the SoA excludes has no implementation status and no approved document implementing it.";
    SA_EMPTY_JUSTIFICATION = "SA011", Error, "6.1.3", "justification not meaningful", "A justification says why, in words: `n/a`, `-`, `tbd`, `none` and the like are placeholders, not justifications.";
    CV_MISSING = "CV001", Warning, "7.5.1", "mandatory documented information not evidenced", "Each required item is met by the evidence its kind needs: an approved, in-force internal controlled document, an approved dated record or report, or the Statement of Applicability.";
    CV_NOT_CURRENT = "CV002", Warning, "7.5.1", "mandatory documented information only in drafts or documents not current", "The documents offered for a required item are only drafts, in review, overdue for review, not yet effective, or records without a date.";
    CV_STALE = "CV003", Warning, "7.5.1", "recurring record stale", "The newest record of a recurring item (management review, internal audit, monitoring, risk and impact assessment) is older than its expected period.";
    IN_CHANGED = "IN001", Error, "7.5.3", "changed after approval", "An approved document's content matches the approvals.lock entry for its version; a change needs a new version and a new approval.";
    IN_NOT_IN_LEDGER = "IN002", Error, "7.5.2", "approved but not in the ledger", "When the tree has an approvals.lock, every approved version is recorded in it (`aimsdoc approve`).";
    IN_APPROVAL_MISMATCH = "IN003", Error, "7.5.2", "approval differs from the ledger", "The approver and date in the front matter are those approvals.lock records for the version.";
    IN_LEDGER_SYNTAX = "IN004", Error, "7.5.3", "unreadable ledger line", "Each approvals.lock line is `ID VERSION CONTENT-HASH YYYY-MM-DD APPROVER`, one approval, its content the same as every other line of that version.";
    IN_OLD_RECIPE = "IN005", Notice, "7.5.3", "ledger entry uses an old hash recipe", "The approvals.lock entry was written with content hash recipe v1, which does not cover attachments: re-approve to bind them.";
    IN_IN_FORCE_NOT_COMMITTED = "IN006", Warning, "7.5.3", "attachment of the version in force not committed", "While a successor is drafted, the version in force keeps the attachments it was approved with: each is committed with it (or recorded in approvals.lock), so the portal can publish the approved bytes.";
}

/// Looks a rule up by code.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let codes: BTreeSet<_> = ALL.iter().map(|r| r.code).collect();
        assert_eq!(codes.len(), ALL.len());
        for r in ALL {
            assert_eq!(r.code.len(), 5, "{}", r.code);
            assert!(crate::catalog::iso42001().get(r.clause).is_some(), "{}: clause {}", r.code, r.clause);
            assert!(by_code(r.code).is_some());
        }
    }
}
