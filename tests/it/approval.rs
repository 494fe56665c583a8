//! Issue 11, "approval binds to the version it approves": the rules AP006-AP008, VC007, RV007
//! and IN005 on their fixtures (code, severity, file, line, column), the currency "version N
//! not approved", the configuration of segregation of duties and approval authority, attachments
//! bound into the content hash, and `aimsdoc approve` (effective and next review moved, dual
//! approval, no-op, refusals, a ledger that never loses a line).

use std::fs;
use std::path::Path;

use crate::common::{aimsdoc_on, stderr, stdout, Fixture, TODAY};

const A: &str = "documents/a.md";
const POL: &str = "documents/pol-001.md";
const PRC: &str = "documents/prc-001.md";

fn approve(root: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    aimsdoc_on(TODAY).arg("approve").args(args).arg(root).assert()
}

/// The approvals `integrity_basic` states, recorded.
fn recorded_basic() -> Fixture {
    let fx = Fixture::copy("integrity_basic");
    approve(fx.root(), &["POL-001", "--by", "Jane Smith, CEO", "--date", "2026-01-15"]).code(0);
    approve(fx.root(), &["PRC-001", "--by", "AI Governance Board", "--date", "2026-02-01"]).code(0);
    fx
}

fn ledger(fx: &Fixture) -> String {
    fs::read_to_string(fx.root().join("approvals.lock")).expect("ledger")
}

/// Every line of `old` is in `new`, in the same order.
#[track_caller]
fn keeps_every_line(old: &str, new: &str) {
    let mut rest = new.lines();
    for line in old.lines() {
        assert!(rest.any(|l| l == line), "line lost or moved: {line:?}\n--- before\n{old}--- after\n{new}");
    }
}

// ---- rules -------------------------------------------------------------------------------

#[test]
fn approval_predates_version() {
    // Version 1.1 was written on 2026-03-02 but the approval is still 1.0's of 2026-01-15.
    Fixture::new("approval_predates_version")
        .check()
        .exactly(&[("AP006", A, 8, 42)])
        .severity("AP006", A, 8, "error")
        .message("AP006", A, 8, "predates version 1.1 (its history entry is dated 2026-03-02)")
        .hint("AP006", A, 8, "aimsdoc approve POL-001");
}

#[test]
fn a_draft_may_keep_the_approval_of_its_previous_version() {
    // Work on 1.1 under way: the 1.0 approval still in the file claims nothing.
    let fx = Fixture::copy("approval_predates_version").edit(A, "status: approved", "status: draft");
    fx.check().clean();
    let fx = Fixture::copy("approver_authored_version").edit(A, "status: approved", "status: review");
    fx.check().clean();
}

#[test]
fn a_version_not_approved_is_shown_so_and_counts_for_nothing() {
    let out = aimsdoc_on(TODAY)
        .args(["register", "--format", "json"])
        .arg(crate::common::fixture("approval_predates_version"))
        .assert()
        .code(1);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(rows[0]["state"], "not-approved");
    assert_eq!(rows[0]["state_label"], "version 1.1 not approved");
    // With a ledger, a version it does not record is not approved either (and IN002 is an error).
    let fx = recorded_basic().edit(POL, "version: \"1.0\"", "version: \"1.1\"").edit(
        POL,
        "history:\n",
        "history:\n  - { version: \"1.1\", date: 2026-01-12, by: J. Smith, summary: Named owners }\n",
    );
    fx.check().exactly(&[("IN002", POL, 7, 10)]).severity("IN002", POL, 7, "error");
    let out = aimsdoc_on(TODAY).args(["register", "--format", "json"]).arg(fx.root()).assert().code(1);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let pol = rows.as_array().expect("rows").iter().find(|r| r["id"] == "POL-001").expect("POL-001");
    assert_eq!(pol["state_label"], "version 1.1 not approved");
}

#[test]
fn a_version_not_approved_meets_no_checklist_item() {
    // POL-001 addresses 5.2 (the AI policy, a required item): approved at 1.0, it would meet it.
    let tree = |status_line: &str| {
        Fixture::copy("approval_predates_version")
            .edit(A, "history:", "clauses: [\"5.2\"]\nhistory:")
            .edit(A, "status: approved", status_line)
            .write("aimsdoc.toml", "[checklist]\nenabled = true\n")
            .portal()
    };
    let checked = tree("status: approved").check();
    checked.note("CV001", "aimsdoc.toml", 1, ("aimsdoc.toml", 1, 1), "5.2/policy");
    checked.note("CV001", "aimsdoc.toml", 1, ("aimsdoc.toml", 1, 1), "only in POL-001 (version not approved)");
    let fixed = Fixture::copy("valid_minimal")
        .edit(A, "history:", "clauses: [\"5.2\"]\nhistory:")
        .write("aimsdoc.toml", "[checklist]\nenabled = true\n")
        .portal()
        .check();
    let gap_notes = fixed.diags.iter().filter(|d| d.code.starts_with("CV")).flat_map(|d| &d.notes);
    assert!(
        gap_notes.clone().count() > 0 && gap_notes.clone().all(|n| !n.message.contains("(clause 5.2 ")),
        "{}",
        fixed.dump()
    );
}

#[test]
fn approver_authored_version() {
    // Segregation of duties: "Jane Smith, CEO" approves the version "Jane Smith" wrote.
    let fx = Fixture::new("approver_authored_version");
    fx.check().exactly(&[("AP007", A, 8, 17)]).severity("AP007", A, 8, "warning").exit(0);
    fx.check().message("AP007", A, 8, "approves version 1.0 that they wrote");
    Fixture::new("approver_authored_version").strict().check().exactly(&[("AP007", A, 8, 17)]).exit(1);
    let configured = |value: &str| {
        Fixture::copy("approver_authored_version")
            .write("aimsdoc.toml", format!("[review]\nsegregation_of_duties = {value}\n"))
    };
    configured("\"error\"").check().exactly(&[("AP007", A, 8, 17)]).severity("AP007", A, 8, "error").exit(1);
    configured("\"warning\"").check().severity("AP007", A, 8, "warning");
    configured("true").check().severity("AP007", A, 8, "warning");
    configured("\"off\"").check().clean();
    configured("false").check().clean();
}

#[test]
fn segregation_of_duties_also_sets_the_owner_rule() {
    let fx = Fixture::copy("self_approved").write("aimsdoc.toml", "[review]\nsegregation_of_duties = \"error\"\n");
    fx.check().exactly(&[("AP004", A, 8, 17)]).severity("AP004", A, 8, "error");
}

#[test]
fn a_bad_segregation_value_names_the_key_with_its_position() {
    for (value, column) in [("\"sometimes\"", 25), ("3", 25)] {
        let fx = Fixture::copy("valid_minimal")
            .write("aimsdoc.toml", format!("[review]\nwarn_within_days = 30\nsegregation_of_duties = {value}\n"));
        let a = aimsdoc_on(TODAY).arg("check").arg(fx.root()).assert().code(2);
        let err = stderr(&a);
        assert!(err.contains("segregation_of_duties"), "{err}");
        assert!(err.contains("\"off\", \"warning\" or \"error\""), "{err}");
        assert!(err.contains(&format!("line 3, column {column}")), "{err}");
    }
}

#[test]
fn approver_lacks_authority() {
    // policy: only "Top management"; b.md's "Ann Lee, top management" may, a.md's CEO may not;
    // procedures (c.md) are not restricted.
    Fixture::new("approver_lacks_authority")
        .check()
        .exactly(&[("AP008", A, 8, 17)])
        .severity("AP008", A, 8, "error")
        .message("AP008", A, 8, "may not approve a policy: [approval.authority] allows Top management");
}

#[test]
fn authority_for_an_unknown_type_or_for_no_one_is_a_configuration_error() {
    for (toml, needle) in [
        ("[approval.authority]\npolicies = [\"CEO\"]\n", "\"policies\" is not a document type"),
        ("[approval.authority]\npolicy = []\n", "lists no one"),
        ("[approval]\nauthorities = {}\n", "authorities"),
    ] {
        let fx = Fixture::copy("valid_minimal").write("aimsdoc.toml", toml);
        let a = aimsdoc_on(TODAY).arg("check").arg(fx.root()).assert().code(2);
        assert!(stderr(&a).contains(needle), "{toml}: {}", stderr(&a));
    }
}

#[test]
fn history_incomplete() {
    Fixture::new("history_incomplete")
        .check()
        .exactly(&[("VC007", A, 11, 5), ("VC007", A, 12, 5), ("VC007", A, 13, 5)])
        .severity("VC007", A, 11, "error")
        .message("VC007", A, 11, "history entry 1.2 has no `summary`")
        .message("VC007", A, 12, "has no `by`, `summary`")
        .message("VC007", A, 13, "has no `date`");
}

#[test]
fn revised_review_without_version() {
    // The review of 2026-04-01 says revised, but the newest version dates from 2026-01-10; the
    // older review of 2026-01-10 is followed by that version (same day).
    Fixture::new("revised_review_without_version")
        .check()
        .exactly(&[("RV007", A, 13, 5)])
        .severity("RV007", A, 13, "error")
        .message("RV007", A, 13, "review of 2026-04-01 says `revised`");
}

#[test]
fn ledger_old_recipe() {
    // A ledger line written with recipe v1 (a bare SHA-256): read, not a tamper, a notice.
    Fixture::new("ledger_old_recipe")
        .check()
        .exactly(&[("IN005", A, 6, 10)])
        .severity("IN005", A, 6, "notice")
        .hint("IN005", A, 6, "aimsdoc approve POL-001 --by \"Jane Smith, CEO\" --date 2026-01-15")
        .exit(0);
    // A text changed under a v1 line is still caught.
    let fx = Fixture::copy("ledger_old_recipe").edit(A, "Body.", "Other body.");
    fx.check().exactly(&[("IN001", A, 6, 10)]);
    // Re-recording the same approval adds a v2 line; the v1 line stays; the notice is gone.
    let fx = Fixture::copy("ledger_old_recipe");
    let before = ledger(&fx);
    let a = approve(fx.root(), &["POL-001", "--by", "Jane Smith, CEO", "--date", "2026-01-15"]).code(0);
    assert!(stderr(&a).contains("recorded again"), "{}", stderr(&a));
    keeps_every_line(&before, &ledger(&fx));
    assert_eq!(ledger(&fx).lines().filter(|l| l.starts_with("POL-001 1.0 v2:")).count(), 1);
    fx.check().clean();
}

#[test]
fn editing_an_attachment_after_approval_is_in001_at_the_attachment() {
    let fx = recorded_basic();
    fx.check().clean();
    let ledger_line = ledger(&fx).lines().find(|l| l.starts_with("POL-001 ")).expect("POL-001 line").to_string();
    assert_eq!(ledger_line.matches('+').count(), 1, "the attachment's hash is recorded: {ledger_line}");
    let fx = fx.write("evidence/records/board-minutes.csv", "date,decision\n2026-01-15,approved AI policy (edited)\n");
    fx.check().exactly(&[("IN001", POL, 13, 5)]).severity("IN001", POL, 13, "error").message(
        "IN001",
        POL,
        13,
        "attachment `records/board-minutes.csv` is no longer the file",
    );
}

// ---- approve -----------------------------------------------------------------------------

#[test]
fn approve_moves_effective_and_next_review_and_says_so() {
    let fx = recorded_basic()
        .edit(POL, "next_review: 2027-01-10", "effective: 2026-01-15\nnext_review: 2027-01-10")
        .edit(POL, "version: \"1.0\"", "version: \"1.1\"")
        .edit(
            POL,
            "history:\n",
            "history:\n  - { version: \"1.1\", date: 2026-05-18, by: J. Smith, summary: Named owners }\n",
        );
    let a = approve(fx.root(), &["POL-001", "--by", "Jane Smith, CEO", "--date", "2026-05-20"]).code(0);
    let err = stderr(&a);
    assert!(err.contains("effective 2026-01-15 -> 2026-05-20"), "{err}");
    assert!(!err.contains("next_review"), "2027-01-10 is within a year of 2026-05-20: {err}");
    fx.check().clean();
    fx.strict().check().clean();

    // next_review beyond max_review_interval moves to its limit; --effective and --next-review choose.
    let fx = Fixture::copy("integrity_basic").edit(POL, "next_review: 2027-01-10", "next_review: 2027-09-01");
    let a = approve(fx.root(), &["POL-001", "--by", "Jane Smith, CEO", "--date", "2026-05-20"]).code(0);
    assert!(stderr(&a).contains("next_review 2027-09-01 -> 2027-05-20"), "{}", stderr(&a));
    let fx = Fixture::copy("integrity_basic");
    let args = ["PRC-001", "--by", "AI Governance Board", "--effective", "2026-06-01", "--next-review", "2027-03-01"];
    let a = approve(fx.root(), &args).code(0);
    assert!(stderr(&a).contains("effective (none) -> 2026-06-01"), "{}", stderr(&a));
    let prc = fs::read_to_string(fx.root().join(PRC)).expect("prc");
    assert!(prc.contains("effective: 2026-06-01\r\n") && prc.contains("next_review: 2027-03-01\r\n"), "{prc}");
    approve(fx.root(), &["POL-001", "--by", "Jane Smith, CEO", "--date", "2026-01-15"]).code(0);
    fx.check().clean();
}

#[test]
fn approve_refuses_dates_that_would_fail_the_check() {
    let fx = Fixture::copy("integrity_basic");
    for args in [
        &["POL-001", "--by", "X", "--date", "2026-01-09"][..], // before the version was written
        &["POL-001", "--by", "X", "--date", "2026-05-20", "--effective", "2026-05-19"],
        &["POL-001", "--by", "X", "--date", "2026-05-20", "--next-review", "2027-05-21"],
        &["POL-001", "--by", "X", "--date", "2026-05-20", "--next-review", "2026-05-20"],
    ] {
        approve(fx.root(), args).code(2);
    }
    assert!(!fx.root().join("approvals.lock").exists(), "nothing written");
}

#[test]
fn approve_applies_authority_and_segregation_of_duties() {
    let fx = Fixture::copy("integrity_basic").write("aimsdoc.toml", "[approval.authority]\npolicy = [\"CEO\"]\n");
    let a = approve(fx.root(), &["POL-001", "--by", "Ann Lee, CFO", "--date", "2026-01-15"]).code(2);
    assert!(stderr(&a).contains("[approval.authority]"), "{}", stderr(&a));
    approve(fx.root(), &["POL-001", "--by", "Jane Smith, CEO", "--date", "2026-01-15"]).code(0);
    // The owner approving: a warning by default, refused when configured as an error.
    let a = approve(fx.root(), &["PRC-001", "--by", "Head of Risk", "--date", "2026-02-01"]).code(0);
    assert!(stderr(&a).contains("warning: segregation of duties"), "{}", stderr(&a));
    let fx = Fixture::copy("integrity_basic").write("aimsdoc.toml", "[review]\nsegregation_of_duties = \"error\"\n");
    approve(fx.root(), &["PRC-001", "--by", "R. Jones", "--date", "2026-02-01"]).code(2);
    assert!(!fx.root().join("approvals.lock").exists(), "nothing written");
}

#[test]
fn dual_approval_no_op_and_refusal_never_lose_a_line() {
    let fx = recorded_basic();
    let first = ledger(&fx);
    let pol = fs::read(fx.root().join(POL)).expect("pol");

    // A second approver of the same version and content: a new line, the front matter stays.
    let a = approve(fx.root(), &["POL-001", "--by", "Ann Lee, CFO", "--date", "2026-01-20"]).code(0);
    assert!(stderr(&a).contains("further approval"), "{}", stderr(&a));
    let dual = ledger(&fx);
    keeps_every_line(&first, &dual);
    assert_eq!(dual.lines().filter(|l| l.starts_with("POL-001 1.0 ")).count(), 2, "{dual}");
    assert_eq!(fs::read(fx.root().join(POL)).expect("pol"), pol);
    fx.check().clean();

    // The same approver and date again: a no-op that says so.
    let a = approve(fx.root(), &["POL-001", "--by", "Ann Lee, CFO", "--date", "2026-01-20"]).code(0);
    assert!(stderr(&a).contains("already recorded"), "{}", stderr(&a));
    assert_eq!(ledger(&fx), dual);

    // The same approver on another date: refused (a further approval comes from someone else).
    approve(fx.root(), &["POL-001", "--by", "Ann Lee, CFO", "--date", "2026-01-21"]).code(1);
    assert_eq!(ledger(&fx), dual);

    // Changed content under a recorded version: refused, nothing written.
    let fx = fx.edit(POL, "has an owner.", "has a named owner.");
    let a = approve(fx.root(), &["POL-001", "--by", "Bo Chen, COO", "--date", "2026-05-20"]).code(1);
    assert!(stderr(&a).contains("with different content"), "{}", stderr(&a));
    assert_eq!(ledger(&fx), dual);

    // A new version: a new line; every earlier line stays.
    let fx = fx.edit(POL, "version: \"1.0\"", "version: \"1.1\"").edit(
        POL,
        "history:\n",
        "history:\n  - { version: \"1.1\", date: 2026-05-18, by: J. Smith, summary: Named owners }\n",
    );
    approve(fx.root(), &["POL-001", "--by", "Bo Chen, COO", "--date", "2026-05-20"]).code(0);
    keeps_every_line(&dual, &ledger(&fx));
    fx.check().clean();
}

#[test]
fn a_hand_edited_ledger_with_two_contents_for_one_version_is_in004() {
    let fx = recorded_basic();
    let mut text = ledger(&fx);
    assert!(text.contains("PRC-001 2.0 v2:"), "{text}");
    text.push_str(&format!("PRC-001 2.0 v2:{} 2026-02-01 Someone\n", "a".repeat(64)));
    let lines = text.lines().count();
    let fx = fx.write("approvals.lock", text);
    fx.check().exactly(&[("IN004", "approvals.lock", lines, 1)]).message(
        "IN004",
        "approvals.lock",
        lines,
        "recorded with other content",
    );
}
