//! Issue 16, "a lifecycle authors cannot get wrong" and "diagnostics that say the one right
//! thing", on the real binary: a draft from `aimsdoc new` is not shown approved anywhere, and
//! `aimsdoc approve` takes it the whole way (or refuses, writing nothing, with `--dry-run`
//! writing nothing either); the first approval says it starts the ledger with commands that
//! work; `new soa` lists every control; a missing colon, a misspelt key, suggestions, the
//! caret of a link and the one summary line.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{aimsdoc_on, build_site, page, sel, starter, stderr, stdout, Fixture, EXAMPLE_TODAY, TODAY};

const A: &str = "documents/a.md";

/// `aimsdoc new TYPE TITLE` in the starter tree `root`; returns the path written.
fn new_doc(root: &Path, kind: &str, title: &str) -> PathBuf {
    let a = aimsdoc_on(EXAMPLE_TODAY).args(["new", kind, title, "--root"]).arg(root).assert().code(0);
    PathBuf::from(stdout(&a).trim())
}

/// A new document's text with its body written in place of the template's guidance.
fn with_content(text: &str) -> String {
    text.replace("Why this document exists and what it achieves.", "To say how we use AI.")
        .replace("Who and what it applies to.", "Everyone at the company.")
}

fn approve(root: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    aimsdoc_on(EXAMPLE_TODAY).arg("approve").args(args).arg(root).assert()
}

/// The register export of `root` as JSON rows.
fn register(root: &Path) -> Vec<Value> {
    let a = aimsdoc_on(EXAMPLE_TODAY).args(["register", "--format", "json"]).arg(root).assert().code(0);
    serde_json::from_str(&stdout(&a)).expect("register json")
}

/// The codes of `check --format json` on the starter tree `root` (judged as it was made).
fn codes(root: &Path, strict: bool) -> Vec<String> {
    let mut cmd = aimsdoc_on(EXAMPLE_TODAY);
    cmd.args(["check", "--format", "json"]).arg(root);
    if strict {
        cmd.arg("--strict");
    }
    let found: Vec<Value> = serde_json::from_str(&stdout(&cmd.assert())).expect("json");
    found.iter().filter_map(|d| d["code"].as_str().map(str::to_string)).collect()
}

#[test]
fn a_new_draft_names_its_planned_approver_and_is_never_shown_approved() {
    let (_tmp, root) = starter();
    let path = new_doc(&root, "policy", "Acceptable Use of AI");
    let text = fs::read_to_string(&path).expect("draft");
    fs::write(&path, text.replace("TODO (approver)", "Jane Smith, CEO")).expect("write");
    let rows = register(&root);
    let row = rows.iter().find(|r| r["id"] == "POL-002").expect("POL-002 row");
    assert_eq!((row["approved_by"].as_str(), row["approval_date"].as_str()), (Some(""), Some("")), "{row}");
    assert_eq!((row["effective"].as_str(), row["planned_approver"].as_str()), (Some(""), Some("Jane Smith, CEO")));
    let md = stdout(&aimsdoc_on(EXAMPLE_TODAY).args(["register", "--format", "md"]).arg(&root).assert().code(0));
    assert!(md.contains("approver (planned): Jane Smith, CEO, not approved"), "{md}");

    let site = build_site(EXAMPLE_TODAY, &root, &[]);
    let csv = fs::read_to_string(site.path().join("register.csv")).expect("csv");
    let line = csv.lines().find(|l| l.starts_with("POL-002,")).expect("csv row");
    assert!(
        !line.contains(EXAMPLE_TODAY) && line.ends_with(",\"Jane Smith, CEO\""),
        "no date, the planned approver last: {line}"
    );
    let doc = page(site.path(), "documents/POL-002.html");
    let control: String = doc.select(&sel("#doc-facts, dl")).flat_map(|d| d.text()).collect();
    assert!(control.contains("Not approved; approver (planned): Jane Smith, CEO"), "{control}");
    assert!(!control.contains(EXAMPLE_TODAY), "no approval or effective date in the control block: {control}");
}

#[test]
fn approve_takes_a_draft_the_whole_way_or_writes_nothing() {
    let (_tmp, root) = starter();
    let path = new_doc(&root, "policy", "Acceptable Use of AI");
    let draft = fs::read(&path).expect("draft");
    let ledger = root.join("approvals.lock");

    // Placeholders left: refused, nothing written.
    let a = approve(&root, &["POL-002", "--by", "Jane Smith, CEO"]).code(1);
    let err = stderr(&a);
    assert!(err.contains("once approved, `aimsdoc check` would report") && err.contains("[ID012]"), "{err}");
    assert_eq!(fs::read(&path).expect("draft"), draft);
    assert!(!ledger.exists());

    let filled = with_content(
        &String::from_utf8(draft)
            .expect("utf-8")
            .replace("TODO (owner)", "Head of Legal")
            .replace("TODO (author)", "A. Author"),
    );
    fs::write(&path, &filled).expect("write");

    // --dry-run: every change printed, nothing written.
    let a = approve(&root, &["POL-002", "--by", "Jane Smith, CEO", "--dry-run"]).code(0);
    let err = stderr(&a);
    for change in [
        "status draft -> approved",
        "version 0.1 -> 1.0",
        "history: added version 1.0",
        "effective (none) -> 2026-11-27",
        "next_review (none) -> 2027-11-27",
        "dry run: nothing written",
    ] {
        assert!(err.contains(change), "{change}: {err}");
    }
    assert_eq!(fs::read_to_string(&path).expect("draft"), filled);
    assert!(!ledger.exists());

    // The approval: each change printed; the ledger started, with the commands for the others.
    let a = approve(&root, &["POL-002", "--by", "Jane Smith, CEO"]).code(0);
    let err = stderr(&a);
    assert!(
        err.contains("changed documents/policies/pol-002-acceptable-use-of-ai.md: status draft -> approved"),
        "{err}"
    );
    assert!(err.contains("note: this started approvals.lock"), "{err}");
    let commands: Vec<&str> = err.lines().filter_map(|l| l.strip_prefix("  aimsdoc approve ")).collect();
    assert_eq!(commands.len(), 3, "the starter's approved policy, procedure and record: {err}");
    assert!(err.contains("documents checked: 3 errors, 0 warnings"), "IN002 until they are recorded: {err}");
    let text = fs::read_to_string(&path).expect("approved");
    for line in [
        "version: \"1.0\"",
        "status: approved",
        "  by: \"Jane Smith, CEO\"\n  date: 2026-11-27",
        "effective: 2026-11-27",
        "next_review: 2027-11-27",
        "  - { version: \"1.0\", date: 2026-11-27, by: \"A. Author\"",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert_eq!(codes(&root, false), ["IN002", "IN002", "IN002"]);

    // The printed commands, run as printed, record the others: the tree checks clean, strictly.
    for command in commands {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("\"$AIMSDOC\" approve {command}"))
            .env("AIMSDOC", env!("CARGO_BIN_EXE_aimsdoc"))
            .env("AIMSDOC_TODAY", EXAMPLE_TODAY)
            .status()
            .expect("sh");
        assert!(status.success(), "{command}");
    }
    assert!(codes(&root, true).is_empty(), "{:?}", codes(&root, true));
}

#[test]
fn approve_issues_a_chosen_version_and_refuses_going_backwards() {
    let (_tmp, root) = starter();
    let path = new_doc(&root, "procedure", "Incident Handling");
    let text = fs::read_to_string(&path).expect("draft");
    fs::write(
        &path,
        with_content(&text)
            .replace("TODO (owner)", "Head of Legal")
            .replace("TODO (author)", "A. Author")
            .replace("TODO (approver)", "X"),
    )
    .expect("write");
    approve(&root, &["PRC-002", "--by", "Jane Smith, CEO", "--version", "0.0"]).code(2);
    let a = approve(&root, &["PRC-002", "--by", "Jane Smith, CEO", "--version", "2.0"]).code(0);
    assert!(stderr(&a).contains("version 0.1 -> 2.0"), "{}", stderr(&a));
    let text = fs::read_to_string(&path).expect("approved");
    assert!(text.contains("version: \"2.0\"") && text.contains("- { version: \"2.0\""), "{text}");
    // An approved document: --version is a mistake on the command line.
    approve(&root, &["PRC-002", "--by", "Ann Lee, CFO", "--version", "3.0"]).code(2);
}

#[test]
fn new_soa_lists_every_control_with_placeholders_only() {
    let (_tmp, root) = starter();
    let path = new_doc(&root, "soa", "Statement of Applicability");
    let text = fs::read_to_string(&path).expect("soa");
    assert_eq!(text.matches("- { control: \"A.").count(), 38, "{text}");
    let a = aimsdoc_on(EXAMPLE_TODAY).args(["check", "--format", "json"]).arg(&root).assert().code(0);
    let found: Vec<Value> = serde_json::from_str(&stdout(&a)).expect("json");
    let rel = "documents/soa/soa-001-statement-of-applicability.md";
    let mine: Vec<&Value> = found.iter().filter(|d| d["file"] == rel).collect();
    assert!(mine.iter().all(|d| d["code"] == "ID012" || d["code"] == "ID016"), "only placeholders: {mine:#?}");
    assert_eq!(mine.len(), 3 + 38 + 1, "owner, approver, author, 38 justifications and the body's guidance: {mine:#?}");
    // The checklist gaps of the tree: one finding, at the configuration, naming checklist.html.
    let gaps: Vec<&Value> = found.iter().filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("CV"))).collect();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    assert_eq!((gaps[0]["file"].as_str(), gaps[0]["line"].as_u64()), (Some("aimsdoc.toml"), Some(1)));
    assert!(gaps[0]["message"].as_str().is_some_and(|m| m.contains("checklist.html")), "{:#}", gaps[0]);
    assert!(gaps[0]["notes"].as_array().is_some_and(|n| n.len() > 10), "{:#}", gaps[0]);
}

// ---- diagnostics -------------------------------------------------------------------------

/// A draft with `extra` front matter lines after `status`, and `body`.
fn doc(extra: &str, body: &str) -> String {
    format!("---\nid: POL-001\ntitle: AI Policy\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: draft\n{extra}---\n{body}\n")
}

/// `check` in human format on a tree with `documents/a.md` = `text` (and POL-002, PRC-001).
fn human(text: &str) -> String {
    let fx = Fixture::temp()
        .write(A, text)
        .write("documents/b.md", doc("", "Body.").replace("POL-001", "POL-002").replace("AI Policy", "Acceptable Use"))
        .write(
            "documents/c.md",
            doc("", "Body.")
                .replace("POL-001", "PRC-001")
                .replace("AI Policy", "Incident Handling")
                .replace("type: policy", "type: procedure"),
        );
    let a = aimsdoc_on(TODAY).arg("check").arg(fx.root()).assert();
    stdout(&a)
}

#[test]
fn a_missing_colon_is_reported_at_its_line_in_plain_words() {
    let text = "---\nid: POL-001\ntitle: AI Policy\ntype: policy\nowner Head of Legal\nversion: \"1.0\"\nstatus: draft\n---\nBody.\n";
    Fixture::temp()
        .write(A, text)
        .check()
        .exactly(&[("FM004", A, 5, 1)])
        .message("FM004", A, 5, "line 5 has no `:` after the key `owner`")
        .hint("FM004", A, 5, "write `owner: Head of Legal`");
    let out = human(text);
    assert!(out.contains("4 | type: policy\n5 | owner Head of Legal\n  | ^^^^^"), "the line above for context:\n{out}");
    // Before the closing fence too.
    let last = "---\nid: POL-001\ntitle: AI Policy\ntype: policy\nversion: \"1.0\"\nstatus: draft\nowner Head of Legal\n---\nBody.\n";
    Fixture::temp().write(A, last).check().exactly(&[("FM004", A, 7, 1)]);
}

#[test]
fn one_finding_per_mistake() {
    // `Owner:` is the unknown field with its suggestion, not also "owner missing".
    let text = doc("", "Body.").replace("owner:", "Owner:");
    Fixture::temp().write(A, text).check().exactly(&[("ID010", A, 5, 1)]).hint("ID010", A, 5, "did you mean `owner`?");
    // An approved document's invalid dates are ID008 where written, not also RV001 or AP002.
    let text = "---\nid: POL-001\ntitle: AI Policy\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: approved\napproval: { by: \"Jane Smith, CEO\", date: 2026-02-30 }\nnext_review: 2027-13-45\nhistory:\n  - { version: \"1.0\", date: 2026-01-10, by: A. Author, summary: First }\n---\nBody.\n";
    Fixture::temp().write(A, text).check().exactly(&[("ID008", A, 8, 42), ("ID008", A, 9, 14)]);
}

#[test]
fn suggestions_name_the_title_never_repeat_the_list_and_say_how_to_create() {
    let extra = "clauses: [\"5.2\", \"A.9\", \"5.9\"]\ncontrols: [\"A.9\"]\nrelated: [POL-002, POL-00Z]\n";
    let fx = Fixture::temp()
        .write(A, doc(extra, "See [the incident procedure](doc:PRC-404) and [x](doc:POL-002)."))
        .write("documents/b.md", doc("", "").replace("POL-001", "POL-002").replace("AI Policy", "Acceptable Use"));
    fx.check()
        .hint("LK001", A, 8, "`A.9` is an Annex A control objective, not a clause: list its controls in `controls`: [\"A.9.2\", \"A.9.3\", \"A.9.4\"]")
        .hint("LK001", A, 8, "did you mean `5.1` (Leadership and commitment)?")
        .hint("LK002", A, 9, "list its controls instead: [\"A.9.2\", \"A.9.3\", \"A.9.4\"]")
        .hint("LK003", A, 10, "aimsdoc new policy")
        .hint("LK004", A, 12, "run `aimsdoc new procedure \"the incident procedure\"`");
    // POL-00Z is one edit from POL-002, which `related` already lists: never suggested.
    let checked = fx.check();
    assert!(checked.diags.iter().all(|d| !d.hint.contains("`POL-002`")), "{}", checked.dump());
    // The caret covers the whole link.
    let out = stdout(&aimsdoc_on(TODAY).arg("check").arg(fx.root()).assert());
    let link = "[the incident procedure](doc:PRC-404)";
    assert!(out.contains(&format!("12 | See {link}")), "{out}");
    assert!(out.contains(&format!("   |     {}\n", "^".repeat(link.chars().count()))), "{out}");
}

#[test]
fn every_run_ends_with_one_summary_line() {
    let text = doc("", "Body.").replace("owner: Chief AI Officer", "owner: TODO");
    let out = human(&text);
    assert!(out.ends_with("3 documents checked: 0 errors, 1 warning\n"), "{out}");
    let fx = Fixture::temp().write(A, &text);
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = aimsdoc_on(TODAY).arg("build").arg(fx.root()).arg("--out").arg(tmp.path().join("site")).assert().code(0);
    assert!(
        stderr(&a).starts_with("warning[ID012]") && stderr(&a).contains("\n1 document checked: 0 errors, 1 warning\n"),
        "{}",
        stderr(&a)
    );
}
