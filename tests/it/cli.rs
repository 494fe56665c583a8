//! The real binary: exit codes, output formats, configuration errors and help texts.

use crate::common::{aimsdoc_on, example, redact, stderr, stdout, EXAMPLE_TODAY};

/// A content tree with one document that has two errors and one warning.
fn broken_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("documents");
    std::fs::create_dir_all(&docs).expect("mkdir");
    std::fs::write(
        docs.join("bad.md"),
        "---\nid: POL-001\ntitle: Bad\ntype: policy\nownr: Someone\nversion: \"1.0\"\nstatus: approved\nclauses: [\"5.2\", \"5.9\"]\n---\n\nSee [x](doc:POL-404).\n",
    )
    .expect("write");
    dir
}

#[test]
fn check_example_is_clean_and_exits_zero() {
    let a = aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(example()).assert().code(0);
    assert!(stdout(&a).contains("0 errors"), "{}", stdout(&a));
    let a = aimsdoc_on(EXAMPLE_TODAY)
        .arg("check")
        .arg(example())
        .arg("--strict")
        .arg("--format")
        .arg("json")
        .assert()
        .code(0);
    assert_eq!(stdout(&a).trim(), "[]");
}

#[test]
fn errors_exit_one_in_every_format() {
    let tree = broken_tree();
    for format in ["human", "json", "github"] {
        aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(tree.path()).arg("--format").arg(format).assert().code(1);
    }
}

#[test]
fn json_format_lists_every_finding_with_positions() {
    let tree = broken_tree();
    let a = aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(tree.path()).arg("--format").arg("json").assert().code(1);
    let found: Vec<serde_json::Value> = serde_json::from_str(&stdout(&a)).expect("json array");
    let summary: Vec<(String, u64)> = found
        .iter()
        .map(|d| (d["code"].as_str().unwrap_or_default().to_string(), d["line"].as_u64().unwrap_or_default()))
        .collect();
    // `ownr` is one mistake, the unknown field: `owner` is not also reported missing.
    assert!(!summary.iter().any(|(code, _)| code == "ID001"), "{summary:?}");
    assert!(summary.contains(&("ID010".into(), 5)), "{summary:?}");
    assert!(summary.contains(&("LK001".into(), 8)), "{summary:?}");
    assert!(summary.contains(&("LK004".into(), 11)), "{summary:?}");
    let lines: Vec<u64> = found.iter().filter_map(|d| d["line"].as_u64()).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "sorted by line: {lines:?}");
    for d in &found {
        assert_eq!(d["file"], "documents/bad.md");
        for key in ["severity", "column", "message", "hint", "clause"] {
            assert!(d.get(key).is_some(), "{key} in {d}");
        }
    }
}

#[test]
fn human_format_points_at_the_token_and_suggests_a_fix() {
    let tree = broken_tree();
    let a = aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(tree.path()).assert().code(1);
    let out = redact(&stdout(&a), Some(tree.path()));
    assert!(!out.contains("\u{1b}["), "no colour when not a terminal or with NO_COLOR");
    // Every finding with its position, the source line with the token underlined, and the fix
    // (`did you mean `owner`?` for ID010, the unknown clause at `bad.md:8:`).
    insta::assert_snapshot!("broken_tree_human", out);
}

#[test]
fn github_format_writes_workflow_annotations() {
    let tree = broken_tree();
    let a = aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(tree.path()).arg("--format").arg("github").assert().code(1);
    // One `::error` or `::warning` line per finding, at its file, line and column.
    insta::assert_snapshot!("broken_tree_github", redact(&stdout(&a), Some(tree.path())));
}

#[test]
fn strict_turns_warnings_into_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("documents");
    std::fs::create_dir_all(&docs).expect("mkdir");
    std::fs::write(
        docs.join("old.md"),
        "---\nid: POL-001\ntitle: Old\ntype: policy\nowner: CAIO\nversion: \"1.0\"\nstatus: approved\napproval: { by: \"A. B, CEO\", date: 2025-01-10 }\nnext_review: 2026-01-10\nhistory:\n  - { version: \"1.0\", date: 2025-01-10, by: A, summary: Issued }\n---\nText.\n",
    )
    .expect("write");
    aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(dir.path()).assert().code(0);
    let a = aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(dir.path()).arg("--strict").assert().code(1);
    // The overdue review (a warning without --strict) is printed as an error.
    insta::assert_snapshot!("strict_human", redact(&stdout(&a), Some(dir.path())));
}

#[test]
fn configuration_errors_exit_two_with_a_hint() {
    let tree = broken_tree();
    std::fs::write(tree.path().join("aimsdoc.toml"), "[site]\ntitel = \"x\"\n").expect("write");
    let a = aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(tree.path()).assert().code(2);
    let err = stderr(&a);
    assert!(err.contains("aimsdoc.toml"), "{err}");
    assert!(err.contains("titel") && err.contains("title"), "{err}");
}

#[test]
fn missing_content_root_and_bad_usage_exit_two() {
    aimsdoc_on(EXAMPLE_TODAY).arg("check").arg("/nonexistent/content").assert().code(2);
    aimsdoc_on(EXAMPLE_TODAY).arg("check").arg("--format").arg("xml").assert().code(2);
    aimsdoc_on(EXAMPLE_TODAY).arg("frobnicate").assert().code(2);
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["check", "build"] {
        let a = aimsdoc_on(EXAMPLE_TODAY).arg(cmd).arg("--help").assert().code(0);
        assert!(stdout(&a).contains("Example: aimsdoc"), "{cmd}: {}", stdout(&a));
    }
}

#[test]
fn check_writes_nothing() {
    let tree = broken_tree();
    let before: Vec<_> =
        std::fs::read_dir(tree.path()).expect("dir").filter_map(Result::ok).map(|e| e.file_name()).collect();
    aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(tree.path()).assert().code(1);
    let after: Vec<_> =
        std::fs::read_dir(tree.path()).expect("dir").filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(before, after);
}
