//! Fixture harness: runs the real `aimsdoc check DIR --format json` on a content tree and makes
//! fluent assertions on the findings, e.g.
//! `Fixture::new("missing_owner").check().has("ID001", "documents/a.md", 1).only(&["ID001"])`.
//!
//! Every run pins `AIMSDOC_TODAY` so review-date rules are deterministic, and every run checks
//! that the exit code agrees with the findings (1 with errors, else 0) and that each finding
//! carries its rule's clause and (unless escalated) its rule's default severity.
//!
//! The helpers every test module shares live here too, once: running the binary ([`aimsdoc`],
//! [`build`], [`stdout`]...), the trees ([`example`], [`fixture`]), reading built sites
//! ([`page`], [`sel`], [`sha256`]...) and files ([`files`], [`snapshot`], [`copy_dir`]).

mod run;
mod site;

pub(crate) use run::*;
pub(crate) use site::*;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aimsdoc::diagnostics::rules;
use serde::Deserialize;

/// One finding as printed by `--format json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Diag {
    pub code: String,
    pub severity: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
    pub clause: String,
    pub notes: Vec<Note>,
}

/// A note of a finding ("first used here") as printed by `--format json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Note {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diag {
    fn at(&self, code: &str, file: &str, line: usize) -> bool {
        self.code == code && self.file == file && self.line == line
    }
}

/// A content tree to check: a committed fixture, or a temporary copy that tests may modify.
pub(crate) struct Fixture {
    root: PathBuf,
    strict: bool,
    portal: bool,
    untrusted: bool,
    _tmp: Option<tempfile::TempDir>,
}

impl Fixture {
    /// The committed fixture `tests/fixtures/<case>`, checked in place.
    pub(crate) fn new(case: &str) -> Self {
        let root = fixture(case);
        Fixture { root, strict: false, portal: false, untrusted: false, _tmp: None }
    }

    /// An empty content tree (with an empty `documents/`) in a temporary directory.
    pub(crate) fn temp() -> Self {
        let tmp = tempfile::tempdir().expect("create tempdir");
        let root = tmp.path().join("content");
        fs::create_dir_all(root.join("documents")).expect("create documents/");
        Fixture { root, strict: false, portal: false, untrusted: false, _tmp: Some(tmp) }
    }

    /// A temporary copy of the committed fixture `case`, for tests that add files at run time.
    pub(crate) fn copy(case: &str) -> Self {
        let fixture = Fixture::temp();
        copy_dir(&self::fixture(case), &fixture.root);
        fixture
    }

    /// The content root.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// A scratch directory beside (outside) the content root; only for temporary fixtures.
    pub(crate) fn outside(&self) -> PathBuf {
        let tmp = self._tmp.as_ref().expect("outside() needs Fixture::temp or Fixture::copy");
        let dir = tmp.path().join("outside");
        fs::create_dir_all(&dir).expect("create outside dir");
        dir
    }

    /// Writes `bytes` to `rel` (relative to the content root); only for temporary fixtures.
    pub(crate) fn write(self, rel: &str, bytes: impl AsRef<[u8]>) -> Self {
        assert!(self._tmp.is_some(), "refusing to write into a committed fixture; use Fixture::copy");
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create parent dirs");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self
    }

    /// Replaces `from` (which must occur) by `to` in the file `rel`; only for temporary fixtures.
    pub(crate) fn edit(self, rel: &str, from: &str, to: &str) -> Self {
        let text = fs::read_to_string(self.root.join(rel)).expect("read file to edit");
        assert!(text.contains(from), "`{from}` not found in {rel}");
        let edited = text.replacen(from, to, 1);
        self.write(rel, edited)
    }

    /// Creates the symlink `link` (relative to the content root) pointing at `target`.
    pub(crate) fn symlink(self, target: impl AsRef<Path>, link: &str) -> Self {
        assert!(self._tmp.is_some(), "symlinks are created in temporary fixtures only");
        let path = self.root.join(link);
        fs::create_dir_all(path.parent().expect("parent")).expect("create parent dirs");
        std::os::unix::fs::symlink(target.as_ref(), &path)
            .unwrap_or_else(|e| panic!("symlink {}: {e}", path.display()));
        self
    }

    /// Runs with `--strict`.
    pub(crate) fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// Keeps the tree-level Statement of Applicability (SA*) and mandatory-documents checklist
    /// (CV*) findings, which other tests drop: their tiny trees are not a whole AIMS (the exit
    /// code is still checked against every finding).
    pub(crate) fn portal(mut self) -> Self {
        self.portal = true;
        self
    }

    /// Checks as a pull request's tree would be (`--untrusted`).
    pub(crate) fn untrusted(mut self) -> Self {
        self.untrusted = true;
        self
    }

    /// Runs `aimsdoc check ROOT --format json` and parses the findings.
    pub(crate) fn check(&self) -> Checked {
        let mut cmd = aimsdoc();
        cmd.arg("check").arg(&self.root).args(["--format", "json"]);
        if self.strict {
            cmd.arg("--strict");
        }
        if self.untrusted {
            cmd.arg("--untrusted");
        }
        let start = Instant::now();
        let output = cmd.output().expect("run aimsdoc");
        let elapsed = start.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let exit = output.status.code().unwrap_or_else(|| panic!("aimsdoc was killed by a signal\nstderr:\n{stderr}"));
        let diags: Vec<Diag> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("stdout is not a JSON array of findings ({e}); exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}")
        });
        let mut checked = Checked { diags, exit, elapsed, stderr };
        checked.consistent(self.strict);
        if !self.portal {
            checked.diags.retain(|d| !d.code.starts_with("SA") && !d.code.starts_with("CV"));
        }
        checked
    }
}

/// The outcome of one run.
#[derive(Debug)]
pub(crate) struct Checked {
    /// Findings, in output order.
    pub diags: Vec<Diag>,
    /// Process exit code.
    pub exit: i32,
    /// Wall time of the run.
    pub elapsed: Duration,
    stderr: String,
}

impl Checked {
    /// Invariants of every run: exit code, clause and severity agree with the rule table.
    fn consistent(&self, strict: bool) {
        let errors = self.diags.iter().any(|d| d.severity == "error");
        assert_eq!(self.exit, i32::from(errors), "exit code does not match the findings\n{}", self.dump());
        for d in &self.diags {
            let rule = rules::by_code(&d.code).unwrap_or_else(|| panic!("unknown code {}\n{}", d.code, self.dump()));
            assert_eq!(d.clause, rule.clause, "clause of {}", d.code);
            assert!(!d.message.is_empty() && !d.hint.is_empty(), "{} lacks a message or hint\n{}", d.code, self.dump());
            let default = rule.severity.as_str();
            let expected = if strict && default == "warning" { "error" } else { default };
            // RV002's severity is configurable (`overdue = "error"`), and so are AP004's and
            // AP007's (`segregation_of_duties`); the tests assert them.
            if !matches!(d.code.as_str(), "RV002" | "AP004" | "AP007") {
                assert_eq!(d.severity, expected, "severity of {} at {}:{}", d.code, d.file, d.line);
            }
        }
    }

    /// All findings, one per line, for failure messages.
    pub(crate) fn dump(&self) -> String {
        let mut s = format!("exit {}; {} finding(s):\n", self.exit, self.diags.len());
        for d in &self.diags {
            s.push_str(&format!(
                "  {} {} {}:{}:{} {} (hint: {})\n",
                d.code, d.severity, d.file, d.line, d.column, d.message, d.hint
            ));
        }
        if !self.stderr.is_empty() {
            s.push_str(&format!("stderr:\n{}", self.stderr));
        }
        s
    }

    /// The findings with `code` at `file:line`.
    pub(crate) fn at(&self, code: &str, file: &str, line: usize) -> Vec<&Diag> {
        self.diags.iter().filter(|d| d.at(code, file, line)).collect()
    }

    /// The one finding with `code` at `file:line`.
    #[allow(dead_code, reason = "harness API for tests that inspect one finding's fields")]
    #[track_caller]
    pub(crate) fn get(&self, code: &str, file: &str, line: usize) -> &Diag {
        match self.at(code, file, line).as_slice() {
            [one] => one,
            [] => panic!("expected {code} at {file}:{line}\n{}", self.dump()),
            _ => panic!("expected one {code} at {file}:{line}, found several\n{}", self.dump()),
        }
    }

    /// Asserts a finding `code` at `file:line`.
    #[track_caller]
    pub(crate) fn has(&self, code: &str, file: &str, line: usize) -> &Self {
        assert!(!self.at(code, file, line).is_empty(), "expected {code} at {file}:{line}\n{}", self.dump());
        self
    }

    /// Asserts a finding `code` at `file:line:column`.
    #[track_caller]
    pub(crate) fn has_at(&self, code: &str, file: &str, line: usize, column: usize) -> &Self {
        let found = self.at(code, file, line).iter().any(|d| d.column == column);
        assert!(found, "expected {code} at {file}:{line}:{column}\n{}", self.dump());
        self
    }

    /// Asserts a finding `code` at `file:line` whose message contains `needle`.
    #[track_caller]
    pub(crate) fn message(&self, code: &str, file: &str, line: usize, needle: &str) -> &Self {
        let found = self.at(code, file, line).iter().any(|d| d.message.contains(needle));
        assert!(found, "expected {code} at {file}:{line} with message containing {needle:?}\n{}", self.dump());
        self
    }

    /// Asserts a finding `code` at `file:line` whose hint contains `needle`.
    #[track_caller]
    pub(crate) fn hint(&self, code: &str, file: &str, line: usize, needle: &str) -> &Self {
        let found = self.at(code, file, line).iter().any(|d| d.hint.contains(needle));
        assert!(found, "expected {code} at {file}:{line} with hint containing {needle:?}\n{}", self.dump());
        self
    }

    /// Asserts a finding `code` at `file:line` with a note at `(file, line, column)` whose
    /// message contains `needle`.
    #[track_caller]
    pub(crate) fn note(&self, code: &str, file: &str, line: usize, at: (&str, usize, usize), needle: &str) -> &Self {
        let found = self
            .at(code, file, line)
            .iter()
            .any(|d| d.notes.iter().any(|n| (n.file.as_str(), n.line, n.column) == at && n.message.contains(needle)));
        assert!(found, "expected {code} at {file}:{line} with a note at {at:?} containing {needle:?}\n{}", self.dump());
        self
    }

    /// Asserts the severity of the findings `code` at `file:line`.
    #[track_caller]
    pub(crate) fn severity(&self, code: &str, file: &str, line: usize, severity: &str) -> &Self {
        let found = self.at(code, file, line);
        assert!(
            !found.is_empty() && found.iter().all(|d| d.severity == severity),
            "expected {code} at {file}:{line} to be {severity}\n{}",
            self.dump()
        );
        self
    }

    /// Asserts that the findings are exactly `codes` (as a multiset, in any order).
    #[track_caller]
    pub(crate) fn only(&self, codes: &[&str]) -> &Self {
        let mut want: Vec<&str> = codes.to_vec();
        let mut got: Vec<&str> = self.diags.iter().map(|d| d.code.as_str()).collect();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want, "unexpected set of findings\n{}", self.dump());
        self
    }

    /// Asserts that the findings are exactly these `(code, file, line, column)`, in this order.
    #[track_caller]
    pub(crate) fn exactly(&self, expected: &[(&str, &str, usize, usize)]) -> &Self {
        let got: Vec<(&str, &str, usize, usize)> =
            self.diags.iter().map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column)).collect();
        assert_eq!(got, expected, "unexpected findings\n{}", self.dump());
        self
    }

    /// Asserts no findings at all and exit code 0.
    #[track_caller]
    pub(crate) fn clean(&self) -> &Self {
        assert!(self.diags.is_empty() && self.exit == 0, "expected no findings\n{}", self.dump());
        self
    }

    /// Asserts the exit code.
    #[track_caller]
    pub(crate) fn exit(&self, code: i32) -> &Self {
        assert_eq!(self.exit, code, "exit code\n{}", self.dump());
        self
    }

    /// Asserts that the run took less than `limit`.
    #[track_caller]
    pub(crate) fn within(&self, limit: Duration) -> &Self {
        assert!(self.elapsed < limit, "took {:?}, limit {limit:?}\n{}", self.elapsed, self.dump());
        self
    }
}

// ---- files -------------------------------------------------------------------------------------

/// Every file below `dir`, sorted.
pub(crate) fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every file below `dir` with its bytes, by `/`-separated relative path (without the output
/// folder's `.aimsdoc-site` marker, whose token is random per build).
pub(crate) fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|path| !path.ends_with(".aimsdoc-site"))
        .map(|path| {
            let rel = path.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
            (rel, fs::read(&path).expect("readable file"))
        })
        .collect()
}

/// Every `.md` file below `dir`, sorted.
pub(crate) fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    files(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")).collect()
}

/// An SoA (`type: soa`) with a `planned` entry for every Annex A control except `skip`, at
/// `status` (its applicability list starts on line 8, one control per line from line 9).
pub(crate) fn soa_document(id: &str, status: &str, skip: &[&str]) -> String {
    let mut s = format!(
        "---\nid: {id}\ntitle: Statement of Applicability\ntype: soa\nowner: Chief AI Officer\nversion: \"1.0\"\n{status}\napplicability:\n"
    );
    for c in aimsdoc::catalog::iso42001().of_kind(aimsdoc::catalog::Kind::AnnexControl) {
        if !skip.contains(&c.id.as_str()) {
            s.push_str(&format!(
                "  - {{ control: \"{}\", applicable: true, status: planned, justification: \"Planned.\" }}\n",
                c.id
            ));
        }
    }
    s + "---\nBody.\n"
}

/// Copies every file below `from` (as [`snapshot`] sees them: without a site's `.aimsdoc-site`
/// marker) to the same relative path below `to`, creating folders as needed.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    copy_files(from, to, |_| false);
}

/// Copies the example tree to `to`, without a `site/` it may have been built into in place.
pub(crate) fn copy_example(to: &Path) {
    copy_files(&example(), to, |rel| rel.starts_with("site/"));
}

fn copy_files(from: &Path, to: &Path, skip: impl Fn(&str) -> bool) {
    fs::create_dir_all(to).expect("create dir");
    for (rel, bytes) in snapshot(from) {
        if skip(&rel) {
            continue;
        }
        let dest = to.join(&rel);
        fs::create_dir_all(dest.parent().expect("parent")).expect("create parent dirs");
        fs::write(&dest, bytes).unwrap_or_else(|e| panic!("write {}: {e}", dest.display()));
    }
}
