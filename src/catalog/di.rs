//! The documented-information items of the ISO/IEC 42001 catalog (`di_items`, schema 2): what a
//! clause asks to be maintained (a controlled document), retained (a dated record) or stated in
//! the Statement of Applicability, with the recurrence certification practice expects of
//! records. The checklist ([`crate::assess::checklist`]) judges the tree against these items.

use serde::Serialize;

use crate::content::types::{Period, Retention};
use crate::yaml::Node;

/// What kind of evidence an item needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Documented information to be maintained: an approved, in-force controlled document.
    Document,
    /// Documented information to be retained as evidence: a dated record or report.
    Record,
    /// The Statement of Applicability itself.
    Soa,
}

impl ItemKind {
    /// The word of the catalog, the pages and `checklist.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Document => "document",
            ItemKind::Record => "record",
            ItemKind::Soa => "soa",
        }
    }

    fn parse(word: &str) -> Option<ItemKind> {
        [ItemKind::Document, ItemKind::Record, ItemKind::Soa].into_iter().find(|k| k.as_str() == word)
    }
}

/// One item of documented information a clause requires.
#[derive(Debug, Clone, Serialize)]
pub struct DiItem {
    /// Stable key, `CLAUSE/name` (`9.3.3/results`), as written in `satisfies`.
    pub key: String,
    /// What must be documented or retained, in our words.
    pub text: String,
    /// The evidence it needs.
    pub kind: ItemKind,
    /// How often certification practice expects a new record (records only; configurable).
    #[serde(serialize_with = "period_text")]
    pub expected_every: Option<Period>,
    /// A user-facing note shown in the portal.
    pub note: Option<String>,
}

fn period_text<S: serde::Serializer>(p: &Option<Period>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_str(&p.to_string()),
        None => s.serialize_none(),
    }
}

/// A period such as `1y` or `6m` (the syntax of a retention period).
pub fn parse_period(text: &str) -> Option<Period> {
    match Retention::parse(text)? {
        Retention::For(p) => Some(p),
        _ => None,
    }
}

/// The `di_items` of clause `id`, checked: every key starts with the clause number, every kind
/// is known, and only records recur.
pub(super) fn parse_items(id: &str, node: Option<&Node>) -> Result<Vec<DiItem>, String> {
    let Some(items) = node.and_then(Node::as_seq) else { return Ok(Vec::new()) };
    items.iter().map(|item| parse_item(id, item)).collect()
}

fn parse_item(id: &str, item: &Node) -> Result<DiItem, String> {
    let field = |key: &str| super::text(item, key);
    let key = field("key").ok_or_else(|| format!("{id}: di_item without key"))?;
    if key.split_once('/').is_none_or(|(clause, name)| clause != id || name.is_empty()) {
        return Err(format!("{id}: di_item key {key:?} is not `{id}/name`"));
    }
    let kind = field("kind").as_deref().and_then(ItemKind::parse).ok_or_else(|| format!("{key}: unknown kind"))?;
    let expected_every = match field("expected_every") {
        Some(p) => Some(parse_period(&p).ok_or_else(|| format!("{key}: bad expected_every {p:?}"))?),
        None => None,
    };
    if expected_every.is_some() && kind != ItemKind::Record {
        return Err(format!("{key}: only record items recur"));
    }
    let text = field("text").ok_or_else(|| format!("{key}: no text"))?;
    Ok(DiItem { key, text, kind, expected_every, note: field("note") })
}
