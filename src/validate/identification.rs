//! Identification (7.5.2): ids are unique across the tree. Field presence and shape are checked
//! while parsing (`content::parse`).

use std::collections::HashMap;

use super::Ctx;
use crate::diagnostics::{rules, Diagnostic};

/// Reports every document whose id is already used by an earlier one (in path order).
pub fn check_tree(cx: &Ctx) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut out = Vec::new();
    for d in cx.docs {
        let id = d.id.value.as_str();
        match first.get(id) {
            None => {
                first.insert(id, &d.path);
            }
            Some(other) => out.push(
                Diagnostic::new(
                    rules::ID_DUPLICATE,
                    &d.path,
                    d.id.pos,
                    format!("id `{id}` is already used by `{other}`"),
                )
                .hint("give this document its own id; ids are unique and never reused"),
            ),
        }
    }
    out
}
