//! Snapshot tests (`insta`) of the four renderings of one fixed set of findings: human (with
//! `NO_COLOR`, as in a pipe), JSON, GitHub workflow annotations and SARIF, on the committed tree
//! `tests/fixtures/formats` (the documents of `many_problems`, plus `f.md`: a review due soon,
//! the one notice, and a broken link after non-ASCII text, so columns count characters; and the
//! title of `a.md`, a finding with a note at a second location). It yields errors, warnings and
//! a notice, with and without a source snippet.
//!
//! The real binary runs from the repository root with the content root given as a relative
//! path, so no snapshot holds a machine's paths; [`common::redact`] takes out what still varies (the
//! package version). The snapshots are committed under `tests/it/snapshots/`: after a deliberate
//! change of a rendering, review and accept them with `cargo insta review` (or rerun with
//! `INSTA_UPDATE=always` and read the diff); under `CI=true` a mismatch fails.

use crate::common::{self, aimsdoc};

/// The fixed set of findings, relative to the repository root.
const ROOT: &str = "tests/fixtures/formats";

/// `aimsdoc check tests/fixtures/formats --format FORMAT` from the repository root: its stdout,
/// redacted. It must exit 1 (there are errors) and print nothing on stderr.
fn check(format: &str) -> String {
    let a = aimsdoc().current_dir(common::repo()).args(["check", ROOT, "--format", format]).assert().code(1);
    assert_eq!(common::stderr(&a), "", "{format}: nothing on stderr");
    common::redact(&common::stdout(&a), None)
}

#[test]
fn human() {
    let out = check("human");
    assert!(!out.contains('\u{1b}'), "no colour with NO_COLOR or without a terminal");
    insta::assert_snapshot!("human", out);
}

#[test]
fn json() {
    insta::assert_snapshot!("json", check("json"));
}

#[test]
fn github() {
    insta::assert_snapshot!("github", check("github"));
}

#[test]
fn sarif() {
    insta::assert_snapshot!("sarif", check("sarif"));
}

#[test]
fn the_fixed_set_has_every_severity() {
    let found: Vec<serde_json::Value> = serde_json::from_str(&check("json")).expect("a JSON array");
    for severity in ["error", "warning", "notice"] {
        assert!(found.iter().any(|d| d["severity"] == severity), "no {severity} in {found:?}");
    }
}
