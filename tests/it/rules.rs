//! Every diagnostic code and every class of bad input, each on a tiny content tree under
//! `tests/fixtures/<case>/` (or built at run time when git cannot hold it: odd bytes, symlinks,
//! huge lines), asserting the code and the exact file:line(:column) it is reported at.
//! Dates are judged against `AIMSDOC_TODAY=2026-06-01` (see `common::TODAY`).

use crate::common;

use std::time::Duration;

use crate::common::Fixture;

const A: &str = "documents/a.md";
const B: &str = "documents/b.md";

/// The valid document of `fixtures/valid_minimal` (13 lines; status on 7, approval on 8,
/// next_review on 9, history entry on 11, body on 13).
const VALID: &str = include_str!("../fixtures/valid_minimal/documents/a.md");

/// A valid draft document whose front matter line 8 is `extra`.
fn draft(id: &str, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: Test document\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: draft\n{extra}\n---\nBody.\n")
}

/// `text` with a UTF-8 byte order mark and CRLF line endings.
fn bom_crlf(text: &str) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    bytes
}

// ---- files and parsing -------------------------------------------------------------------

#[test]
fn valid_minimal() {
    Fixture::new("valid_minimal").check().clean();
    Fixture::new("valid_minimal").strict().check().clean();
}

#[test]
fn not_utf8() {
    let latin1 = VALID.replace("title: Test policy", "title: Caf\u{e9} policy");
    let latin1: Vec<u8> = latin1.chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1")).collect();
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(VALID.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    // Valid UTF-8 up to a stray byte on line 9: the column counts characters (`é` is one).
    let mut mixed = VALID.replace("next_review: 2026-12-15", "next_review: 2026-12-15 # café ?").into_bytes();
    let marker = mixed.iter().position(|&b| b == b'?').expect("marker");
    mixed[marker] = 0xFF;
    Fixture::temp()
        .write(A, latin1)
        .write(B, utf16)
        .write("documents/c.md", mixed)
        .check()
        .exactly(&[("FS001", A, 3, 11), ("FS001", B, 1, 1), ("FS001", "documents/c.md", 9, 32)])
        .message("FS001", A, 3, "not valid UTF-8");
}

#[test]
fn empty_file() {
    Fixture::new("empty_file").check().exactly(&[("FS002", A, 1, 1)]).exit(1);
}

#[test]
fn whitespace_only() {
    // Created at run time: editors and hooks strip trailing whitespace from committed files.
    Fixture::temp()
        .write(A, "  \n\n\t\n   ")
        .write(B, "\u{feff}")
        .check()
        .exactly(&[("FS002", A, 1, 1), ("FS002", B, 1, 1)]);
}

#[test]
fn no_front_matter() {
    Fixture::new("no_front_matter").check().exactly(&[("FM001", A, 1, 1)]).hint(
        "FM001",
        A,
        1,
        "did you forget the opening `---`?",
    );
}

#[test]
fn unclosed_front_matter() {
    Fixture::new("unclosed_front_matter").check().exactly(&[("FM002", A, 1, 1)]);
}

#[test]
fn empty_front_matter() {
    // b.md holds only a comment between its fences.
    Fixture::new("empty_front_matter").check().exactly(&[("FM003", A, 1, 1), ("FM003", B, 1, 1)]);
}

#[test]
fn yaml_syntax_error() {
    // `owner: Chief: AI Officer` is line 5 of the file (line 4 of the YAML block); the second
    // colon is column 13. b.md refers to the unparseable POL-001 by id: that is not reported
    // again as an unknown document or a broken link.
    Fixture::new("yaml_syntax_error").check().exactly(&[("FM004", A, 5, 13)]).message(
        "FM004",
        A,
        5,
        "mapping values are not allowed",
    );
}

#[test]
fn front_matter_list() {
    Fixture::new("front_matter_list").check().exactly(&[("FM005", A, 2, 1)]).message("FM005", A, 2, "is a list");
}

#[test]
fn duplicate_key() {
    Fixture::new("duplicate_key").check().exactly(&[("FM006", A, 8, 1)]).message(
        "FM006",
        A,
        8,
        "duplicate key `status` (first defined on line 7)",
    );
}

#[test]
fn alias_bomb() {
    // Nine levels of nine aliases (a billion "lol"s when expanded); the budget trips on the
    // fifth level, line 12.
    Fixture::new("alias_bomb").check().within(Duration::from_secs(5)).only(&["FM007"]).has("FM007", A, 12).message(
        "FM007",
        A,
        12,
        "aliases counted expanded",
    );
}

#[test]
fn deep_nesting() {
    // 20,000 levels in flow sequences, flow mappings and block sequences; each is refused as
    // too deep on its own line (8) without recursion blowing the stack or the clock.
    const DEPTH: usize = 20_000;
    let flow_seq = format!("deep: {}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let flow_map = format!("deep: {}x{}", "{a: ".repeat(DEPTH), "}".repeat(DEPTH));
    let block_seq = format!("deep:\n  {}x", "- ".repeat(DEPTH));
    let checked = Fixture::temp()
        .write("documents/flow-map.md", draft("POL-002", &flow_map))
        .write("documents/flow-seq.md", draft("POL-001", &flow_seq))
        .write("documents/block-seq.md", draft("POL-003", &block_seq))
        .check();
    checked.within(Duration::from_secs(5)).only(&["FM007"; 3]);
    checked
        .has("FM007", "documents/block-seq.md", 9)
        .has("FM007", "documents/flow-map.md", 8)
        .has("FM007", "documents/flow-seq.md", 8)
        .message("FM007", "documents/flow-seq.md", 8, "nesting deeper than");
}

#[test]
fn bom_crlf_valid() {
    let body_link = VALID.replace("Body.", "Body.\n\nSee [the policy](doc:POL-001).");
    Fixture::temp().write(A, bom_crlf(&body_link)).check().clean();
}

#[test]
fn bom_crlf_error() {
    // BOM and CRLF must not shift lines or columns: the status value is 7:9, the broken link
    // is on line 15 (body starts on 13), and a YAML error still lands on its file line.
    let bad_status = VALID
        .replace("status: approved", "status: aproved")
        .replace("Body.", "Body.\n\nSee [the policy](doc:POL-999).");
    let bad_yaml =
        VALID.replace("id: POL-001", "id: POL-002").replace("owner: Chief AI Officer", "owner: Chief: AI Officer");
    Fixture::temp()
        .write(A, bom_crlf(&bad_status))
        .write(B, bom_crlf(&bad_yaml))
        .check()
        .exactly(&[("ID006", A, 7, 9), ("LK004", A, 15, 5), ("FM004", B, 5, 13)])
        .hint("ID006", A, 7, "did you mean `approved`?");
}

#[test]
fn ignored_files() {
    // `.`/`_` names, `.gitignore`d files and non-Markdown files are not documents: these empty
    // files would each be FS002 otherwise. Created at run time so git's own ignore rules do not
    // drop them from the fixture.
    Fixture::copy("valid_minimal")
        .write("documents/_draft.md", "")
        .write("documents/_wip/b.md", "")
        .write("documents/.hidden.md", "")
        .write("documents/.gitignore", "scratch.md\n")
        .write("documents/scratch.md", "")
        .write("documents/notes.txt", "")
        .check()
        .clean();
    // The same empty file under an ordinary name is reported.
    Fixture::copy("valid_minimal").write("documents/b.MD", "").check().exactly(&[("FS002", "documents/b.MD", 1, 1)]);
}

#[test]
fn columns_count_characters() {
    // Multi-byte characters before the offending token count as one column each, in front
    // matter (AP003 at the date) and in the body (LK004 at the link).
    Fixture::copy("valid_minimal")
        .edit(A, "by: \"Jane Smith, CEO\", date: 2026-01-15", "by: \"José Smith, CEO\", date: 2026-07-01")
        .edit(A, "Body.", "Bödy — see [x](doc:NOPE-1).")
        .check()
        .exactly(&[("AP003", A, 8, 42), ("LK004", A, 13, 12)]);
}

#[test]
fn symlink_escape() {
    // Links leaving the root (to a file, to a directory, or dangling) are refused; a link to a
    // file inside the root is followed (a.md's `related: [POL-002]` resolves through it).
    let fixture = Fixture::copy("symlink_escape");
    let outside = fixture.outside();
    std::fs::write(outside.join("secret.md"), VALID.replace("POL-001", "POL-009")).expect("write outside file");
    let nowhere = fixture.root().join("nowhere.md");
    fixture
        .symlink(outside.join("secret.md"), "documents/escape.md")
        .symlink(&outside, "documents/escape-dir")
        .symlink(nowhere, "documents/dangling.md")
        .symlink("../notes/b.md", "documents/linked.md")
        .check()
        .exactly(&[
            ("FS003", "documents/dangling.md", 1, 1),
            ("FS003", "documents/escape-dir", 1, 1),
            ("FS003", "documents/escape.md", 1, 1),
        ])
        .message("FS003", "documents/escape.md", 1, "outside the content root");
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let fixture =
        Fixture::copy("unreadable_file").write("documents/locked.md", draft("POL-002", "classification: internal"));
    let locked = fixture.root().join("documents/locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_ok() {
        eprintln!("unreadable_file: skipped, this user can read a mode-000 file (running as root?)");
        return;
    }
    let checked = fixture.check();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).expect("chmod back");
    checked.exactly(&[("FS004", "documents/locked.md", 1, 1)]);
}

// ---- identification ----------------------------------------------------------------------

#[test]
fn missing_owner() {
    // Missing: reported at the front matter head; present but empty: at the key.
    Fixture::new("missing_owner")
        .check()
        .exactly(&[("ID001", A, 1, 1), ("ID001", B, 5, 1), ("ID001", "documents/c.md", 3, 1)])
        .message("ID001", A, 1, "`owner` is missing")
        .message("ID001", B, 5, "`owner` is empty")
        .message("ID001", "documents/c.md", 3, "`title` is empty");
}

#[test]
fn malformed_id() {
    Fixture::new("malformed_id")
        .check()
        .exactly(&[("ID002", A, 2, 5), ("ID002", B, 8, 11)])
        .hint("ID002", A, 2, "write `POL-001`")
        .hint("ID002", B, 8, "write `PRC-7`");
}

#[test]
fn duplicate_id() {
    Fixture::new("duplicate_id")
        .check()
        .exactly(&[("ID003", B, 2, 5)])
        .message("ID003", B, 2, "already used by `documents/a.md`")
        .note("ID003", B, 2, (A, 2, 5), "first used here");
}

#[test]
fn wrong_shape() {
    Fixture::new("wrong_shape")
        .check()
        .exactly(&[("ID004", A, 3, 8), ("ID004", A, 8, 10), ("ID004", A, 9, 10), ("ID004", A, 10, 11)])
        .message("ID004", A, 3, "`title` must be a single value, not a list")
        .message("ID004", A, 8, "`history` must be a list of entries")
        .message("ID004", A, 9, "`clauses` must be a list, not a mapping")
        .message("ID004", A, 10, "`approval` must be a mapping");
}

#[test]
fn unknown_type() {
    Fixture::new("unknown_type").check().exactly(&[("ID005", A, 4, 7)]).hint("ID005", A, 4, "did you mean `policy`?");
}

#[test]
fn unknown_status() {
    Fixture::new("unknown_status").check().exactly(&[("ID006", A, 7, 9)]).hint(
        "ID006",
        A,
        7,
        "did you mean `approved`?",
    );
}

#[test]
fn malformed_version() {
    Fixture::new("malformed_version")
        .check()
        .exactly(&[("ID007", A, 6, 10), ("ID007", A, 12, 16)])
        .message("ID007", A, 6, "`v1.0` is not a version")
        .message("ID007", A, 12, "`0.9.` is not a version");
}

#[test]
fn malformed_date() {
    // An unreadable date is reported where it is written, once: the rules that needed it do not
    // also report it missing (no RV001, no AP002).
    Fixture::new("malformed_date")
        .check()
        .exactly(&[("ID008", A, 8, 42), ("ID008", A, 9, 14)])
        .message("ID008", A, 8, "`date` is `15/01/2026`")
        .message("ID008", A, 9, "`next_review` is `2026-13-01`");
}

#[test]
fn unknown_classification() {
    Fixture::new("unknown_classification").check().exactly(&[("ID009", A, 12, 17)]).message("ID009", A, 12, "`secret`");
}

#[test]
fn unknown_field() {
    Fixture::new("unknown_field")
        .check()
        // One finding per mistake: a misspelt key is not also a missing field (no ID001 for
        // `owner`, no VC007 for the history entry's `summary`).
        .exactly(&[("ID010", A, 11, 1), ("ID010", B, 11, 55)])
        .severity("ID010", A, 11, "warning")
        .message("ID010", A, 11, "unknown field `ownr`")
        .hint("ID010", A, 11, "did you mean `owner`?")
        .hint("ID010", B, 11, "did you mean `summary`?");
}

#[test]
fn unknown_field_alone_is_a_warning() {
    let checked = Fixture::copy("valid_minimal").edit(A, "next_review:", "ownr: Someone\nnext_review:").check();
    checked.exactly(&[("ID010", A, 9, 1)]).exit(0);
    Fixture::copy("valid_minimal").edit(A, "next_review:", "ownr: Someone\nnext_review:").strict().check().exit(1);
}

#[test]
fn bad_value() {
    Fixture::new("bad_value")
        .check()
        .exactly(&[("ID011", A, 12, 9), ("ID011", A, 14, 48)])
        .message("ID011", A, 12, "origin `foreign`")
        .message("ID011", A, 14, "review outcome `changed`");
}

#[test]
fn boolean_trap() {
    // `applicable: yes`/`no` (YAML 1.1 booleans) and a quoted "false" are refused at the value;
    // plain true/false are accepted.
    Fixture::new("boolean_trap")
        .check()
        .exactly(&[("ID011", A, 14, 35), ("ID011", A, 15, 35), ("ID011", A, 16, 35), ("ID011", A, 18, 49)])
        .message("ID011", A, 14, "`applicable` is `yes`; it must be true or false")
        .message("ID011", A, 15, "`applicable` is `no`")
        .message("ID011", A, 18, "implementation status `done`");
}

// ---- approval ----------------------------------------------------------------------------

#[test]
fn approval_missing() {
    Fixture::new("approval_missing").check().exactly(&[("AP001", A, 7, 1)]).message(
        "AP001",
        A,
        7,
        "approved but has no approval",
    );
}

#[test]
fn approval_incomplete() {
    Fixture::new("approval_incomplete")
        .check()
        .exactly(&[("AP002", A, 8, 1), ("AP002", B, 8, 1)])
        .message("AP002", A, 8, "does not say who approved")
        .message("AP002", B, 8, "has no date");
}

#[test]
fn approval_in_future() {
    Fixture::new("approval_in_future").check().exactly(&[("AP003", A, 8, 42)]).message(
        "AP003",
        A,
        8,
        "2026-07-01 is in the future (today is 2026-06-01)",
    );
}

#[test]
fn self_approved() {
    // Segregation of duties: the approver "Jane Smith, CEO" is the owner "CEO". A warning.
    Fixture::new("self_approved").check().exactly(&[("AP004", A, 8, 17)]).severity("AP004", A, 8, "warning").exit(0);
    Fixture::new("self_approved").strict().check().exactly(&[("AP004", A, 8, 17)]).exit(1);
}

#[test]
fn self_approved_allowed() {
    // `segregation_of_duties = false` in aimsdoc.toml turns the rule off.
    Fixture::new("self_approved_allowed").check().clean();
}

#[test]
fn effective_before_approval() {
    Fixture::new("effective_before_approval").check().exactly(&[("AP005", A, 12, 12)]).message(
        "AP005",
        A,
        12,
        "effective date 2026-01-01 is before the approval date 2026-01-15",
    );
}

// ---- review dates ------------------------------------------------------------------------

#[test]
fn review_missing() {
    Fixture::new("review_missing").check().exactly(&[("RV001", A, 7, 1)]);
}

#[test]
fn review_overdue() {
    Fixture::new("review_overdue")
        .check()
        .exactly(&[("RV002", A, 9, 14)])
        .severity("RV002", A, 9, "warning")
        .message("RV002", A, 9, "due on 2026-05-01 (31 days ago)")
        .exit(0);
}

#[test]
fn review_overdue_strict() {
    Fixture::new("review_overdue")
        .strict()
        .check()
        .exactly(&[("RV002", A, 9, 14)])
        .severity("RV002", A, 9, "error")
        .exit(1);
}

#[test]
fn review_overdue_configured_error() {
    // `overdue = "error"` under [review] makes it an error without --strict.
    Fixture::new("review_overdue_configured_error")
        .check()
        .exactly(&[("RV002", A, 9, 14)])
        .severity("RV002", A, 9, "error")
        .exit(1);
}

#[test]
fn review_due_soon() {
    Fixture::new("review_due_soon")
        .check()
        .exactly(&[("RV003", A, 9, 14)])
        .severity("RV003", A, 9, "notice")
        .message("RV003", A, 9, "due on 2026-06-20 (in 19 days)")
        .exit(0);
    // Notices stay notices under --strict.
    Fixture::new("review_due_soon").strict().check().severity("RV003", A, 9, "notice").exit(0);
}

#[test]
fn review_due_window_boundaries() {
    let with_next_review = |date: &str| {
        Fixture::copy("valid_minimal").edit(A, "next_review: 2026-12-15", &format!("next_review: {date}")).check()
    };
    with_next_review("2026-06-01").exactly(&[("RV003", A, 9, 14)]).message("RV003", A, 9, "in 0 days");
    with_next_review("2026-07-01").exactly(&[("RV003", A, 9, 14)]).message("RV003", A, 9, "in 30 days");
    with_next_review("2026-07-02").clean();
    with_next_review("2026-05-31").exactly(&[("RV002", A, 9, 14)]).message("RV002", A, 9, "(1 days ago)");
}

#[test]
fn review_interval_too_long() {
    Fixture::new("review_interval_too_long")
        .check()
        .exactly(&[("RV004", A, 9, 14)])
        .message("RV004", A, 9, "2027-03-01 is more than 1y after 2026-01-15")
        .hint("RV004", A, 9, "review by 2027-01-15 at the latest");
}

#[test]
fn review_before_approval() {
    // 2026-01-10 is before the approval (2026-01-15), and long past.
    Fixture::new("review_before_approval").check().exactly(&[("RV002", A, 9, 14), ("RV005", A, 9, 14)]).message(
        "RV005",
        A,
        9,
        "not after the last approval or review (2026-01-15)",
    );
}

#[test]
fn review_in_future() {
    Fixture::new("review_in_future").check().exactly(&[("RV006", A, 13, 13)]).message(
        "RV006",
        A,
        13,
        "2026-09-01 is in the future",
    );
}

#[test]
fn review_no_change_moves_next_review() {
    // Approved 2025-03-01, confirmed unchanged on 2026-02-20: the next review (2027-02-15) is
    // measured from the review, so neither overdue nor too far out.
    Fixture::new("review_no_change_moves_next_review").check().clean();
}

// ---- versioning --------------------------------------------------------------------------

#[test]
fn version_history_mismatch() {
    // Unquoted `version: 1.10` stays 1.10; the history's unquoted 1.1 stays 1.1.
    Fixture::new("version_history_mismatch").check().exactly(&[("VC001", A, 6, 10)]).message(
        "VC001",
        A,
        6,
        "version is 1.10 but the newest history entry is 1.1",
    );
}

#[test]
fn version_text_kept() {
    // 1.10 matches 1.10 and is newer than 1.9.
    Fixture::new("version_text_kept").check().clean();
}

#[test]
fn history_out_of_order() {
    Fixture::new("history_out_of_order")
        .check()
        .exactly(&[("VC002", A, 12, 16), ("VC002", A, 13, 16)])
        .message("VC002", A, 12, "history entry 1.1 comes after 1.0")
        .message("VC002", A, 13, "history entry 1.1 comes after 1.1");
}

#[test]
fn superseded_without_successor() {
    // a.md names no successor; b.md names one that does not exist, reported once as an
    // unknown document.
    Fixture::new("superseded_without_successor")
        .check()
        .exactly(&[("VC003", A, 7, 1), ("LK003", B, 11, 16)])
        .message("VC003", A, 7, "no successor is named")
        .message("LK003", B, 11, "`superseded_by` names `POL-999`");
}

#[test]
fn no_history() {
    // An approved document without history: no evidence of version control, an error.
    Fixture::new("no_history").check().exactly(&[("VC004", A, 7, 1)]).severity("VC004", A, 7, "error").exit(1);
}

#[test]
fn history_dates() {
    Fixture::new("history_dates")
        .check()
        .exactly(&[("VC005", A, 12, 29), ("VC005", B, 9, 29)])
        .message("VC005", A, 12, "2026-01-10 is later than the entry above it (2026-01-01)")
        .message("VC005", B, 9, "2026-08-01 is in the future");
}

#[test]
fn supersedes_not_superseded() {
    Fixture::new("supersedes_not_superseded")
        .check()
        .exactly(&[("VC006", B, 12, 13)])
        .message("VC006", B, 12, "`POL-001` is replaced by this document but its status is approved")
        .hint("VC006", B, 12, "documents/a.md");
}

// ---- references --------------------------------------------------------------------------

#[test]
fn unknown_clause() {
    Fixture::new("unknown_clause")
        .check()
        .exactly(&[("LK001", A, 12, 18), ("LK001", A, 12, 25)])
        .hint("LK001", A, 12, "did you mean `9.1` (Monitoring, measurement, analysis and evaluation)?")
        .hint("LK001", A, 12, "`A.2.2` is an Annex A id: move it to `controls`");
}

#[test]
fn unknown_control() {
    Fixture::new("unknown_control")
        .check()
        .exactly(&[("LK002", A, 14, 5), ("LK002", A, 15, 5)])
        .message("LK002", A, 14, "`A.2.1`")
        .hint("LK002", A, 15, "`6.1` is a clause: move it to `clauses`");
}

#[test]
fn unknown_document() {
    Fixture::new("unknown_document")
        .check()
        .exactly(&[("LK003", A, 12, 20), ("LK003", A, 12, 29)])
        .message("LK003", A, 12, "`related` names `POL-999`, which is not a document in this tree")
        .message("LK003", A, 12, "names the document itself");
}

#[test]
fn broken_body_links() {
    // Each broken link is reported on its own line and column; valid links and link-like text
    // in a code block are not.
    Fixture::new("broken_body_links")
        .check()
        .exactly(&[
            ("LK004", A, 15, 9),
            ("LK005", A, 16, 8),
            ("LK005", A, 16, 38),
            ("LK006", A, 17, 3),
            ("LK006", A, 17, 33),
            ("LK006", A, 18, 4),
            ("LK006", A, 18, 38),
        ])
        .message("LK004", A, 15, "no document has id `POL-999`")
        .message("LK005", A, 16, "`9.9` is not an ISO/IEC 42001 clause")
        .message("LK005", A, 16, "`A.99.1` is not an ISO/IEC 42001 Annex A control")
        .message("LK006", A, 17, "no document at `documents/missing.md`")
        .message("LK006", A, 17, "leads outside the content root")
        .message("LK006", A, 18, "is an absolute path")
        .message("LK006", A, 18, "no file at `documents/img/missing.png`");
}

#[test]
fn attachment_missing() {
    Fixture::new("attachment_missing").check().exactly(&[("LK007", A, 14, 5)]).message(
        "LK007",
        A,
        14,
        "`training/missing.csv` does not exist (looked for `evidence/training/missing.csv`)",
    );
}

#[test]
fn attachment_outside() {
    // `..` escapes (even to a file that exists) and absolute paths.
    Fixture::new("attachment_outside")
        .check()
        .exactly(&[("LK008", A, 14, 5), ("LK008", A, 15, 5), ("LK008", A, 16, 5)])
        .message("LK008", A, 14, "`../documents/a.md` is not inside the evidence root `evidence/`")
        .message("LK008", A, 15, "`/etc/passwd`")
        .message("LK008", A, 16, "`training/../../secret.txt`");
}

#[test]
fn attachment_symlink_outside() {
    let fixture = Fixture::copy("attachment_symlink_outside");
    let outside = fixture.outside();
    std::fs::write(outside.join("leak.csv"), "secret\n").expect("write outside file");
    fixture.symlink(outside.join("leak.csv"), "evidence/leak.csv").check().exactly(&[("LK008", A, 12, 15)]).message(
        "LK008",
        A,
        12,
        "`leak.csv` is not inside the evidence root",
    );
}

#[test]
fn unknown_framework_reference() {
    // An unknown NIST AI RMF id (at the id), and unknown frameworks (at their key, whether the
    // list is inline, on the following lines or empty).
    Fixture::new("unknown_framework_reference")
        .check()
        .exactly(&[("LK009", A, 13, 31), ("LK009", A, 14, 3), ("LK009", A, 15, 3), ("LK009", A, 17, 3)])
        .message("LK009", A, 13, "`GOVERN 9.9` is not a NIST AI RMF")
        .hint("LK009", A, 13, "did you mean `GOVERN 1.1`?")
        .message("LK009", A, 14, "`cobit` is not a known framework catalog")
        .message("LK009", A, 15, "`iso27001` is not a known framework catalog")
        .message("LK009", A, 17, "`csf` is not a known framework catalog");
}

// ---- retention ---------------------------------------------------------------------------

#[test]
fn retention_unreadable() {
    Fixture::new("retention_unreadable").check().exactly(&[("RT001", A, 12, 12)]).message(
        "RT001",
        A,
        12,
        "retention `forever`",
    );
}

#[test]
fn retention_past_disposition() {
    // a.md: 1y from its 2024-03-01 record date. b.md: superseded (by c.md) on 2025-01-01, its
    // `obsolete.date`, and kept 1y after. c.md is permanent, d.md (7y from 2026) is still current.
    Fixture::new("retention_past_disposition")
        .check()
        .exactly(&[("RT002", A, 10, 12), ("RT002", B, 12, 12)])
        .severity("RT002", A, 10, "warning")
        .message("RT002", A, 10, "retention `1y` ended on 2025-03-01")
        .message("RT002", B, 12, "retention `until superseded + 1y` ended on 2026-01-01")
        .exit(0);
}

// ---- records (7.5.3) -----------------------------------------------------------------------

#[test]
fn records_have_their_own_lifecycle() {
    // aimsdoc.toml sets a 3y minimum for records. a.md: no record_date, no retention (both at
    // the front matter), approved without next_review yet no RV001. b.md: 1y < 3y. c.md: a 2.0
    // written over the issued 1.x. d.md: past its disposition date and its next_review, but under
    // legal hold and a record: no RT002, no RV002. e.md: drafts and a 1.1 correction are fine.
    // f.md: a malformed record_date and retention are reported as such, not also as missing.
    // g.md: past disposition without a hold. h.md: dated after today (2026-06-01), so its
    // approval before that date is not reported as well. i.md: approved before its event.
    const C: &str = "documents/c.md";
    const F: &str = "documents/f.md";
    const G: &str = "documents/g.md";
    const H: &str = "documents/h.md";
    const I: &str = "documents/i.md";
    Fixture::new("records_lifecycle")
        .check()
        .exactly(&[
            ("RC001", A, 1, 1),
            ("RT003", A, 1, 1),
            ("RT004", B, 10, 12),
            ("RC002", C, 12, 16),
            ("ID008", F, 8, 14),
            ("RT001", F, 9, 12),
            ("RT002", G, 9, 12),
            ("RC003", H, 9, 14),
            ("RC004", I, 8, 42),
        ])
        .severity("RC001", A, 1, "error")
        .severity("RT003", A, 1, "error")
        .severity("RT004", B, 10, "error")
        .severity("RC002", C, 12, "warning")
        .message("RC001", A, 1, "no `record_date`")
        .message("RT003", A, 1, "no `retention`")
        .message("RT004", B, 10, "retention `1y` is shorter than the minimum of 3y for a record")
        .message("RC002", C, 12, "issued as version 1.0 and rewritten as version 2.0 on 2026-03-10")
        .hint("RC002", C, 12, "add a new record with its own id and date")
        .hint("RT004", B, 10, "[retention] minimum")
        .severity("RC003", H, 9, "error")
        .message("RC003", H, 9, "dated 2026-09-30, after today (2026-06-01)")
        .severity("RC004", I, 8, "error")
        .message("RC004", I, 8, "approved on 2026-03-01, before the event it records (2026-03-15")
        .hint("RC004", I, 8, "correct `record_date` or the approval date");
    Fixture::new("records_lifecycle").strict().check().severity("RC002", C, 12, "error");
}

#[test]
fn a_record_minimum_does_not_bind_other_types_and_permanent_meets_any() {
    let record = |id: &str, ty: &str, retention: &str| {
        format!("---\nid: {id}\ntitle: R\ntype: {ty}\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: draft\nrecord_date: 2026-01-08\nretention: {retention}\n---\nBody.\n")
    };
    Fixture::temp()
        .write("aimsdoc.toml", "[retention]\nminimum = { record = \"3y\" }\n")
        .write(A, record("REC-001", "record", "permanent"))
        .write(B, record("RPT-001", "report", "1y"))
        .write("documents/c.md", record("REC-002", "record", "until superseded + 2y"))
        .check()
        .exactly(&[("RT004", "documents/c.md", 9, 12)]);
}

// ---- external origin ---------------------------------------------------------------------

#[test]
fn external_incomplete() {
    // a.md is of type external (reported at the type); b.md says `origin: external` (at the
    // origin) and names a source but no reference.
    Fixture::new("external_incomplete")
        .check()
        .exactly(&[("EX001", A, 4, 7), ("EX001", A, 4, 7), ("EX001", B, 12, 9)])
        .message("EX001", A, 4, "does not name its `source`")
        .message("EX001", A, 4, "does not name its `reference`")
        .message("EX001", B, 12, "does not name its `reference`");
}

#[test]
fn external_origin_mismatch() {
    Fixture::new("external_origin_mismatch").check().exactly(&[("EX002", A, 12, 9)]).message(
        "EX002",
        A,
        12,
        "type external cannot have `origin: internal`",
    );
}

// ---- Statement of Applicability (6.1.3) and mandatory documented information (7.5.1) -------

#[test]
fn soa_errors_are_reported_at_their_entry() {
    // Missing control (at the `applicability` key), implemented without an approved document,
    // duplicate, unknown id, objective id, no id, applicability or status not stated, and an
    // exclusion without justification. POL-001 implements A.2.3, so A.2.3 is not flagged.
    const SOA: &str = "documents/soa.md";
    Fixture::new("portal_soa_errors")
        .portal()
        .check()
        .exit(1)
        .exactly(&[
            ("SA001", SOA, 8, 1),
            ("SA009", SOA, 11, 16),
            ("SA002", SOA, 13, 16),
            ("SA003", SOA, 14, 16),
            ("SA003", SOA, 15, 16),
            ("SA003", SOA, 16, 5),
            ("SA005", SOA, 46, 5),
            ("SA006", SOA, 47, 5),
            ("SA004", SOA, 49, 5),
        ])
        .message("SA001", SOA, 8, "A.10.4 (Customers) is missing")
        .message("SA002", SOA, 13, "already listed on line 9")
        .hint("SA003", SOA, 14, "did you mean `A.2.2`?")
        .hint("SA003", SOA, 15, "control objective")
        .hint("SA004", SOA, 49, "why it is excluded")
        .severity("SA009", SOA, 11, "warning");
}

#[test]
fn bodies_still_holding_the_template_say_nothing() {
    // a.md: a draft as `aimsdoc new` wrote it (ID016, a warning, at its first guidance line).
    // b.md: approved with one guidance line left, indented (ID017 at that line). c.md: approved
    // with nothing but headings (ID017 at the front matter). d.md: headings only, but its
    // attachment carries the content (no finding). e.md: an issued record with the record
    // template's guidance under one heading (ID017).
    const B: &str = "documents/b.md";
    const C: &str = "documents/c.md";
    const E: &str = "documents/e.md";
    Fixture::new("unwritten_body")
        .check()
        .exactly(&[("ID016", A, 14, 1), ("ID017", B, 21, 3), ("ID017", C, 1, 1), ("ID017", E, 21, 1)])
        .severity("ID016", A, 14, "warning")
        .severity("ID017", B, 21, "error")
        .message("ID016", A, 14, "the body of POL-001 still holds the template's guidance \"Why this document exists")
        .hint("ID016", A, 14, "before it goes for approval")
        .message(
            "ID017",
            B,
            21,
            "POL-002 is approved, but its body still holds the template's guidance \"Who and what it applies to.\"",
        )
        .hint("ID017", B, 21, "approve it")
        .message("ID017", C, 1, "nothing but headings, and there are no attachments")
        .message("ID017", E, 21, "\"Findings, decisions and actions, with owners and due dates.\"");
}

#[test]
fn soa_contradictions_placeholders_and_other_controls() {
    // A.2.2 excluded but `implemented`; A.2.3 excluded but approved POL-001 implements it; A.4.2
    // excluded and only a draft lists it (no finding). "n/a" and "-" are not justifications (at
    // the value); TBD in this draft is a placeholder still to fill in (ID012; SA011 once the SoA
    // is approved). KFS-PAY-01 and NIS2-21 come from other sources (`source:`): accepted; A.2.9
    // has no source: SA003 with "did you mean"; NIS2-21 listed twice is SA002.
    const SOA: &str = "documents/soa.md";
    Fixture::new("soa_consistency")
        .portal()
        .check()
        .exactly(&[
            ("SA010", SOA, 9, 5),
            ("SA010", SOA, 10, 5),
            ("SA011", SOA, 11, 75),
            ("SA011", SOA, 12, 75),
            ("ID012", SOA, 13, 59),
            ("SA003", SOA, 48, 16),
            ("SA002", SOA, 50, 16),
        ])
        .severity("SA010", SOA, 9, "error")
        .severity("SA011", SOA, 11, "error")
        .message("SA010", SOA, 9, "A.2.2 is marked not applicable but has implementation status `implemented`")
        .message("SA010", SOA, 10, "approved documents implement it: POL-001")
        .message("SA011", SOA, 11, "`n/a`")
        .message("ID012", SOA, 13, "`applicability.justification` is still the placeholder `TBD`")
        .hint("SA003", SOA, 48, "did you mean `A.2.2`?")
        .hint("SA003", SOA, 48, "`source:`")
        .message("SA002", SOA, 50, "already listed on line 49");
}

#[test]
fn soa_without_entries_and_a_second_soa() {
    let empty =
        common::soa_document("SOA-002", "status: draft", &[]).replace("applicability:\n", "applicability: []\n");
    let empty: String = empty.lines().filter(|l| !l.starts_with("  - ")).map(|l| format!("{l}\n")).collect();
    Fixture::temp()
        .write("aimsdoc.toml", "[checklist]\nenabled = false\n")
        .write(A, common::soa_document("SOA-001", "status: draft", &[]))
        .write(B, empty)
        .portal()
        .check()
        .exactly(&[("SA007", B, 4, 7), ("SA001", B, 8, 1)])
        .message("SA007", B, 4, "`SOA-001` is already in force")
        .message("SA001", B, 8, "lists no Annex A controls");
    // A withdrawn (or superseded) SoA is history, not a second SoA in force.
    Fixture::temp()
        .write("aimsdoc.toml", "[checklist]\nenabled = false\n")
        .write(A, common::soa_document("SOA-001", "status: draft", &[]))
        .write(
            B,
            common::soa_document(
                "SOA-002",
                "status: withdrawn\nobsolete: { date: 2026-02-01, by: \"Jane Smith, CEO\", reason: Replaced by SOA-001 }",
                &[],
            ),
        )
        .portal()
        .check()
        .clean();
}

#[test]
fn checklist_findings_at_the_configuration_file() {
    // 5.2 is met; 4.3 has only a draft and 6.2 only an overdue document; no SoA at all. (Every
    // state and shortfall, CV003 and LK012: tests/it/checklist.rs.) The gaps are ONE finding at
    // the configuration file pointing at checklist.html, one note per item: CV001, since some
    // item is not evidenced at all.
    const CFG: &str = "aimsdoc.toml";
    let at = (CFG, 1, 1);
    let checked = Fixture::new("portal_checklist").portal().check();
    checked
        .exit(0)
        .has_at("CV001", CFG, 1, 1)
        .has_at("SA008", CFG, 1, 1)
        .severity("CV001", CFG, 1, "warning")
        .message(
            "CV001",
            CFG,
            1,
            "19 of 21 items of mandatory documented information not met (17 not evidenced, 2 only in drafts",
        )
        .message("CV001", CFG, 1, "checklist.html")
        .note(
            "CV001",
            CFG,
            1,
            at,
            "4.3/scope \"AIMS scope\" (clause 4.3 Determining the scope of the AI management system): only in",
        )
        .note("CV001", CFG, 1, at, "9.2.2/programme")
        .note("CV001", CFG, 1, at, "not evidenced, needs an approved record or report")
        .hint("CV001", CFG, 1, "approve the draft (`aimsdoc approve ID --by NAME`)");
    assert_eq!(checked.get("CV001", CFG, 1).notes.len(), 19, "{}", checked.dump());
    let tree: Vec<&str> = checked.diags.iter().filter(|d| d.code != "RV002").map(|d| d.code.as_str()).collect();
    assert_eq!(tree, ["CV001", "SA008"], "{}", checked.dump());
}

#[test]
fn checklist_gaps_all_offered_are_one_cv002() {
    // Every required item is offered, only by drafts: the gaps are one CV002 (none is
    // unevidenced), at the configuration file, one note per item.
    const CFG: &str = "aimsdoc.toml";
    let doc = |id: &str, kind: &str, extra: &str, clauses: &str| {
        format!("---\nid: {id}\ntitle: {id}\ntype: {kind}\nowner: Chief AI Officer\nversion: \"0.1\"\nstatus: draft\n{extra}clauses: [{clauses}]\n---\nText.\n")
    };
    let policy = doc("POL-001", "policy", "", "\"4.3\", \"5.2\", \"6.1.2\", \"6.1.3\", \"6.1.4\", \"6.2\"");
    let records =
        "\"6.1.1\", \"6.1.4\", \"7.2\", \"8.1\", \"8.2\", \"8.3\", \"8.4\", \"9.1\", \"9.2.2\", \"9.3.3\", \"10.2\"";
    let record = doc("REC-001", "record", "record_date: 2026-05-01\nretention: 7y\n", records);
    let checked = Fixture::temp()
        .write(A, policy)
        .write(B, record)
        .write("documents/soa.md", common::soa_document("SOA-001", "status: draft", &[]))
        .portal()
        .check();
    checked
        .exactly(&[("CV002", CFG, 1, 1)])
        .severity("CV002", CFG, 1, "warning")
        .message("CV002", CFG, 1, "21 of 21 items of mandatory documented information not met (0 not evidenced, 21 only in drafts")
        .note("CV002", CFG, 1, (CFG, 1, 1), "9.3.3/results \"Evidence of the results of management reviews\" (clause 9.3.3 Management review results): only in REC-001 (draft)")
        .hint("CV002", CFG, 1, "approve the draft (`aimsdoc approve ID --by NAME`)");
    assert_eq!(checked.get("CV002", CFG, 1).notes.len(), 21, "{}", checked.dump());
}

// ---- the whole run -----------------------------------------------------------------------

#[test]
fn many_problems() {
    // Problems in five files, of every stage (empty file, YAML error, schema, links, review
    // dates), all reported by one run, sorted by file, then line.
    let checked = Fixture::new("many_problems").check();
    checked.exit(1).exactly(&[
        ("RV002", A, 9, 14),
        ("ID010", A, 12, 1),
        ("FM004", B, 5, 13),
        ("AP001", "documents/e.md", 7, 1),
        ("LK002", "documents/e.md", 11, 12),
        ("ID005", "documents/sub/c.md", 4, 7),
        ("LK004", "documents/sub/c.md", 11, 5),
        ("FS002", "documents/sub/d.md", 1, 1),
    ]);
    let keys: Vec<(&str, usize)> = checked.diags.iter().map(|d| (d.file.as_str(), d.line)).collect();
    assert!(keys.is_sorted(), "not sorted by file then line: {keys:?}");
}

#[test]
fn every_rule_code_has_a_test() {
    // Exact-position assertions may live in any module of the integration tests (tests/it/,
    // read recursively).
    let dir = common::repo().join("tests").join("it");
    let mut tests = String::new();
    for path in common::files(&dir) {
        if path.extension().is_some_and(|e| e == "rs") {
            tests.push_str(&std::fs::read_to_string(&path).expect("readable test file"));
        }
    }
    let missing: Vec<&str> = aimsdoc::diagnostics::rules::ALL
        .iter()
        .map(|r| r.code)
        .filter(|code| !tests.contains(&format!("(\"{code}\", ")))
        .collect();
    assert!(missing.is_empty(), "rule codes without an exact-position test: {missing:?}");
}
