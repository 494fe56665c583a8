//! NIST's AI RMF to ISO/IEC 42001 crosswalk: for each NIST subcategory, the ISO/IEC 42001
//! clauses and Annex A controls it relates to (relationship "related"; the source gives no
//! strength), plus our per-category roll-up.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::{load_embedded, text};
use crate::yaml::Node;

const CROSSWALK_YAML: &str = include_str!("crosswalk-nist-iso42001.yaml");

/// One row: a NIST id and the ISO/IEC 42001 ids it maps to.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    /// NIST AI RMF id (a subcategory, or a category in the roll-up).
    pub nist: String,
    /// ISO/IEC 42001 clause ids, in source order.
    pub clauses: Vec<String>,
    /// Annex A control ids, in source order.
    pub controls: Vec<String>,
    /// Remark on a quirk of the source, if any.
    pub note: Option<String>,
}

/// The crosswalk.
#[derive(Debug)]
pub struct Crosswalk {
    /// Title of the publication.
    pub title: String,
    /// Where it is published.
    pub url: String,
    /// Which ISO/IEC 42001 text it was written against.
    pub based_on: String,
    /// One row per NIST subcategory.
    pub mappings: Vec<Mapping>,
    /// Union of the rows per NIST category (derived, not in the source).
    pub rollup: Vec<Mapping>,
    index: HashMap<String, usize>,
    rollup_index: HashMap<String, usize>,
}

impl Crosswalk {
    /// The row of a subcategory.
    pub fn get(&self, nist: &str) -> Option<&Mapping> {
        self.index.get(nist).map(|&i| &self.mappings[i])
    }

    /// The roll-up row of a category.
    pub fn category(&self, nist: &str) -> Option<&Mapping> {
        self.rollup_index.get(nist).map(|&i| &self.rollup[i])
    }
}

/// The crosswalk, parsed on first use.
pub fn nist_iso42001() -> &'static Crosswalk {
    static CROSSWALK: OnceLock<Crosswalk> = OnceLock::new();
    CROSSWALK.get_or_init(|| parse(CROSSWALK_YAML).expect("the embedded crosswalk is valid (tested)"))
}

fn parse(src: &str) -> Result<Crosswalk, String> {
    let root = load_embedded(src)?;
    let source = root.get("source").ok_or("no source")?;
    let rows = |key: &str| -> Result<Vec<Mapping>, String> {
        root.get(key).and_then(Node::as_seq).ok_or(format!("no {key}"))?.iter().map(mapping).collect()
    };
    let mappings = rows("mappings")?;
    let rollup = rows("category_rollup")?;
    let index_of = |list: &[Mapping]| list.iter().enumerate().map(|(i, m)| (m.nist.clone(), i)).collect();
    Ok(Crosswalk {
        title: text(source, "title").unwrap_or_default(),
        url: text(source, "url").unwrap_or_default(),
        based_on: text(source, "based_on_iso_text").unwrap_or_default(),
        index: index_of(&mappings),
        rollup_index: index_of(&rollup),
        mappings,
        rollup,
    })
}

fn mapping(node: &Node) -> Result<Mapping, String> {
    let ids = |key: &str| -> Vec<String> {
        node.get(key)
            .and_then(Node::as_seq)
            .map(|s| s.iter().filter_map(Node::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    Ok(Mapping {
        nist: text(node, "nist").ok_or("row without nist id")?,
        clauses: ids("iso42001_clauses"),
        controls: ids("iso42001_controls"),
        note: text(node, "note"),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalog::{iso42001, nist_ai_rmf, Kind};

    #[test]
    fn every_row_resolves_against_both_catalogs() {
        let cw = nist_iso42001();
        assert_eq!(cw.mappings.len(), 72);
        assert_eq!(cw.rollup.len(), 19);
        let iso = iso42001();
        for m in cw.mappings.iter().chain(&cw.rollup) {
            assert!(nist_ai_rmf().get(&m.nist).is_some(), "{}", m.nist);
            for c in &m.clauses {
                assert_eq!(iso.get(c).map(|e| e.kind), Some(Kind::Clause), "{}: {c}", m.nist);
            }
            for c in &m.controls {
                assert_eq!(iso.get(c).map(|e| e.kind), Some(Kind::AnnexControl), "{}: {c}", m.nist);
            }
        }
        let controls: BTreeSet<_> = cw.mappings.iter().flat_map(|m| &m.controls).collect();
        let clauses: BTreeSet<_> = cw.mappings.iter().flat_map(|m| &m.clauses).collect();
        assert_eq!((controls.len(), clauses.len()), (38, 27));
        assert!(cw.get("GOVERN 1.1").is_some_and(|m| m.clauses == ["4.1", "6.2"]));
        assert!(cw.category("GOVERN 1").is_some());
    }
}
