//! The NIST AI RMF 1.0 core (functions, categories, subcategories), for crosswalk references.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::{load_embedded, text};
use crate::yaml::Node;

const NIST_YAML: &str = include_str!("nist-ai-rmf.yaml");

/// One function, category or subcategory.
#[derive(Debug, Clone, Serialize)]
pub struct NistNode {
    /// NIST id, e.g. `GOVERN 1.1`.
    pub id: String,
    /// Our editorial short title.
    pub short_title: String,
    /// NIST's outcome statement (a U.S. Government work).
    pub statement: String,
    /// 0 function, 1 category, 2 subcategory.
    pub level: u8,
}

/// The NIST AI RMF core, in document order.
#[derive(Debug)]
pub struct NistCatalog {
    /// All nodes, functions first within their subtree (depth-first order).
    pub nodes: Vec<NistNode>,
    index: HashMap<String, usize>,
}

impl NistCatalog {
    /// Looks an id up.
    pub fn get(&self, id: &str) -> Option<&NistNode> {
        self.index.get(id).map(|&i| &self.nodes[i])
    }

    /// The closest id, for "did you mean" hints.
    pub fn suggest(&self, id: &str) -> Option<&str> {
        crate::util::closest(id, self.nodes.iter().map(|n| n.id.as_str()))
    }
}

/// The NIST AI RMF catalog, parsed on first use.
pub fn nist_ai_rmf() -> &'static NistCatalog {
    static CATALOG: OnceLock<NistCatalog> = OnceLock::new();
    CATALOG.get_or_init(|| parse(NIST_YAML).expect("the embedded NIST AI RMF catalog is valid (tested)"))
}

fn parse(src: &str) -> Result<NistCatalog, String> {
    let root = load_embedded(src)?;
    let mut nodes = Vec::new();
    let functions = root.get("functions").and_then(Node::as_seq).ok_or("no functions")?;
    for f in functions {
        push(&mut nodes, f, 0)?;
        for c in f.get("categories").and_then(Node::as_seq).unwrap_or_default() {
            push(&mut nodes, c, 1)?;
            for s in c.get("subcategories").and_then(Node::as_seq).unwrap_or_default() {
                push(&mut nodes, s, 2)?;
            }
        }
    }
    let index = nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
    Ok(NistCatalog { nodes, index })
}

fn push(nodes: &mut Vec<NistNode>, node: &Node, level: u8) -> Result<(), String> {
    let id = text(node, "id").ok_or("node without id")?;
    nodes.push(NistNode {
        short_title: text(node, "short_title").unwrap_or_default(),
        statement: text(node, "statement").unwrap_or_default(),
        id,
        level,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_framework() {
        let c = nist_ai_rmf();
        let count = |l| c.nodes.iter().filter(|n| n.level == l).count();
        assert_eq!((count(0), count(1), count(2)), (4, 19, 72));
        assert!(c.get("GOVERN 1.1").is_some());
        assert!(c.get("GOVERN 9.9").is_none());
    }
}
