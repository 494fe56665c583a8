//! The YAML tree: never panics or hangs (limits hold), every position is inside the text, and
//! no mapping keeps a duplicate scalar key.
#![no_main]

use aimsdoc::fuzzing::yaml;
use aimsdoc::yaml::{Node, NodeKind};
use libfuzzer_sys::fuzz_target;

fn check(node: &Node, lines: usize) {
    assert!(node.pos.line >= 1 && node.pos.line <= lines + 1, "line {} of {lines}", node.pos.line);
    assert!(node.pos.column >= 1);
    match &node.kind {
        NodeKind::Scalar(..) => {}
        NodeKind::Seq(items) => items.iter().for_each(|n| check(n, lines)),
        NodeKind::Map(entries) => {
            let mut keys = std::collections::BTreeSet::new();
            for (k, v) in entries {
                check(k, lines);
                check(v, lines);
                if let NodeKind::Scalar(s, _) = &k.kind {
                    assert!(keys.insert(s.clone()), "duplicate key {s:?} kept");
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.split('\n').count();
    if let Ok(Some(root)) = yaml(text) {
        check(&root, lines);
    }
});
