//! Provenance from git: fixture repositories built in temporary folders with the `git` binary
//! (the test's tool only; aimsdoc reads them in-process), with the content tree in a subfolder
//! of the repository. Versions and authors from commits, the superseded version's page, the
//! redline, the version in force while a draft exists, `build --as-of`, `check --changed-since`
//! (VC012-VC014), and a tree outside git building as before with a notice.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::common::{self, aimsdoc, page, sel, stderr, Diag};

const POL: &str = "documents/pol.md";

/// A git repository in a temporary folder whose content tree is `content/` (also used by
/// `diff.rs` for revisions).
pub(crate) struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    pub(crate) fn new() -> Repo {
        let repo = Repo { tmp: tempfile::tempdir().expect("tempdir") };
        fs::create_dir_all(repo.root().join("documents")).expect("mkdir");
        repo.git(&["init", "-q"]);
        repo.git(&["config", "user.name", "Test"]);
        repo.git(&["config", "user.email", "test@example.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    /// The repository's folder (the content root's parent).
    pub(crate) fn tmp_dir(&self) -> &Path {
        self.tmp.path()
    }

    /// The content root (a subfolder of the work tree).
    pub(crate) fn root(&self) -> PathBuf {
        self.tmp.path().join("content")
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = Process::new("git").arg("-C").arg(self.tmp.path()).args(args).output().expect("run git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> &Repo {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
        self
    }

    /// Commits everything as `author` on `date` (noon UTC); returns the commit's hash.
    pub(crate) fn commit(&self, date: &str, author: &str) -> String {
        self.git(&["add", "-A"]);
        let stamp = format!("{date}T12:00:00+0000");
        let out = Process::new("git")
            .arg("-C")
            .arg(self.tmp.path())
            .args(["commit", "-q", "--allow-empty", "-m", &format!("{author} on {date}")])
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", "author@example.invalid")
            .env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp)
            .output()
            .expect("git commit");
        assert!(out.status.success(), "commit: {}", String::from_utf8_lossy(&out.stderr));
        self.git(&["rev-parse", "HEAD"])
    }
}

/// A policy addressing clause 5.2: `history` lists `(version, date)` newest first.
fn policy(version: &str, status: &str, approved: Option<&str>, history: &[(&str, &str)], body: &str) -> String {
    let approval =
        approved.map(|d| format!("approval: {{ by: \"Jane Smith, CEO\", date: {d} }}\nnext_review: 2027-01-01\n"));
    let entries: String = history
        .iter()
        .map(|(v, d)| format!("  - {{ version: \"{v}\", date: {d}, by: Ann Author, summary: Change {v} }}\n"))
        .collect();
    format!(
        "---\nid: POL-001\ntitle: AI policy\ntype: policy\nowner: Chief AI Officer\nversion: \"{version}\"\nstatus: {status}\n{}clauses: [\"5.2\"]\nhistory:\n{entries}---\n{body}\n",
        approval.unwrap_or_default()
    )
}

const V1_BODY: &str = "## Scope\n\nAll staff use approved AI tools.\n\n## Rules\n\nOld wording of the rules.";
const V2_BODY: &str =
    "## Scope\n\nAll staff and contractors use approved AI tools.\n\n## Rules\n\nNew wording of the rules.";

/// Version 1.0 approved by Alice in January, 2.0 approved by Bob in March, then an unrelated commit.
fn two_versions() -> Repo {
    let repo = Repo::new();
    repo.write("aimsdoc.toml", "[checklist]\nenabled = true\n");
    repo.write(POL, &policy("1.0", "approved", Some("2026-01-12"), &[("1.0", "2026-01-10")], V1_BODY));
    repo.commit("2026-01-12", "Alice Archer");
    let v2 = policy("2.0", "approved", Some("2026-03-02"), &[("2.0", "2026-03-01"), ("1.0", "2026-01-10")], V2_BODY);
    repo.write(POL, &v2);
    repo.commit("2026-03-02", "Bob Baker");
    repo.write("notes.txt", "not a document\n");
    repo.commit("2026-04-01", "Carol Clark");
    repo
}

fn build(repo: &Repo, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("site");
    let a = aimsdoc().arg("build").arg(repo.root()).arg("--out").arg(&out).args(extra).assert();
    let a = a.code(0);
    drop(a);
    (tmp, out)
}

/// The text of an element, its text nodes joined by spaces and whitespace collapsed.
fn text(el: scraper::ElementRef) -> String {
    el.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn versions_and_authors_come_from_the_commits_that_set_them() {
    let repo = two_versions();
    let (_tmp, site) = build(&repo, &[]);
    let doc = page(&site, "documents/POL-001.html");
    let rows: Vec<String> = doc.select(&sel("section.versions tbody tr")).map(text).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].starts_with("2.0 (this page) approved in force 2026-03-02 Bob Baker"), "{rows:?}");
    assert!(rows[1].starts_with("1.0 approved superseded version, not in force 2026-01-12 Alice Archer"), "{rows:?}");
    let summary = doc.select(&sel("section.versions p.muted")).map(text).next().unwrap_or_default();
    assert!(summary.starts_with("2 commits changed this document"), "the unrelated commit is not one: {summary}");

    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("manifest.json")).expect("manifest")).expect("json");
    let history = &manifest["history"]["documents"]["POL-001"];
    assert_eq!(history["commits"].as_array().map(Vec::len), Some(2), "{history}");
    assert_eq!(history["versions"][0]["version"], "2.0");
    assert_eq!(history["versions"][0]["first_commit"]["author"], "Bob Baker");
    assert_eq!(history["versions"][1]["first_commit"]["date"], "2026-01-12");
    assert_eq!(manifest["history"]["head"]["hash"].as_str().map(str::len), Some(40));
    // The documents' own fields stay as they were (the history is a field of its own).
    assert_eq!(manifest["documents"][0]["version"], "2.0");
}

#[test]
fn a_superseded_version_is_its_own_marked_page_rendered_from_its_blob() {
    let repo = two_versions();
    let (_tmp, site) = build(&repo, &[]);
    let old = page(&site, "documents/POL-001/v1.0.html");
    let banner = old.select(&sel(".banner-superseded")).map(text).next().unwrap_or_default();
    assert!(banner.starts_with("Superseded version, not in force."), "{banner}");
    let body = old.select(&sel(".body")).map(text).next().unwrap_or_default();
    assert!(body.contains("Old wording of the rules.") && !body.contains("New wording"), "{body}");
    let approved = old.select(&sel("dl.details dd")).map(text).collect::<Vec<_>>().join(" | ");
    assert!(approved.contains("2026-01-12 · Jane Smith, CEO"), "{approved}");
    // Linked from the Versions table, and printed with its own marks.
    let doc = page(&site, "documents/POL-001.html");
    let links: Vec<&str> = doc.select(&sel("section.versions a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(links.contains(&"POL-001/v1.0.html"), "{links:?}");
    let print_links: Vec<&str> =
        old.select(&sel("link[rel=stylesheet][media=print]")).filter_map(|l| l.value().attr("href")).collect();
    assert!(print_links.contains(&"../../assets/marks/doc-POL-001-v1.0.css"), "{print_links:?}");
    let marks = fs::read_to_string(site.join("assets/marks/doc-POL-001-v1.0.css")).expect("marks");
    assert!(marks.contains("POL-001 version 1.0"), "{marks}");
    assert!(marks.contains("SUPERSEDED VERSION, NOT IN FORCE"), "{marks}");
    // The site still verifies: the new pages are in SHA256SUMS.
    aimsdoc().arg("verify").arg(&site).assert().code(0);
}

#[test]
fn the_redline_marks_words_inserted_and_deleted_without_inline_style_or_script() {
    let repo = two_versions();
    let (_tmp, site) = build(&repo, &[]);
    let html = fs::read_to_string(site.join("documents/POL-001/changes-v1.0-to-v2.0.html")).expect("redline");
    let red = scraper::Html::parse_document(&html);
    let flat = |el: scraper::ElementRef| el.text().collect::<String>();
    let ins: Vec<String> = red.select(&sel(".redline-body ins")).map(flat).collect();
    let del: Vec<String> = red.select(&sel(".redline-body del")).map(flat).collect();
    assert_eq!(ins, ["[inserted: and contractors]", "[inserted: New]"], "{html}");
    assert_eq!(del, ["[deleted: Old]"], "{html}");
    assert_eq!(red.select(&sel(".redline-body h2")).map(text).collect::<Vec<_>>(), ["Scope", "Rules"]);
    assert!(!html.contains(" style=") && !html.contains("<script>"), "CSP-clean");
    // Linked from the version it leads to.
    let doc = page(&site, "documents/POL-001.html");
    let links: Vec<&str> = doc.select(&sel("section.versions a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(links.contains(&"POL-001/changes-v1.0-to-v2.0.html"), "{links:?}");
}

#[test]
fn the_approved_version_stays_in_force_while_its_successor_is_a_draft() {
    let repo = two_versions();
    // Work tree only (a dirty tree): version 2.1 drafted.
    let draft =
        policy("2.1", "draft", None, &[("2.1", "2026-05-01"), ("2.0", "2026-03-01"), ("1.0", "2026-01-10")], "Draft.");
    repo.write(POL, &draft);
    let (_tmp, site) = build(&repo, &[]);
    let doc = page(&site, "documents/POL-001.html");
    let banner = doc.select(&sel(".banner-in-force")).map(text).next().unwrap_or_default();
    assert!(banner.starts_with("Version 2.0 stays in force while this version 2.1 is in draft"), "{banner}");
    let rows: Vec<String> = doc.select(&sel("section.versions tbody tr")).map(text).collect();
    assert!(rows[0].starts_with("2.1 (this page) draft not committed"), "{rows:?}");
    assert!(rows[1].starts_with("2.0 approved in force"), "{rows:?}");
    assert!(site.join("documents/POL-001/v2.0.html").is_file());
    assert!(site.join("documents/POL-001/changes-v2.0-to-v2.1.html").is_file());
    // The checklist counts version 2.0 (the policy item is met); without history, the draft.
    let met = |site: &Path| fs::read_to_string(site.join("checklist.csv")).expect("csv");
    let with = met(&site);
    let (_tmp2, bare) = build(&repo, &["--no-history"]);
    let without = met(&bare);
    let policy_row = |csv: &str| csv.lines().find(|l| l.starts_with("5.2,")).unwrap_or_default().to_string();
    assert!(policy_row(&with).contains("POL-001") && policy_row(&with).contains(",met,"), "{}", policy_row(&with));
    assert!(!policy_row(&without).contains(",met,"), "{}", policy_row(&without));
}

#[test]
fn as_of_builds_the_portal_as_it_stood_on_that_date() {
    let repo = two_versions();
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("feb");
    let a = aimsdoc().arg("build").arg(repo.root()).args(["--as-of", "2026-02-15", "--out"]).arg(&out).assert().code(0);
    assert!(stderr(&a).contains("as of 2026-02-15: commit "), "{}", stderr(&a));
    let doc = page(&out, "documents/POL-001.html");
    let version = doc.select(&sel(".fact-version strong")).map(text).next().unwrap_or_default();
    assert_eq!(version, "1.0");
    assert!(doc.select(&sel(".body")).map(text).next().unwrap_or_default().contains("Old wording"));
    // Judged on that date: the footer says so, and history stops there.
    assert!(fs::read_to_string(out.join("index.html")).expect("index").contains("2026-02-15"));
    assert!(!out.join("documents/POL-001/v1.0.html").exists(), "1.0 was in force on that date");
    // Before the first commit there is nothing to build.
    let early = tmp.path().join("early");
    let a = aimsdoc().arg("build").arg(repo.root()).args(["--as-of", "2025-12-31", "--out"]).arg(&early).assert();
    assert_eq!(a.get_output().status.code(), Some(2), "{}", stderr(&a));
    assert!(stderr(&a).contains("no commit on or before 2025-12-31"), "{}", stderr(&a));
}

/// `aimsdoc check ROOT --changed-since REV --format json`: the findings and the exit code.
fn changed_since(repo: &Repo, rev: &str) -> (Vec<Diag>, i32) {
    let out = aimsdoc()
        .arg("check")
        .arg(repo.root())
        .args(["--changed-since", rev, "--format", "json"])
        .output()
        .expect("run");
    let diags: Vec<Diag> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (diags, out.status.code().unwrap_or(-1))
}

fn found(diags: &[Diag]) -> Vec<(&str, &str, usize, usize)> {
    // The tree is no whole AIMS: the checklist's and the SoA's findings are not about history.
    diags
        .iter()
        .filter(|d| !d.code.starts_with("CV") && !d.code.starts_with("SA"))
        .map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column))
        .collect()
}

#[test]
fn changed_since_catches_an_edit_without_a_new_version() {
    let repo = two_versions();
    let base = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(found(&changed_since(&repo, &base).0), []);
    let v2 = policy("2.0", "approved", Some("2026-03-02"), &[("2.0", "2026-03-01"), ("1.0", "2026-01-10")], V2_BODY);
    repo.write(POL, &v2.replace("New wording", "Quietly changed wording"));
    let (diags, exit) = changed_since(&repo, &base);
    assert_eq!(found(&diags), [("VC012", "documents/pol.md", 6, 10)]);
    assert_eq!(exit, 1);
    let d = &diags.iter().find(|d| d.code == "VC012").expect("VC012");
    assert_eq!((d.severity.as_str(), d.clause.as_str()), ("error", "7.5.3"));
    assert!(d.message.contains(&format!("changed since `{base}`")), "{}", d.message);
    // Committed, the edit is still caught against the base revision.
    repo.commit("2026-04-02", "Mallory");
    assert_eq!(found(&changed_since(&repo, "HEAD~1").0), [("VC012", "documents/pol.md", 6, 10)]);
}

#[test]
fn changed_since_catches_a_version_going_down_and_a_reapproval_without_a_change() {
    let repo = two_versions();
    let v1 = policy("1.0", "approved", Some("2026-01-12"), &[("1.0", "2026-01-10")], V1_BODY);
    repo.write(POL, &v1);
    assert_eq!(found(&changed_since(&repo, "HEAD").0), [("VC013", "documents/pol.md", 6, 10)]);
    // Same text and version, a new approval date and no review entry.
    let v2 = policy("2.0", "approved", Some("2026-03-02"), &[("2.0", "2026-03-01"), ("1.0", "2026-01-10")], V2_BODY);
    repo.write(POL, &v2.replace("date: 2026-03-02 }", "date: 2026-04-20 }"));
    let (diags, exit) = changed_since(&repo, "HEAD");
    assert_eq!(found(&diags), [("VC014", "documents/pol.md", 8, 1)]);
    assert_eq!(exit, 1);
    // With a review entry confirming the version, the new approval is accepted.
    let reviewed = v2
        .replace("date: 2026-03-02 }", "date: 2026-04-20 }")
        .replace("clauses:", "reviews:\n  - { date: 2026-04-20, by: Jane Smith, outcome: no-change }\nclauses:");
    repo.write(POL, &reviewed);
    assert!(!found(&changed_since(&repo, "HEAD").0).iter().any(|f| f.0.starts_with("VC01")));
}

#[test]
fn changed_since_outside_git_or_with_an_unknown_revision_fails_with_a_hint() {
    let repo = two_versions();
    let a = aimsdoc().arg("check").arg(repo.root()).args(["--changed-since", "no-such-rev"]).assert();
    assert_eq!(a.get_output().status.code(), Some(2), "{}", stderr(&a));
    assert!(stderr(&a).contains("`no-such-rev` is not a revision"), "{}", stderr(&a));
    let plain = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(plain.path().join("documents")).expect("mkdir");
    let a = aimsdoc().arg("check").arg(plain.path()).args(["--changed-since", "HEAD"]).assert();
    assert_eq!(a.get_output().status.code(), Some(2));
    assert!(stderr(&a).contains("needs the content root"), "{}", stderr(&a));
}

#[test]
fn a_tree_outside_git_builds_as_before_with_a_notice_that_strict_does_not_fail() {
    let plain = tempfile::tempdir().expect("tempdir");
    let root = plain.path();
    fs::create_dir_all(root.join("documents")).expect("mkdir");
    fs::write(root.join(POL), policy("1.0", "approved", Some("2026-01-12"), &[("1.0", "2026-01-10")], V1_BODY))
        .expect("write");
    aimsdoc().arg("check").arg(root).arg("--strict").assert().code(0);
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let a = aimsdoc().arg("build").arg(root).arg("--strict").arg("--out").arg(&site).assert().code(0);
    assert!(stderr(&a).contains("note: version history from git is unavailable"), "{}", stderr(&a));
    let doc = page(&site, "documents/POL-001.html");
    let note = doc.select(&sel("section.versions p")).map(text).next().unwrap_or_default();
    assert!(note.starts_with("Version history from git is unavailable"), "{note}");
    let manifest = fs::read_to_string(site.join("manifest.json")).expect("manifest");
    assert!(!manifest.contains("\"history\""), "no history field without git");
}

#[test]
fn the_example_replays_into_a_repository_with_dated_authored_versions() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dest = tmp.path().join("kestrel");
    let script = common::example().join("make-history.sh");
    let out = Process::new("bash").arg(&script).arg(&dest).output().expect("run make-history.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let log = Process::new("git")
        .arg("-C")
        .arg(&dest)
        .args(["log", "--format=%an|%ad|%s", "--date=short"])
        .output()
        .expect("log");
    let log = String::from_utf8_lossy(&log.stdout).into_owned();
    assert!(log.contains("Daniel Reyes|2025-05-12|pol-001-ai-policy 1.0: First issue"), "{log}");
    let out_dir = tmp.path().join("site");
    common::build_on(common::EXAMPLE_TODAY, &dest, &out_dir).code(0);
    let doc = page(&out_dir, "documents/POL-001.html");
    let rows: Vec<String> = doc.select(&sel("section.versions tbody tr")).map(text).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[2].starts_with("1.0 approved superseded version, not in force 2025-05-12 Daniel Reyes"), "{rows:?}");
    assert!(out_dir.join("documents/POL-001/v2.0.html").is_file());
}

#[test]
fn a_version_once_more_restricted_than_published_gets_no_page() {
    let repo = Repo::new();
    let v1 = policy("1.0", "approved", Some("2026-01-12"), &[("1.0", "2026-01-10")], V1_BODY);
    repo.write(POL, &v1.replace("clauses:", "classification: restricted\nclauses:"));
    repo.commit("2026-01-12", "Alice Archer");
    repo.write(
        POL,
        &policy("2.0", "approved", Some("2026-03-02"), &[("2.0", "2026-03-01"), ("1.0", "2026-01-10")], V2_BODY),
    );
    repo.commit("2026-03-02", "Bob Baker");
    let (_tmp, site) = build(&repo, &[]);
    assert!(!site.join("documents/POL-001/v1.0.html").exists(), "restricted then, withheld now");
    assert!(!site.join("documents/POL-001").exists(), "and no redline from it");
    let all = common::files(&site).into_iter().map(|p| fs::read_to_string(p).unwrap_or_default()).collect::<String>();
    assert!(!all.contains("Old wording"), "the restricted text is nowhere in the site");
}
