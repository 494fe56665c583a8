//! The embedded reference catalogs: ISO/IEC 42001 clauses and Annex A, the NIST AI RMF core, the
//! NIST to ISO/IEC 42001 crosswalk and the ISO/IEC 27001 harmonized-structure comparison.
//!
//! The YAML files beside this module are copies of the project's catalog data (numbers,
//! official short titles and our own one-line summaries, never ISO's requirement text). They
//! are compiled into the binary and parsed once on first use, so the tool needs no files at
//! run time.

mod crosswalk;
mod di;
mod iso27001;
mod nist;

pub use crosswalk::{nist_iso42001, Crosswalk, Mapping};
pub use di::{parse_period, DiItem, ItemKind};
pub use iso27001::{iso27001_comparison, HsClause};
pub use nist::{nist_ai_rmf, NistCatalog, NistNode};

/// The key of the NIST AI RMF in a document's `frameworks` map.
pub const NIST_AI_RMF: &str = "nist-ai-rmf";

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::yaml::{self, Limits, Node};

const ISO42001_YAML: &str = include_str!("iso42001.yaml");

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A clause or sub-clause of 4-10.
    Clause,
    /// An Annex A control objective (A.2, A.6.1, ...).
    AnnexObjective,
    /// An Annex A control (A.2.2, ...).
    AnnexControl,
}

/// Whether the standard calls for documented information at a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocInfo {
    /// The clause explicitly requires documented information.
    Required,
    /// Clause 7.5.x, which governs documented information in general.
    Meta,
    /// No explicit requirement.
    None,
}

/// One clause, objective or control.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Number, e.g. `6.1.2` or `A.6.2.4`.
    pub id: String,
    /// Official short title.
    pub title: String,
    /// Enclosing clause or objective.
    pub parent: Option<String>,
    /// Clause, objective or control.
    pub kind: Kind,
    /// Our own one-sentence summary.
    pub summary: String,
    /// Documented-information requirement (clauses only; `None` for Annex A).
    pub documented_information: DocInfo,
    /// What must be documented or retained, when required.
    pub di_items: Vec<DiItem>,
    /// A user-facing note on the requirement (shown in the portal).
    pub di_note: Option<String>,
}

/// The ISO/IEC 42001 catalog.
#[derive(Debug)]
pub struct Catalog {
    /// Designation, e.g. `ISO/IEC 42001:2023`.
    pub designation: String,
    /// Entries in document order.
    pub entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// Looks an id up.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// Entries of one kind, in document order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.kind == kind)
    }

    /// The ids closest to `id` (for "did you mean" hints), best first.
    pub fn suggest(&self, id: &str, kind: Kind) -> Option<&str> {
        crate::util::closest(id, self.of_kind(kind).map(|e| e.id.as_str()))
    }

    /// Every documented-information item with its clause, in catalog order.
    pub fn items(&self) -> impl Iterator<Item = (&Entry, &DiItem)> {
        self.entries.iter().flat_map(|e| e.di_items.iter().map(move |i| (e, i)))
    }

    /// The documented-information item with key `key` (`9.3.3/results`).
    pub fn item(&self, key: &str) -> Option<(&Entry, &DiItem)> {
        let clause = self.get(key.split_once('/')?.0)?;
        clause.di_items.iter().find(|i| i.key == key).map(|i| (clause, i))
    }

    /// The item key closest to `key` (for "did you mean" hints).
    pub fn suggest_item(&self, key: &str) -> Option<&str> {
        crate::util::closest(key, self.items().map(|(_, i)| i.key.as_str()))
    }

    /// Whether `ancestor` is `id` or one of the clauses enclosing it.
    pub fn is_within(&self, id: &str, ancestor: &str) -> bool {
        let mut at = Some(id);
        while let Some(current) = at {
            if current == ancestor {
                return true;
            }
            at = self.get(current).and_then(|e| e.parent.as_deref());
        }
        false
    }
}

/// The ISO/IEC 42001 catalog, parsed on first use.
pub fn iso42001() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| parse_iso(ISO42001_YAML).expect("the embedded ISO/IEC 42001 catalog is valid (tested)"))
}

/// Sort key that orders clause and control numbers naturally (4.2 < 4.10 < A.2.2 < A.10.2).
pub fn sort_key(id: &str) -> (bool, Vec<u32>) {
    let annex = id.starts_with("A.");
    let digits = if annex { &id[2..] } else { id };
    (annex, digits.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect())
}

pub(crate) fn load_embedded(text: &str) -> Result<Node, String> {
    let limits = Limits { max_depth: 16, max_nodes: 200_000 };
    yaml::parse(text, 1, limits)
        .map_err(|e| format!("{}: {}", e.pos.line, e.message))?
        .ok_or_else(|| "empty catalog".to_string())
}

pub(crate) fn text(node: &Node, key: &str) -> Option<String> {
    node.get(key).filter(|n| !n.is_null()).and_then(Node::as_str).map(str::to_string)
}

fn parse_iso(text_src: &str) -> Result<Catalog, String> {
    let root = load_embedded(text_src)?;
    let designation = root.get("standard").and_then(|s| text(s, "designation")).unwrap_or_default();
    let items = root.get("entries").and_then(Node::as_seq).ok_or("no entries")?;
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let id = text(item, "id").ok_or("entry without id")?;
        let kind = match text(item, "kind").as_deref() {
            Some("clause") => Kind::Clause,
            Some("annex-objective") => Kind::AnnexObjective,
            Some("annex-control") => Kind::AnnexControl,
            other => return Err(format!("{id}: unknown kind {other:?}")),
        };
        let documented_information = match text(item, "documented_information").as_deref() {
            Some("required") => DocInfo::Required,
            Some("meta") => DocInfo::Meta,
            _ => DocInfo::None,
        };
        let di_items = di::parse_items(&id, item.get("di_items"))?;
        if (documented_information == DocInfo::Required) == di_items.is_empty() {
            return Err(format!("{id}: di_items are listed exactly when documented information is required"));
        }
        entries.push(Entry {
            title: text(item, "title").ok_or_else(|| format!("{id}: no title"))?,
            parent: text(item, "parent"),
            summary: text(item, "summary").unwrap_or_default(),
            di_note: text(item, "di_note"),
            id,
            kind,
            documented_information,
            di_items,
        });
    }
    let index = entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
    Ok(Catalog { designation, entries, index })
}

/// Words that betray an internal source remark (who listed an item, where sources disagree):
/// none may reach a page of the portal.
pub const SOURCE_REMARKS: &[&str] =
    &["advisera", "glocert", "isomanaged", "compholis", "ciso-assistant", "the brief", "listed by", "sources disagree"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_the_expected_counts() {
        let c = iso42001();
        assert_eq!(c.of_kind(Kind::Clause).count(), 43);
        assert_eq!(c.of_kind(Kind::AnnexObjective).count(), 11);
        assert_eq!(c.of_kind(Kind::AnnexControl).count(), 38);
        let required: Vec<_> =
            c.of_kind(Kind::Clause).filter(|e| e.documented_information == DocInfo::Required).collect();
        assert_eq!(required.len(), 16);
        assert_eq!(required.iter().map(|e| e.di_items.len()).sum::<usize>(), 21);
        assert_eq!(c.designation, "ISO/IEC 42001:2023");
        let kinds = |k: ItemKind| c.items().filter(|(_, i)| i.kind == k).count();
        assert_eq!((kinds(ItemKind::Document), kinds(ItemKind::Record), kinds(ItemKind::Soa)), (7, 13, 1));
        let recurring: Vec<&str> =
            c.items().filter(|(_, i)| i.expected_every.is_some()).map(|(_, i)| i.key.as_str()).collect();
        assert_eq!(
            recurring,
            [
                "8.2/results",
                "8.3/results",
                "8.4/results",
                "9.1/results",
                "9.2.2/programme",
                "9.2.2/results",
                "9.3.3/results"
            ]
        );
    }

    #[test]
    fn item_keys_are_unique_and_found() {
        let c = iso42001();
        let keys: std::collections::BTreeSet<&str> = c.items().map(|(_, i)| i.key.as_str()).collect();
        assert_eq!(keys.len(), 21);
        let (clause, item) = c.item("9.3.3/results").expect("listed");
        assert_eq!((clause.id.as_str(), item.kind), ("9.3.3", ItemKind::Record));
        assert_eq!(item.expected_every, Some(crate::content::types::Period { months: 12 }));
        assert_eq!(c.item("6.1.3/soa").map(|(_, i)| i.kind), Some(ItemKind::Soa));
        assert!(c.item("9.3.3/result").is_none() && c.item("9.3.3").is_none() && c.item("1/x").is_none());
        assert_eq!(c.suggest_item("9.3.3/result"), Some("9.3.3/results"));
        assert!(c.is_within("9.3.3", "9.3") && c.is_within("9.3.3", "9") && c.is_within("9.3", "9.3"));
        assert!(!c.is_within("9.3", "9.3.3") && !c.is_within("9.2.2", "9.3"));
    }

    #[test]
    fn notes_shown_in_the_portal_name_no_source() {
        // `note` and `di_note` reach client-facing pages; where sources disagree, and who they
        // are, stays in YAML comments for maintainers.
        let c = iso42001();
        let notes = c.entries.iter().flat_map(|e| e.di_note.iter().chain(e.di_items.iter().flat_map(|i| &i.note)));
        // The ISO/IEC 27001 comparison page shows its notes too.
        for note in notes.chain(iso27001_comparison().iter().flat_map(|c| &c.note)) {
            let lower = note.to_lowercase();
            for word in SOURCE_REMARKS {
                assert!(!lower.contains(word), "{note:?} names a source ({word})");
            }
        }
    }

    #[test]
    fn bad_items_are_refused() {
        let head =
            "entries:\n  - id: \"4.3\"\n    title: Scope\n    kind: clause\n    documented_information: required\n";
        let bad = [
            "    di_items:\n      - key: \"4.4/scope\"\n        text: Scope\n        kind: document\n",
            "    di_items:\n      - key: \"4.3/scope\"\n        text: Scope\n        kind: paper\n",
            "    di_items:\n      - key: \"4.3/scope\"\n        text: Scope\n        kind: document\n        expected_every: 1y\n",
            "    di_items:\n      - key: \"4.3/scope\"\n        text: Scope\n        kind: record\n        expected_every: soon\n",
            "",
        ];
        for tail in bad {
            assert!(parse_iso(&format!("{head}{tail}")).is_err(), "{tail}");
        }
        let ok = "    di_items:\n      - key: \"4.3/scope\"\n        text: Scope\n        kind: record\n        expected_every: 6m\n";
        let c = parse_iso(&format!("{head}{ok}")).expect("parses");
        assert_eq!(c.entries[0].di_items[0].expected_every, Some(crate::content::types::Period { months: 6 }));
    }

    #[test]
    fn lookups_and_suggestions() {
        let c = iso42001();
        assert_eq!(c.get("A.6.2.4").map(|e| e.kind), Some(Kind::AnnexControl));
        assert!(c.get("A.2.1").is_none());
        assert_eq!(c.suggest("A.6.24", Kind::AnnexControl), Some("A.6.2.4"));
    }

    #[test]
    fn natural_order() {
        let mut ids = vec!["A.10.2", "10.1", "4.10", "4.2", "A.2.2"];
        ids.sort_by_key(|id| sort_key(id));
        assert_eq!(ids, ["4.2", "4.10", "10.1", "A.2.2", "A.10.2"]);
    }
}
