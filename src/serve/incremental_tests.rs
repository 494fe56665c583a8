//! Proof that `serve`'s incremental rebuild reaches the state of a full build: a copy of
//! `content-example/` is edited step by step (body text, links added, removed and broken,
//! front matter, new, deleted and renamed files, evidence, a file that stops parsing), each
//! step goes through [`Session::rebuild`] as the watcher would report it, and after each the
//! findings and every file written must equal those of a fresh session started on the same
//! tree (the full build's analysis and emit step); while the tree cannot be rendered, only the
//! findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::session::Session;
use super::watch::Changes;
use crate::config::Trust;
use crate::content::types::{parse_date, Date};
use crate::site::Options;

const POL3: &str = "documents/02-leadership/pol-003-acceptable-use-of-ai-tools-policy.md";
const PRC4: &str = "documents/04-support/prc-004-document-control-procedure.md";
const RPT1: &str = "documents/06-performance/rpt-001-aims-performance-report-q3-2026.md";
const NEW: &str = "documents/02-leadership/pol-099-new-rules.md";

fn today() -> Date {
    parse_date("2026-06-01").expect("date")
}

fn options(root: &Path) -> Options {
    Options { root: root.to_path_buf(), strict: false, today: today(), trust: Trust::Trusted }
}

/// Copies the folder `from` to `to` (the LSP's tests edit a copy of the example too).
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every file below `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("below").to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A content tree, served incrementally into `out`.
struct Served {
    content: tempfile::TempDir,
    out: tempfile::TempDir,
    session: Session,
}

impl Served {
    fn start() -> Served {
        Served::start_with(|_| {})
    }

    /// [`Served::start`] on the example as `prepare` changes it.
    fn start_with(prepare: impl FnOnce(&Path)) -> Served {
        let content = tempfile::tempdir().expect("tempdir");
        copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example"), content.path());
        prepare(content.path());
        let out = tempfile::tempdir().expect("tempdir");
        let (session, _) = Session::start(options(content.path()), out.path().to_path_buf()).expect("start");
        Served { content, out, session }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.content.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).expect("write");
    }

    /// Rebuilds after the document files `documents` changed (and other files, if `other`).
    fn rebuild(&mut self, documents: &[&str], other: bool) {
        let documents: BTreeSet<String> = documents.iter().map(|d| d.to_string()).collect();
        let changes = Changes { documents, other, ..Changes::default() };
        self.session.rebuild(&changes, today(), &mut |_| {}).expect("rebuild");
    }

    /// Rewrites document `rel` with `f` and rebuilds.
    fn edit(&mut self, rel: &str, f: impl FnOnce(String) -> String) {
        let text = f(self.read(rel));
        self.write(rel, &text);
        self.rebuild(&[rel], false);
    }

    /// Asserts that the session's findings and site equal a fresh session's on the same tree.
    #[track_caller]
    fn assert_as_full(&self, step: &str) {
        let out = tempfile::tempdir().expect("tempdir");
        let (full, _) = Session::start(options(self.content.path()), out.path().to_path_buf()).expect("start");
        assert_eq!(self.session.diagnostics(), full.diagnostics(), "{step}: findings");
        assert_eq!(self.session.is_blocked(), full.is_blocked(), "{step}: blocked");
        if full.is_blocked() {
            // Nothing is rendered while blocked: the preview keeps the last site it could render.
            return;
        }
        let (ours, theirs) = (files(self.out.path()), files(out.path()));
        let differ: Vec<&String> =
            ours.keys().chain(theirs.keys()).filter(|k| ours.get(*k) != theirs.get(*k)).collect();
        assert!(differ.is_empty(), "{step}: these files differ from a full build: {differ:?}");
    }
}

fn append(text: &str) -> impl FnOnce(String) -> String + '_ {
    move |t| format!("{t}\n{text}\n")
}

fn replace<'a>(from: &'a str, to: &'a str) -> impl FnOnce(String) -> String + 'a {
    move |t| {
        assert!(t.contains(from), "`{from}` is in the document");
        t.replacen(from, to, 1)
    }
}

#[test]
fn edits_reach_the_state_of_a_full_build() {
    let mut s = Served::start();
    s.assert_as_full("start");
    s.edit(POL3, append("A new paragraph about nothing in particular."));
    s.assert_as_full("body text (of an approved document: the ledger's hash no longer matches)");
    s.edit(POL3, replace("\nA new paragraph about nothing in particular.\n", ""));
    s.assert_as_full("body text restored");
    s.edit(POL3, append("See the [document control procedure](../04-support/prc-004-document-control-procedure.md)."));
    s.assert_as_full("a link added");
    s.edit(PRC4, append("Also [the acceptable use policy](doc:POL-003) and [a missing one](doc:POL-404)."));
    s.assert_as_full("a link added and a broken link");
    s.edit(PRC4, replace(" and [a missing one](doc:POL-404)", ""));
    s.assert_as_full("the broken link removed");
    s.edit(
        POL3,
        append(
            "The [metrics](../../evidence/metrics/2026-q3-aims-metrics.csv) and [nothing](../../evidence/none.csv).",
        ),
    );
    s.assert_as_full("links to evidence, one missing");
    s.edit(POL3, replace("status: approved", "status: withdrawn"));
    s.assert_as_full("front matter: status");
    s.edit(RPT1, append("It relies on [the acceptable use policy](doc:POL-003)."));
    s.assert_as_full("a body link to the withdrawn document added");
    s.edit(RPT1, replace("It relies on [the acceptable use policy](doc:POL-003).", "It relies on nothing."));
    s.assert_as_full("the body link to the withdrawn document removed");
    s.edit(POL3, replace("status: withdrawn", "status: approved"));
    s.edit(POL3, replace("version: \"1.1\"", "version: \"1.2\""));
    s.assert_as_full("front matter: version");
    s.edit(POL3, replace("\"A.10.3\"]", "\"A.10.3\", \"A.6.2.6\"]"));
    s.assert_as_full("front matter: controls");
}

#[test]
fn edits_under_a_theme_of_its_own_reach_the_state_of_a_full_build() {
    // Overridden templates send the document and clause pages through Tera, which reads the
    // register rows as template values: the session keeps them, and must keep them current.
    let mut s = Served::start_with(|root| {
        let templates = root.join("theme/templates");
        std::fs::create_dir_all(&templates).expect("mkdir");
        for name in ["document.html", "catalog_entry.html"] {
            let text = format!("{{% extends \"builtin/{name}\" %}}\n");
            std::fs::write(templates.join(name), text).expect("override");
        }
    });
    s.assert_as_full("start");
    s.edit(POL3, replace("status: approved", "status: withdrawn"));
    s.assert_as_full("front matter: status");
    s.edit(POL3, replace("\"A.10.3\"]", "\"A.10.3\", \"A.6.2.6\"]"));
    s.assert_as_full("front matter: controls");
    s.edit(PRC4, append("Also [the acceptable use policy](doc:POL-003)."));
    s.assert_as_full("a link added");
}

#[test]
fn whether_a_body_is_written_reaches_the_checklist() {
    // Without the ledger, a new policy approved and effective before the build date meets 5.2;
    // the template's guidance in its body (a body-only edit) takes that away (ID017), and
    // removing it gives it back: the assessment reads the body too.
    let mut s = Served::start();
    std::fs::remove_file(s.path("approvals.lock")).expect("rm approvals.lock");
    s.write(
        NEW,
        "---\nid: POL-099\ntitle: New rules\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: approved\napproval: { by: \"Amara Okafor, Chief Executive Officer\", date: 2026-01-15 }\nnext_review: 2026-12-15\nclauses: [\"5.2\"]\nhistory:\n  - { version: \"1.0\", date: 2026-01-10, by: Ruth Campbell, summary: Issued }\n---\n\n## Purpose\n\nThe rules we keep.\n",
    );
    s.rebuild(&[NEW], true);
    s.assert_as_full("a policy meeting 5.2");
    s.edit(NEW, append("Why this document exists and what it achieves."));
    s.assert_as_full("the template's guidance in its body");
    s.edit(NEW, replace("\nWhy this document exists and what it achieves.\n", ""));
    s.assert_as_full("the guidance removed");
}

#[test]
fn new_deleted_and_renamed_files_and_evidence_reach_the_state_of_a_full_build() {
    let mut s = Served::start();
    let new = "---\nid: POL-099\ntitle: New rules\ntype: policy\nowner: O\nversion: \"0.1\"\nstatus: draft\n---\nSee [POL-003](doc:POL-003).\n";
    s.write(NEW, new);
    s.rebuild(&[NEW], false);
    s.assert_as_full("a new file");
    s.edit(NEW, append("More text."));
    s.assert_as_full("the new file edited");
    std::fs::remove_file(s.path(NEW)).expect("rm");
    s.rebuild(&[NEW], false);
    s.assert_as_full("the new file deleted");
    let renamed = "documents/02-leadership/pol-003-renamed.md";
    std::fs::rename(s.path(POL3), s.path(renamed)).expect("rename");
    s.rebuild(&[POL3, renamed], false);
    s.assert_as_full("a rename");
    s.write("evidence/metrics/2026-q3-aims-metrics.csv", "changed,evidence\n1,2\n");
    s.rebuild(&[], true);
    s.assert_as_full("evidence changed");
    // Evidence nothing uses is found by a whole-tree rule, which a body edit skips unless the
    // edited document's links to files changed.
    s.write("evidence/metrics/unused.csv", "a,b\n");
    s.rebuild(&[], true);
    s.assert_as_full("evidence nothing uses");
    s.edit(PRC4, append("The [unused figures](../../evidence/metrics/unused.csv)."));
    s.assert_as_full("a body link to the unused evidence");
    s.edit(PRC4, replace("The [unused figures](../../evidence/metrics/unused.csv).", "No figures."));
    s.assert_as_full("the body link to it removed");
    s.edit(PRC4, replace("---\n", "---\nid: [unclosed\n"));
    s.assert_as_full("front matter that does not parse");
    s.edit(PRC4, replace("id: [unclosed\n", ""));
    s.assert_as_full("fixed again");
}
