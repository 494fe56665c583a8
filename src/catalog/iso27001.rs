//! ISO/IEC 27001:2022 clauses 4-10 beside ISO/IEC 42001:2023: which clauses the two share
//! through the harmonized structure, for organisations running an integrated ISMS and AIMS.

use std::sync::OnceLock;

use serde::Serialize;

use super::{load_embedded, text};
use crate::yaml::Node;

const ISO27001_YAML: &str = include_str!("iso27001-annexsl.yaml");

/// One clause number compared across the two standards.
#[derive(Debug, Clone, Serialize)]
pub struct HsClause {
    /// Clause number (the same in both standards).
    pub id: String,
    /// ISO/IEC 27001:2022 title, if the clause exists there.
    pub iso27001_title: Option<String>,
    /// ISO/IEC 42001:2023 title.
    pub iso42001_title: Option<String>,
    /// Part of the harmonized structure common to management-system standards.
    pub hs_core: bool,
    /// `identical`, `discipline-named`, `reworded` or `iso42001-only`.
    pub relation: String,
    /// Remark, if any.
    pub note: Option<String>,
}

/// The comparison, in clause order.
pub fn iso27001_comparison() -> &'static [HsClause] {
    static CLAUSES: OnceLock<Vec<HsClause>> = OnceLock::new();
    CLAUSES.get_or_init(|| parse(ISO27001_YAML).expect("the embedded ISO/IEC 27001 comparison is valid (tested)"))
}

fn parse(src: &str) -> Result<Vec<HsClause>, String> {
    let root = load_embedded(src)?;
    let items = root.get("clauses").and_then(Node::as_seq).ok_or("no clauses")?;
    items
        .iter()
        .map(|item| {
            Ok(HsClause {
                id: text(item, "id").ok_or("clause without id")?,
                iso27001_title: text(item, "iso27001_title"),
                iso42001_title: text(item, "iso42001_title"),
                hs_core: text(item, "hs_core").as_deref() == Some("true"),
                relation: text(item, "relation").unwrap_or_default(),
                note: text(item, "note"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_catalog_notes() {
        let all = iso27001_comparison();
        assert_eq!(all.len(), 43);
        let count = |r: &str| all.iter().filter(|c| c.relation == r).count();
        assert_eq!(
            (count("identical"), count("discipline-named"), count("reworded"), count("iso42001-only")),
            (31, 8, 2, 2)
        );
        for c in all {
            assert!(crate::catalog::iso42001().get(&c.id).is_some(), "{}", c.id);
            assert_eq!(c.iso27001_title.is_none(), c.relation == "iso42001-only", "{}", c.id);
        }
    }
}
