//! Unit tests of the history reader on repositories built with the `git` binary (the tests'
//! tool only): merges, renames, files outside the content root, links in trees, the export.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo { tmp: tempfile::tempdir().expect("tempdir") };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "t@example.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn content(&self) -> PathBuf {
        self.dir().join("aims")
    }

    fn git(&self, args: &[&str]) {
        let out = Command::new("git").arg("-C").arg(self.dir()).args(args).output().expect("git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn commit(&self, author: &str, date: &str) {
        self.git(&["add", "-A"]);
        let stamp = format!("{date}T12:00:00+0000");
        let out = Command::new("git")
            .arg("-C")
            .arg(self.dir())
            .args(["commit", "-q", "-m", author])
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_COMMITTER_NAME", author)
            .env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp)
            .output()
            .expect("commit");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

fn doc(id: &str, version: &str, status: &str) -> String {
    format!("---\nid: {id}\ntitle: T\ntype: policy\nowner: O\nversion: \"{version}\"\nstatus: {status}\n---\nBody {version}.\n")
}

fn history(repo: &Repo) -> History {
    let config = Config::default();
    match read(&repo.content(), &config) {
        Provenance::Available(h) => h,
        Provenance::Unavailable(why) => panic!("no history: {why}"),
    }
}

fn summary(h: &DocHistory) -> Vec<(String, String, String, bool)> {
    h.versions
        .iter()
        .map(|v| (v.version.clone(), v.first.author.clone(), v.first.date.clone(), v.approved.is_some()))
        .collect()
}

#[test]
fn versions_are_read_by_id_across_a_rename_and_a_merge_credits_the_branch_author() {
    let repo = Repo::new();
    repo.write("aims/documents/a.md", &doc("POL-001", "1.0", "draft"));
    repo.write("elsewhere/documents/x.md", &doc("POL-009", "1.0", "approved"));
    repo.commit("Ann", "2026-01-01");
    repo.write("aims/documents/a.md", &doc("POL-001", "1.0", "approved"));
    repo.commit("Ben", "2026-01-05");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.git(&["mv", "aims/documents/a.md", "aims/documents/policy.md"]);
    repo.write("aims/documents/policy.md", &doc("POL-001", "2.0", "approved"));
    repo.commit("Cas", "2026-02-01");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("aims/notes.md", "not in documents/\n");
    repo.commit("Dee", "2026-02-02");
    let merge = Command::new("git")
        .arg("-C")
        .arg(repo.dir())
        .args(["merge", "-q", "--no-ff", "-m", "merge", "feature"])
        .env("GIT_AUTHOR_NAME", "Merger")
        .env("GIT_COMMITTER_NAME", "Merger")
        .env("GIT_AUTHOR_DATE", "2026-02-03T12:00:00+0000")
        .env("GIT_COMMITTER_DATE", "2026-02-03T12:00:00+0000")
        .output()
        .expect("merge");
    assert!(merge.status.success(), "{}", String::from_utf8_lossy(&merge.stderr));
    let h = history(&repo);
    let pol = &h.docs["POL-001"];
    assert_eq!(
        summary(pol),
        [
            ("2.0".into(), "Cas".into(), "2026-02-01".into(), true),
            ("1.0".into(), "Ann".into(), "2026-01-01".into(), true)
        ]
    );
    let authors: Vec<&str> = pol.commits.iter().map(|c| c.author.as_str()).collect();
    assert_eq!(authors, ["Cas", "Ben", "Ann"], "the merge changed nothing of its own");
    assert_eq!(pol.versions[1].approved.as_ref().map(|s| s.commit.author.as_str()), Some("Ben"));
    assert_eq!(pol.versions[0].last.path, "documents/policy.md");
    assert!(!h.docs.contains_key("POL-009"), "a document outside the content root is not read");
    assert_eq!(h.head.as_ref().map(|c| c.author.as_str()), Some("Merger"));
}

#[test]
fn a_tree_outside_a_repository_or_before_its_first_commit_has_no_history() {
    let plain = tempfile::tempdir().expect("tempdir");
    let config = Config::default();
    assert!(
        matches!(read(plain.path(), &config), Provenance::Unavailable(why) if why.contains("not in a git repository"))
    );
    let repo = Repo::new();
    std::fs::create_dir_all(repo.content()).expect("mkdir");
    assert!(matches!(read(&repo.content(), &config), Provenance::Unavailable(why) if why.contains("no commits")));
}

#[test]
fn export_writes_regular_files_only_and_never_into_a_used_folder() {
    let repo = Repo::new();
    repo.write("aims/documents/a.md", &doc("POL-001", "1.0", "draft"));
    repo.write("aims/evidence/e.csv", "a,b\n");
    repo.write("secret.txt", "outside the content root\n");
    std::os::unix::fs::symlink("../secret.txt", repo.dir().join("aims/link.txt")).expect("symlink");
    repo.commit("Ann", "2026-01-01");
    let dest = tempfile::tempdir().expect("tempdir");
    let out = export_tree(&repo.content(), "HEAD", dest.path()).expect("export");
    assert_eq!((out.files, out.skipped), (2, 1));
    assert!(dest.path().join("documents/a.md").is_file() && dest.path().join("evidence/e.csv").is_file());
    assert!(std::fs::symlink_metadata(dest.path().join("link.txt")).is_err(), "links are not recreated");
    assert!(!dest.path().join("secret.txt").exists());
    let again = export_tree(&repo.content(), "HEAD", dest.path()).expect_err("not empty");
    assert!(format!("{again:#}").contains("is not empty"), "{again:#}");
    let bad = tempfile::tempdir().expect("tempdir");
    assert!(export_tree(&repo.content(), "no-such-rev", bad.path()).is_err());
}

#[test]
fn git_ceiling_directories_stop_the_search_above_the_content_root() {
    let repo = Repo::new();
    repo.write("aims/documents/a.md", &doc("POL-001", "1.0", "draft"));
    repo.commit("Ann", "2026-01-01");
    let root = repo.content().canonicalize().expect("canonical");
    let work = repo.dir().canonicalize().expect("canonical");
    assert!(!repo::beyond_ceiling_of(&root, &work, &[]));
    assert!(repo::beyond_ceiling_of(&root, &work, std::slice::from_ref(&work)));
    // A ceiling at the content root itself does not hide the repository above it (as in git),
    // and one elsewhere does nothing.
    assert!(!repo::beyond_ceiling_of(&root, &work, std::slice::from_ref(&root)));
    assert!(!repo::beyond_ceiling_of(&root, &work, &[PathBuf::from("/nonexistent-ceiling")]));
}
