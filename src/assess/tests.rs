//! The assessment of small fixture trees (the currency table tests live beside
//! [`super::currency`]).

use std::path::PathBuf;

use super::{assess, Assessment, Currency, Disposition, ItemState};
use crate::config::{Config, Trust};
use crate::content::types::parse_date;
use crate::content::{self, Tree};
use crate::graph;

fn assessed(root: &str, today: &str) -> (Tree, Assessment) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(root);
    let config = Config::load(&root, Trust::Trusted).expect("fixture config loads");
    let tree = content::load(&root, &config).expect("fixture loads");
    let graph = graph::build(&tree, &config);
    let today = parse_date(today).expect("valid date");
    let assessment = assess(&tree, &graph, &config, today);
    (tree, assessment)
}

fn index(tree: &Tree, id: &str) -> usize {
    tree.documents.iter().position(|d| d.id.value.as_str() == id).expect("document in fixture")
}

#[test]
fn supersession_is_read_both_ways_and_chained_oldest_first() {
    // POL-001 names its successor; POL-003 names its predecessor; POL-002 names nobody.
    let (tree, a) = assessed("tests/fixtures/portal_supersession", "2026-06-01");
    let [p1, p2, p3] = ["POL-001", "POL-002", "POL-003"].map(|id| index(&tree, id));
    assert_eq!(a.lineage.predecessors[p2], [p1]);
    assert_eq!(a.lineage.successors[p2], [p3]);
    assert_eq!(a.lineage.successors[p1], [p2]);
    assert!(a.lineage.predecessors[p1].is_empty());
    for i in [p1, p2, p3] {
        assert_eq!(a.lineage.chain(i), [p1, p2, p3]);
    }
    assert_eq!(a.currency[p1], Currency::Superseded);
    assert_eq!(a.currency[p3], Currency::Current);
}

#[test]
fn a_document_alone_has_no_chain() {
    let (tree, a) = assessed("tests/fixtures/portal_checklist", "2026-06-01");
    assert!((0..tree.documents.len()).all(|i| a.lineage.chain(i).is_empty()));
}

#[test]
fn disposition_dates() {
    let (tree, a) = assessed("tests/fixtures/retention_past_disposition", "2026-06-01");
    let on = |s: &str| Disposition::On(parse_date(s).expect("valid date"));
    // 1y from the record date; superseded + 1y from the successor's effective date.
    assert_eq!(a.disposition[index(&tree, "REC-001")], on("2025-03-01"));
    assert_eq!(a.disposition[index(&tree, "POL-001")], on("2026-01-01"));
    assert_eq!(a.disposition[index(&tree, "POL-002")], Disposition::Permanent);
    assert_eq!(a.disposition[index(&tree, "REC-002")], on("2033-03-01"));
    assert!(a.past_disposition(index(&tree, "POL-001")));
    assert!(!a.past_disposition(index(&tree, "REC-002")));
}

#[test]
fn checklist_states_follow_currency() {
    let (tree, a) = assessed("tests/fixtures/portal_checklist", "2026-06-01");
    assert!(a.checklist_active);
    assert_eq!(a.checklist.len(), 21);
    let state = |clause: &str| a.items_of(clause).map(|i| i.state).collect::<Vec<_>>();
    assert_eq!(state("5.2"), [ItemState::Met]);
    assert_eq!(state("4.3"), [ItemState::Partial]); // a draft
    assert_eq!(state("6.2"), [ItemState::Partial]); // approved, review overdue
    let plan = index(&tree, "PLN-001");
    assert_eq!(a.currency[plan], Currency::Overdue);
    assert_eq!(a.items_of("6.2").flat_map(|i| &i.pending).collect::<Vec<_>>(), [&plan]);
    // The same tree a year earlier: the plan's review is not yet due, so 6.2 is met.
    let (_, earlier) = assessed("tests/fixtures/portal_checklist", "2025-06-01");
    assert_eq!(earlier.items_of("6.2").map(|i| i.state).collect::<Vec<_>>(), [ItemState::Met]);
}

#[test]
fn soa_rows_of_the_example() {
    let (tree, a) = assessed("content-example", "2026-06-01");
    let soa = a.soa.document.expect("the example has an SoA");
    assert_eq!(a.soa.in_force, [soa]);
    assert_eq!(a.soa.rows.len(), 38);
    for r in &a.soa.rows {
        assert!(!r.implementers.contains(&soa), "the SoA implements no control");
        let backed = r.implementers.iter().any(|&i| a.currency[i].is_current());
        assert_eq!(r.flagged, r.applicable() == Some(true) && !backed, "{}", r.control.id);
    }
    assert!(a.soa.row("A.2.2").is_some_and(|r| r.entry.is_some()));
    assert!(a.soa.row("A.9.9").is_none());
    assert_eq!(tree.documents[soa].doc_type.value, "soa");
}

#[test]
fn a_no_change_review_that_moved_next_review_leaves_the_document_current() {
    // Approved 2025-03-01, reviewed with no change 2026-02-20, next review moved to 2027-02-15.
    let (_, a) = assessed("tests/fixtures/review_no_change_moves_next_review", "2026-06-01");
    assert_eq!(a.currency, [Currency::Current]);
    let (_, later) = assessed("tests/fixtures/review_no_change_moves_next_review", "2027-02-01");
    assert_eq!(later.currency, [Currency::DueSoon]);
    let (_, late) = assessed("tests/fixtures/review_no_change_moves_next_review", "2027-02-16");
    assert_eq!(late.currency, [Currency::Overdue]);
}
