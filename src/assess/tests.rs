//! The assessment of small fixture trees (the currency table tests live beside
//! [`super::currency`]).

use std::path::PathBuf;

use super::{assess, Assessment, Currency, Disposition, ItemState, Shortfall};
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
    assert_eq!(state("4.3"), [ItemState::Pending]); // a draft
    assert_eq!(state("6.2"), [ItemState::Pending]); // approved, review overdue
    let plan = index(&tree, "PLN-001");
    assert_eq!(a.currency[plan], Currency::Overdue);
    assert_eq!(a.items_of("6.2").flat_map(|i| &i.short).collect::<Vec<_>>(), [&(plan, Shortfall::Overdue)]);
    // The same tree in February: the plan's review is not yet due, so 6.2 is met; a year
    // earlier it was not approved yet, and a document meets nothing before it takes effect.
    let (_, earlier) = assessed("tests/fixtures/portal_checklist", "2026-02-01");
    assert_eq!(earlier.items_of("6.2").map(|i| i.state).collect::<Vec<_>>(), [ItemState::Met]);
    let (_, before) = assessed("tests/fixtures/portal_checklist", "2025-06-01");
    assert_eq!(before.items_of("6.2").map(|i| i.state).collect::<Vec<_>>(), [ItemState::Pending]);
}

/// The state, and the ids meeting and offered, of item `key`.
fn item_of<'a>(tree: &'a Tree, a: &'a Assessment, key: &str) -> (ItemState, Vec<&'a str>, Vec<(&'a str, Shortfall)>) {
    let item = a.checklist.iter().find(|i| i.key() == key).expect("item in the checklist");
    let id = |i: usize| tree.documents[i].id.value.as_str();
    (item.state, item.meeting.iter().map(|&i| id(i)).collect(), item.short.iter().map(|&(i, s)| (id(i), s)).collect())
}

#[test]
fn each_kind_of_item_needs_its_kind_of_evidence() {
    use ItemState::*;
    let (tree, a) = assessed("tests/fixtures/checklist_states", "2026-06-01");
    let item = |key: &str| item_of(&tree, &a, key);
    assert_eq!(item("5.2/policy"), (Met, vec!["POL-001"], vec![]));
    assert_eq!(item("4.3/scope"), (Pending, vec![], vec![("GOV-001", Shortfall::Draft)]));
    assert_eq!(item("6.2/objectives"), (Pending, vec![], vec![("PLN-001", Shortfall::Overdue)]));
    assert_eq!(item("6.1.2/process"), (Pending, vec![], vec![("PRC-001", Shortfall::NotYetEffective)]));
    assert_eq!(item("7.2/competence"), (Pending, vec![], vec![("REC-003", Shortfall::Draft)]));
    // A record tagged 9.3 counts for 9.3.3; from March 2025 it is older than a year.
    assert_eq!(item("9.3.3/results"), (Stale, vec!["REC-001"], vec![]));
    // The audit report pins the results; the audit programme (a plan) is not evidence of its
    // own implementation.
    assert_eq!(item("9.2.2/results"), (Met, vec!["RPT-002"], vec![("PLN-002", Shortfall::NotARecord)]));
    assert_eq!(item("9.2.2/programme"), (NotEvidenced, vec![], vec![("PLN-002", Shortfall::NotARecord)]));
    assert_eq!(item("9.1/results"), (NotEvidenced, vec![], vec![("EXT-001", Shortfall::External)]));
    assert_eq!(item("10.2/nature"), (Met, vec!["RPT-001"], vec![]));
    assert_eq!(item("10.2/results"), (Met, vec!["RPT-001"], vec![]));
    // Workshop notes tagged 6.1.3 are not the risk treatment process or plan.
    let notes = vec![("REC-004", Shortfall::NotAControlledDocument)];
    assert_eq!(item("6.1.3/process"), (NotEvidenced, vec![], notes.clone()));
    assert_eq!(item("6.1.3/plan"), (NotEvidenced, vec![], notes));
    assert_eq!(item("6.1.3/soa"), (NotEvidenced, vec![], vec![]));
    let count = |s: ItemState| a.checklist.iter().filter(|i| i.state == s).count();
    assert_eq!([Met, Stale, Pending, NotEvidenced].map(count), [4, 1, 4, 12]);
}

#[test]
fn recurrence_and_effective_dates_move_with_the_build_date() {
    use ItemState::*;
    // In February 2026 the March 2025 minutes are within a year; the risk method takes effect
    // on 2026-07-01 and meets its item from that day.
    let (tree, a) = assessed("tests/fixtures/checklist_states", "2026-02-28");
    assert_eq!(item_of(&tree, &a, "9.3.3/results").0, Met);
    let (tree, a) = assessed("tests/fixtures/checklist_states", "2026-07-01");
    assert_eq!(item_of(&tree, &a, "6.1.2/process"), (Met, vec!["PRC-001"], vec![]));
}

#[test]
fn soa_rows_of_the_example() {
    let (tree, a) = assessed("content-example", "2026-06-01");
    let soa = a.soa.document.expect("the example has an SoA");
    assert_eq!(a.soa.in_force, [soa]);
    assert_eq!(a.soa.rows.len(), 38);
    for r in &a.soa.rows {
        assert!(!r.implementers.contains(&soa), "the SoA implements no control");
        let backed = r.implementers.iter().any(|&i| a.currency[i].is_in_force());
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

#[test]
fn labels_name_the_version_and_the_effective_date() {
    let (tree, _) = assessed("tests/fixtures/valid_minimal", "2026-06-01");
    let d = &tree.documents[0];
    assert_eq!(Currency::VersionNotApproved.label(d), "version 1.0 not approved");
    assert_eq!(Currency::NotYetEffective.label(d), "approved, effective from 2026-01-15");
    assert_eq!(Currency::Overdue.label(d), "overdue");
}
