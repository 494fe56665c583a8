//! The front matter schema as data: every field with its shape, whether it is required, what it
//! means and which values it takes. The parser checks keys against this table and
//! `aimsdoc schema` turns it into JSON Schema, so the two cannot drift apart.

/// The shape of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One value, kept as text.
    Text,
    /// A document id such as `POL-001`.
    Id,
    /// Dotted numbers such as `"2.10"`, kept as written.
    Version,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Bool,
    /// A list of values (a lone value counts as a list of one).
    List,
    /// A list of document ids (a lone id counts as a list of one).
    IdList,
    /// A mapping with the given fields.
    Map(&'static [Field]),
    /// A list of mappings, each with the given fields.
    Entries(&'static [Field]),
    /// A mapping from framework name to a list of that framework's ids.
    Frameworks,
}

/// Which values a field accepts, beyond its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Values {
    /// Anything of the right shape.
    Any,
    /// Exactly these words.
    Fixed(&'static [&'static str]),
    /// The configured document types (`[documents] types` + `extra_types`).
    DocumentTypes,
    /// The configured classification levels.
    ClassificationLevels,
    /// The document statuses.
    Statuses,
    /// ISO/IEC 42001 clause numbers (checked after parsing, against the catalog).
    Clauses,
    /// ISO/IEC 42001 Annex A control ids (checked after parsing, against the catalog).
    Controls,
}

/// When a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Required {
    /// Never required.
    No,
    /// Always.
    Always,
    /// When `status` is one of these.
    WhenStatus(&'static [&'static str]),
    /// When the document is of external origin (`origin: external` or `type: external`).
    WhenExternal,
    /// When `type` is one of these (records: `record_date`, `retention`).
    WhenType(&'static [&'static str]),
    /// When `status` is one of the first list and `type` none of the second (records are not
    /// reviewed, so an approved record needs no `next_review`).
    WhenStatusNotType(&'static [&'static str], &'static [&'static str]),
}

/// One front matter field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    /// Key as written in YAML.
    pub name: &'static str,
    /// Shape of the value.
    pub shape: Shape,
    /// When it is required.
    pub required: Required,
    /// What it means, for editors and `aimsdoc schema`.
    pub description: &'static str,
    /// Allowed values.
    pub values: Values,
}

const fn field(name: &'static str, shape: Shape, required: Required, description: &'static str) -> Field {
    Field { name, shape, required, description, values: Values::Any }
}

const fn one_of(name: &'static str, values: Values, required: Required, description: &'static str) -> Field {
    Field { name, shape: Text, required, description, values }
}

use crate::content::doc_types::RECORD_TYPES;
use crate::content::document::Implementation;
use Required::{Always, No, WhenExternal, WhenStatus, WhenStatusNotType, WhenType};
use Shape::{Bool, Date, Entries, Frameworks, IdList, List, Map, Text, Version};

/// Every top-level front matter field.
pub(crate) const FIELDS: &[Field] = &[
    field(
        "id",
        Shape::Id,
        Always,
        "Unique, stable document id: capital letters and digits in dash-separated groups, e.g. POL-001.",
    ),
    field("title", Text, Always, "Title of the document."),
    one_of("type", Values::DocumentTypes, Always, "Kind of document (configurable in aimsdoc.toml)."),
    field("owner", Text, Always, "The role or person accountable for the document."),
    field("version", Version, Always, "Version as dotted numbers; quote it (\"1.10\" is not 1.1)."),
    one_of("status", Values::Statuses, Always, "Lifecycle status."),
    field(
        "approval",
        Map(APPROVAL_FIELDS),
        WhenStatus(&["approved", "superseded"]),
        "Who approved the document, and when.",
    ),
    field("effective", Date, No, "Date the document takes effect (defaults to the approval date)."),
    field(
        "next_review",
        Date,
        WhenStatusNotType(&["approved"], RECORD_TYPES),
        "Date of the next scheduled review (records and reports are retained, not reviewed: none).",
    ),
    one_of("classification", Values::ClassificationLevels, No, "Confidentiality level (configurable in aimsdoc.toml)."),
    field(
        "retention",
        Text,
        WhenType(RECORD_TYPES),
        "How long the document is kept: 6m, 7y, \"until superseded + 3y\" or permanent (required on records and reports).",
    ),
    field(
        "record_date",
        Date,
        WhenType(RECORD_TYPES),
        "Records and reports: the date of the meeting, audit, assessment or event recorded; retention counts from it.",
    ),
    field("legal_hold", Text, No, "Records: why the record is under legal hold; disposition is suspended while it is."),
    Field {
        values: Values::Clauses,
        ..field("clauses", List, No, "ISO/IEC 42001 clauses the document addresses, e.g. [\"5.2\", \"7.5.3\"].")
    },
    Field {
        values: Values::Controls,
        ..field("controls", List, No, "ISO/IEC 42001 Annex A controls implemented or evidenced, e.g. [\"A.2.2\"].")
    },
    field("frameworks", Frameworks, No, "Crosswalk references per framework, e.g. { nist-ai-rmf: [\"GOVERN 1.1\"] }."),
    field(
        "satisfies",
        List,
        No,
        "Checklist items this document meets, by catalog key, e.g. [\"9.2.2/results\"]; it then meets only those (without it, every item of its kind of the clauses it addresses).",
    ),
    field("related", IdList, No, "Ids of related documents."),
    field("supersedes", IdList, No, "Ids of the documents this one replaces (they have status superseded)."),
    field("superseded_by", Shape::Id, No, "On a superseded document: the id of its successor."),
    field(
        "obsolete",
        Map(OBSOLETE_FIELDS),
        WhenStatus(&["superseded", "withdrawn"]),
        "When, by whom and why a superseded or withdrawn document went out of force.",
    ),
    field("attachments", List, No, "Evidence files, relative to the evidence folder."),
    one_of(
        "origin",
        Values::Fixed(&["internal", "external"]),
        No,
        "Whether the document is written in-house or comes from outside (default internal).",
    ),
    field("source", Text, WhenExternal, "Publisher of an external document."),
    field("reference", Text, WhenExternal, "Reference of an external document, e.g. \"ISO/IEC 42001:2023\"."),
    field(
        "history",
        Entries(HISTORY_FIELDS),
        WhenStatus(&["approved", "superseded"]),
        "Change history, newest first: the evidence of version control.",
    ),
    field(
        "reviews",
        Entries(REVIEW_FIELDS),
        No,
        "Periodic reviews, newest first; a no-change review keeps the approval current.",
    ),
    field("applicability", Entries(SOA_FIELDS), No, "Statement of Applicability: one entry per Annex A control."),
];

/// Fields of `approval`.
pub(crate) const APPROVAL_FIELDS: &[Field] = &[
    field("by", Text, Always, "The approver: name and role, e.g. \"Jane Smith, CEO\"."),
    // A draft names only its planned approver; `check` requires the date once the document
    // claims approval (AP002), which a nested schema cannot express.
    field("date", Date, No, "Date of approval (none while a draft or in review: the approver is then only planned)."),
];

/// Fields of `obsolete`.
pub(crate) const OBSOLETE_FIELDS: &[Field] = &[
    field("date", Date, Always, "Date the document went out of force; retention \"until superseded\" counts from it."),
    field("by", Text, Always, "Who superseded or withdrew it: name and role."),
    field("reason", Text, Always, "Why it was superseded or withdrawn."),
];

/// Fields of one `history` entry.
pub(crate) const HISTORY_FIELDS: &[Field] = &[
    field("version", Version, Always, "Version this change produced."),
    field("date", Date, Always, "Date of the change."),
    field("by", Text, Always, "Who made the change (its author: not its approver)."),
    field("summary", Text, Always, "What changed."),
];

/// Fields of one `reviews` entry.
pub(crate) const REVIEW_FIELDS: &[Field] = &[
    field("date", Date, No, "Date of the review."),
    field("by", Text, No, "Who reviewed."),
    one_of("outcome", Values::Fixed(&["no-change", "revised"]), No, "Result of the review."),
];

/// Fields of one `applicability` entry.
pub(crate) const SOA_FIELDS: &[Field] = &[
    Field { values: Values::Controls, ..field("control", Text, No, "Annex A control id, e.g. \"A.2.2\".") },
    field("applicable", Bool, No, "Whether the control is applicable."),
    one_of("status", Values::Fixed(Implementation::WORDS), No, "Implementation status."),
    field("justification", Text, No, "Why the control is included or excluded."),
    field(
        "source",
        Text,
        No,
        "For a control from outside Annex A: where it comes from (e.g. \"ISO/IEC 27001:2022 A.8.28\").",
    ),
];

/// Longest title, in characters. A title is shown on every page that lists the document (the
/// register, the sidebar, every related page); 50 documents with 50 KB titles, all related to
/// each other, made 267 MB of output. The longest title in real AIMS registers is under 150.
pub(crate) const MAX_TITLE: usize = 300;
/// Longest name (owner, approver, reviewer, author of a change, publisher), in characters.
pub(crate) const MAX_NAME: usize = 200;
/// Longest prose value (a history `summary`, an SoA `justification`), in characters.
pub(crate) const MAX_PROSE: usize = 2_000;
/// Longest attachment path, in characters (paths deeper than this are not real evidence folders).
pub(crate) const MAX_PATH: usize = 1_000;
/// Longest of any other single value (ids, versions, dates, clause and control numbers, ...).
pub(crate) const MAX_VALUE: usize = 300;
/// Most entries in a list of related or superseded documents: each one puts the other
/// document's title on this page and a backlink on that one, so the output grows with the
/// product of the two. A real document names a few dozen at most.
pub(crate) const MAX_DOCUMENT_REFS: usize = 200;
/// Most entries in any other list (clauses, controls, framework ids, attachments, history,
/// reviews, applicability). The catalogs hold under 200 clauses, controls and framework ids,
/// the SoA 38 controls, and a thousand versions or reviews is centuries of weekly changes.
pub(crate) const MAX_ITEMS: usize = 1_000;

/// The most characters the value of field `key` may have (the same key means the same kind
/// of value in every table: `by` is always a name).
pub(crate) fn max_chars(key: &str) -> usize {
    match key {
        "title" => MAX_TITLE,
        "owner" | "by" | "source" => MAX_NAME,
        "summary" | "justification" | "legal_hold" | "reason" => MAX_PROSE,
        "attachments" => MAX_PATH,
        _ => MAX_VALUE,
    }
}

/// The most entries list field `key` may have.
pub(crate) fn max_items(key: &str) -> usize {
    match key {
        "related" | "supersedes" => MAX_DOCUMENT_REFS,
        _ => MAX_ITEMS,
    }
}

/// The keys of `fields`, in table order.
pub(crate) fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

/// The fixed words `name` accepts in `fields` (empty when the field takes free text).
#[cfg(test)]
pub(crate) fn fixed_values(fields: &'static [Field], name: &str) -> &'static [&'static str] {
    match fields.iter().find(|f| f.name == name).map(|f| f.values) {
        Some(Values::Fixed(v)) => v,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn all_tables() -> [&'static [Field]; 6] {
        [FIELDS, APPROVAL_FIELDS, OBSOLETE_FIELDS, HISTORY_FIELDS, REVIEW_FIELDS, SOA_FIELDS]
    }

    #[test]
    fn keys_are_unique_and_described() {
        for table in all_tables() {
            let keys: BTreeSet<_> = table.iter().map(|f| f.name).collect();
            assert_eq!(keys.len(), table.len());
            for f in table {
                assert!(f.description.ends_with('.'), "{}", f.name);
                assert!(f.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", f.name);
            }
        }
    }

    #[test]
    fn caps_leave_room_for_real_values() {
        assert_eq!(max_chars("title"), MAX_TITLE);
        assert_eq!(max_chars("by"), MAX_NAME);
        assert_eq!(max_chars("version"), MAX_VALUE);
        assert_eq!(max_items("related"), MAX_DOCUMENT_REFS);
        assert_eq!(max_items("history"), MAX_ITEMS);
        // Every catalog list fits: a document may list every clause, control and NIST id.
        let iso = crate::catalog::iso42001().entries.len();
        assert!(iso < max_items("clauses") && crate::catalog::nist_ai_rmf().nodes.len() < max_items("frameworks"));
    }

    #[test]
    fn fixed_values_are_found_by_key() {
        assert_eq!(fixed_values(FIELDS, "origin"), &["internal", "external"]);
        assert_eq!(fixed_values(REVIEW_FIELDS, "outcome"), &["no-change", "revised"]);
        assert!(fixed_values(FIELDS, "title").is_empty());
    }
}
