//! The site navigation every page shows: the main sections, documents by type (with counts,
//! linking to the register filtered by that type), clauses 4-10 and the Annex A groups. Built
//! once per build and shared by every page, so a page costs the same with 10 or 10,000
//! documents: the sidebar never lists documents one by one.

use serde::Serialize;

use super::view::{catalog_href, DocRow};
use crate::catalog::{self, Kind};
use crate::config::Config;

/// The sidebar model (`nav` in every template).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Nav {
    /// Main sections: dashboard, register, SoA, evidence, checklist, crosswalks.
    pub sections: Vec<NavLink>,
    /// Document types in use, in configured order, each with its number of documents.
    pub types: Vec<NavLink>,
    /// Clauses 4-10.
    pub clauses: Vec<NavLink>,
    /// Annex A control groups A.2-A.10.
    pub annex: Vec<NavLink>,
}

/// One sidebar link.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavLink {
    /// What `nav_current` equals on the pages this link leads to or contains (`register`,
    /// `type:policy`, `entry:7`, `entry:A.6`).
    pub key: String,
    /// Number shown before the label (clause or group number), or empty.
    pub number: String,
    /// Label.
    pub label: String,
    /// Target relative to the site root.
    pub href: String,
    /// Number of documents (types only).
    pub count: Option<usize>,
}

impl NavLink {
    fn section(key: &str, label: &str, href: &str) -> NavLink {
        NavLink { key: key.into(), number: String::new(), label: label.into(), href: href.into(), count: None }
    }
}

impl Nav {
    /// Adds the link to `changes.html` (only a build with `--changes-since` has the page).
    pub(crate) fn add_changes(&mut self, since: &str) {
        let label = format!("Changes since {since}");
        self.sections.insert(1, NavLink::section("changes", &label, super::changes::PATH));
    }
}

/// Builds the sidebar from the configuration and the register rows (one pass over the rows).
pub(crate) fn build(config: &Config, rows: &[DocRow]) -> Nav {
    let sections = vec![
        NavLink::section("dashboard", "Dashboard", "index.html"),
        NavLink::section("register", "Document register", "register.html"),
        NavLink::section("soa", "Statement of Applicability", "soa.html"),
        NavLink::section("evidence", "Evidence index", "evidence.html"),
        NavLink::section("checklist", "Mandatory documented information", "checklist.html"),
        NavLink::section("nist", "NIST AI RMF crosswalk", super::crosswalk::NIST_PAGE),
        NavLink::section("iso27001", "ISO/IEC 27001", super::crosswalk::ISO27001_PAGE),
    ];
    Nav { sections, types: types(config, rows), clauses: top(Kind::Clause), annex: top(Kind::AnnexObjective) }
}

/// One link per document type that has documents, with its count, in the configured order.
fn types(config: &Config, rows: &[DocRow]) -> Vec<NavLink> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in rows {
        *counts.entry(r.doc_type.as_str()).or_default() += 1;
    }
    config
        .document_types()
        .filter_map(|t| {
            let count = *counts.get(t)?;
            Some(NavLink {
                key: format!("type:{t}"),
                number: String::new(),
                label: type_label(t),
                href: format!("register.html#type={}", super::pages::encode_path(t)),
                count: Some(count),
            })
        })
        .collect()
}

/// The top-level ISO/IEC 42001 entries of `kind` (clauses, or Annex A groups).
fn top(kind: Kind) -> Vec<NavLink> {
    catalog::iso42001()
        .of_kind(kind)
        .filter(|e| e.parent.is_none())
        .map(|e| NavLink {
            key: format!("entry:{}", e.id),
            number: e.id.clone(),
            label: e.title.clone(),
            href: catalog_href(&e.id),
            count: None,
        })
        .collect()
}

/// The sidebar key of a clause or Annex A page: its top-level clause or group.
pub(crate) fn entry_key(id: &str) -> String {
    let mut parts = id.split('.');
    let first = parts.next().unwrap_or_default();
    match (first, parts.next()) {
        ("A", Some(group)) => format!("entry:A.{group}"),
        _ => format!("entry:{first}"),
    }
}

/// A plural label for the built-in types; other types as written.
pub(crate) fn type_label(t: &str) -> String {
    crate::content::doc_types::label(t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_keys_name_the_top_level_clause_or_group() {
        assert_eq!(entry_key("7.5.3"), "entry:7");
        assert_eq!(entry_key("10"), "entry:10");
        assert_eq!(entry_key("A.6.2.4"), "entry:A.6");
        assert_eq!(entry_key("A.10"), "entry:A.10");
    }

    #[test]
    fn the_sidebar_lists_clauses_groups_and_types_in_use() {
        let nav = build(&Config::default(), &[]);
        let numbers = |l: &[NavLink]| l.iter().map(|x| x.number.clone()).collect::<Vec<_>>();
        assert_eq!(numbers(&nav.clauses), ["4", "5", "6", "7", "8", "9", "10"]);
        assert_eq!(numbers(&nav.annex), ["A.2", "A.3", "A.4", "A.5", "A.6", "A.7", "A.8", "A.9", "A.10"]);
        assert!(nav.types.is_empty(), "no documents, no types");
        assert_eq!(type_label("soa"), "SoA documents");
        assert_eq!(type_label("memo"), "memo");
    }
}
