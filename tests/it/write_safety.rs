//! Writes that a content tree cannot redirect (issue 9 items 4, 6, 7, 8 and the output-size
//! budget of item 11), with the real binary: `approve` never follows planted temporary names
//! and never loses an entry to a concurrent run, a linked or special ledger is refused without
//! echoing it, and the output folder (marker, origin, links, parents, stale staging, budget)
//! only ever receives what aimsdoc means to write.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use aimsdoc::integrity::ledger::Ledger;

use crate::common::{aimsdoc, aimsdoc_process, build, output_of, snapshot, Fixture, TODAY};

const SECRET: &str = "AIMSDOC_FAKE_SECRET=hunter2-do-not-print";

/// An approved policy `POL-00n` that `approve` accepts as it stands.
fn policy(n: usize) -> String {
    format!(
        "---\nid: POL-{n:03}\ntitle: AI Policy {n}\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: approved\napproval: {{ by: \"Jane Smith, CEO\", date: 2026-01-15 }}\nnext_review: 2027-01-10\nhistory:\n  - {{ version: \"1.0\", date: 2026-01-10, by: J. Smith, summary: Issued }}\n---\n\nPolicy {n}.\n"
    )
}

fn policies(n: usize) -> Fixture {
    (1..=n).fold(Fixture::temp(), |fx, i| fx.write(&format!("documents/pol-{i:03}.md"), policy(i)))
}

/// Hidden staging or set-aside folders aimsdoc left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".aimsdoc-"))
        .collect()
}

// ---- approve (items 7 and 4) ------------------------------------------------------------------

#[test]
fn approve_never_follows_links_planted_at_temporary_names() {
    let fx = policies(1);
    let victim = fx.outside().join("victim.txt");
    fs::write(&victim, "precious").expect("write victim");
    // The old names were `.<name>.aimsdoc-tmp-<PID>`; the next PIDs are the likely ones.
    let pid = std::process::id();
    for p in pid..pid + 3000 {
        for name in ["approvals.lock", "pol-001.md"] {
            let dir = if name.ends_with(".md") { fx.root().join("documents") } else { fx.root().to_path_buf() };
            std::os::unix::fs::symlink(&victim, dir.join(format!(".{name}.aimsdoc-tmp-{p}"))).expect("plant link");
        }
    }
    let a = aimsdoc()
        .args(["approve", "POL-001", "--by", "Chief Risk Officer", "--date", "2026-02-01"])
        .arg(fx.root())
        .assert();
    a.code(0);
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "precious");
    let ledger = fs::read_to_string(fx.root().join("approvals.lock")).expect("ledger written");
    assert!(ledger.contains("POL-001 1.0 ") && ledger.contains("Chief Risk Officer"), "{ledger}");
    let doc = fs::read_to_string(fx.root().join("documents/pol-001.md")).expect("doc");
    assert!(doc.contains("by: \"Chief Risk Officer\""), "{doc}");
    assert!(fs::symlink_metadata(fx.root().join("approvals.lock")).expect("meta").is_file());
    assert!(!fx.root().join(".approvals.lock.lock").exists(), "the lock file is removed");
}

#[test]
fn concurrent_approvals_all_reach_the_ledger() {
    const N: usize = 8;
    for round in 0..3 {
        let fx = policies(N);
        let children: Vec<_> = (1..=N)
            .map(|i| {
                aimsdoc_process(TODAY)
                    .args(["approve", &format!("POL-{i:03}"), "--by", "Jane Smith, CEO", "--date", "2026-01-15"])
                    .arg(fx.root())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn approve")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let text = fs::read_to_string(fx.root().join("approvals.lock")).expect("ledger");
        let (ledger, errors) = Ledger::parse(&text);
        assert!(errors.is_empty(), "{errors:?}");
        let ids: Vec<&str> = ledger.entries().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), N, "round {round}: an approval was lost:\n{text}");
        assert!(!fx.root().join(".approvals.lock.lock").exists());
    }
}

#[test]
fn a_linked_ledger_is_refused_without_printing_its_target() {
    let fx = policies(1);
    let secret = fx.outside().join("env");
    fs::write(&secret, format!("{SECRET}\nPOL-001 1.0 {SECRET} 2026-01-01 x\n")).expect("write secret");
    let fx = fx.symlink(&secret, "approvals.lock");
    let check = aimsdoc().arg("check").arg(fx.root()).args(["--format", "json"]).assert().code(1);
    let text = output_of(&check);
    assert!(text.contains("IN004") && text.contains("symbolic link"), "{text}");
    let approve = aimsdoc()
        .args(["approve", "POL-001", "--by", "Jane Smith, CEO", "--date", "2026-01-15"])
        .arg(fx.root())
        .assert();
    let text = output_of(&approve.code(2));
    assert!(text.contains("symbolic link"), "{text}");
    let human = output_of(&aimsdoc().arg("check").arg(fx.root()).assert().code(1));
    for out in [&text, &human, &output_of(&check)] {
        assert!(!out.contains("hunter2"), "the secret was printed:\n{out}");
    }
    assert_eq!(fs::read_to_string(&secret).expect("secret"), format!("{SECRET}\nPOL-001 1.0 {SECRET} 2026-01-01 x\n"));
}

#[test]
fn a_fifo_or_folder_ledger_is_refused_without_hanging() {
    let fx = policies(1);
    let status = Process::new("mkfifo").arg(fx.root().join("approvals.lock")).status().expect("run mkfifo");
    assert!(status.success());
    let start = Instant::now();
    let text = output_of(&aimsdoc().arg("check").arg(fx.root()).assert().code(1));
    assert!(text.contains("IN004") && text.contains("not a regular file"), "{text}");
    let approve = aimsdoc()
        .args(["approve", "POL-001", "--by", "Jane Smith, CEO", "--date", "2026-01-15"])
        .arg(fx.root())
        .assert();
    assert!(output_of(&approve.code(2)).contains("not a regular file"));
    assert!(start.elapsed() < Duration::from_secs(60));
    let fx = policies(1);
    fs::create_dir(fx.root().join("approvals.lock")).expect("mkdir");
    let text = output_of(&aimsdoc().arg("check").arg(fx.root()).assert().code(1));
    assert!(text.contains("not a regular file"), "{text}");
}

// ---- the output folder (item 8) ---------------------------------------------------------------

/// A folder outside the tree holding a precious file and the marker `marker` (written by `f`).
fn foreign_site(fx: &Fixture, f: impl FnOnce(&Path)) -> PathBuf {
    let site = fx.outside().join("site");
    fs::create_dir_all(&site).expect("mkdir");
    fs::write(site.join("precious.txt"), "keep me").expect("write");
    f(&site);
    site
}

#[test]
fn a_marker_that_is_a_link_is_not_trusted() {
    let fx = policies(1);
    let real_marker = fx.outside().join("marker");
    fs::write(&real_marker, "aimsdoc-site 1\n0123456789abcdef0123456789abcdef\n").expect("write");
    let site = foreign_site(&fx, |s| std::os::unix::fs::symlink(&real_marker, s.join(".aimsdoc-site")).expect("link"));
    let text = output_of(&build(fx.root(), &site).code(2));
    assert!(text.contains("not created by aimsdoc") && text.contains("symbolic link"), "{text}");
    assert_eq!(fs::read_to_string(site.join("precious.txt")).expect("kept"), "keep me");
}

#[test]
fn old_and_forged_markers_are_not_trusted() {
    let old = "This directory was generated by aimsdoc; it is replaced on every build.\n";
    for (marker, needle) in [
        (old, "rm -r"),
        ("", "not a marker aimsdoc wrote"),
        ("aimsdoc-site 1\nnot-a-token\n", "not a marker aimsdoc wrote"),
        ("aimsdoc-site 1\n0123456789abcdef0123456789abcdef\nextra\n", "not a marker aimsdoc wrote"),
    ] {
        let fx = policies(1);
        let site = foreign_site(&fx, |s| fs::write(s.join(".aimsdoc-site"), marker).expect("marker"));
        let text = output_of(&build(fx.root(), &site).code(2));
        assert!(text.contains("not created by aimsdoc") && text.contains(needle), "{marker:?}: {text}");
        assert_eq!(fs::read_to_string(site.join("precious.txt")).expect("kept"), "keep me");
    }
    // A site this version built carries its token and is rebuilt in place.
    let fx = policies(1);
    let site = fx.outside().join("site");
    build(fx.root(), &site).code(0);
    let marker = fs::read_to_string(site.join(".aimsdoc-site")).expect("marker");
    assert!(marker.starts_with("aimsdoc-site 1\n") && marker.len() == 48, "{marker:?}");
    build(fx.root(), &site).code(0);
    assert_ne!(fs::read_to_string(site.join(".aimsdoc-site")).expect("marker"), marker, "a fresh token per build");
}

#[test]
fn config_output_outside_the_root_is_refused() {
    for output in ["../elsewhere", "/tmp/aimsdoc-write-safety-elsewhere", "link/site"] {
        let fx = policies(1).write("aimsdoc.toml", format!("[paths]\noutput = {output:?}\n"));
        let elsewhere = fx.root().parent().expect("parent").join("elsewhere");
        let outside = fx.outside();
        let fx = fx.symlink(&outside, "link");
        let a = aimsdoc().arg("build").arg(fx.root()).assert().code(2);
        let text = output_of(&a);
        assert!(text.contains("output") || text.contains("symbolic link"), "{output}: {text}");
        assert!(!elsewhere.exists(), "{output}: created {}", elsewhere.display());
        assert!(!fx.outside().join("site").exists(), "{output}: wrote through the link");
        assert!(!Path::new("/tmp/aimsdoc-write-safety-elsewhere").exists());
    }
}

#[test]
fn out_on_the_command_line_may_leave_the_root_but_not_through_links() {
    let fx = policies(1);
    let site = fx.outside().join("site");
    build(fx.root(), &site).code(0);
    assert!(site.join("index.html").is_file());
    // The default, inside the root, still works.
    aimsdoc().arg("build").arg(fx.root()).assert().code(0);
    assert!(fx.root().join("site/index.html").is_file());
    // A link as the output folder, or between the root and it, is never written through.
    let target = fx.outside().join("target");
    fs::create_dir(&target).expect("mkdir");
    std::os::unix::fs::symlink(&target, fx.outside().join("linked-site")).expect("link");
    std::os::unix::fs::symlink(&target, fx.root().join("sub")).expect("link");
    let text = output_of(&build(fx.root(), &fx.outside().join("linked-site")).code(2));
    assert!(text.contains("symbolic link"), "{text}");
    let text = output_of(&build(fx.root(), &fx.root().join("sub/site")).code(2));
    assert!(text.contains("symbolic link"), "{text}");
    assert_eq!(fs::read_dir(&target).expect("dir").count(), 0);
}

#[test]
fn missing_parent_folders_are_not_created() {
    let fx = policies(1);
    let deep = fx.outside().join("a/b/c/site");
    let text = output_of(&build(fx.root(), &deep).code(2));
    assert!(text.contains("does not exist") && text.contains("mkdir -p"), "{text}");
    assert!(!fx.outside().join("a").exists());
}

#[test]
fn stale_staging_folders_are_removed_and_others_kept() {
    let fx = policies(1);
    let parent = fx.outside();
    build(fx.root(), &parent.join("site")).code(0);
    let marker = "aimsdoc-site 1\n0123456789abcdef0123456789abcdef\n";
    let stale = parent.join(".site.aimsdoc-staging-0badc0de");
    fs::create_dir(&stale).expect("mkdir");
    fs::write(stale.join(".aimsdoc-site"), marker).expect("marker");
    fs::write(stale.join("index.html"), "half a site").expect("write");
    let foreign = parent.join(".site.aimsdoc-staging-foreign");
    fs::create_dir(&foreign).expect("mkdir");
    fs::write(foreign.join("keep.txt"), "not aimsdoc's").expect("write");
    let linked = parent.join(".site.aimsdoc-staging-linked");
    fs::create_dir(&linked).expect("mkdir");
    std::os::unix::fs::symlink(stale.join(".aimsdoc-site"), linked.join(".aimsdoc-site")).expect("link");
    build(fx.root(), &parent.join("site")).code(0);
    assert!(!stale.exists(), "the stale staging folder is removed");
    assert!(foreign.join("keep.txt").is_file() && linked.exists(), "unmarked folders are kept");
}

#[test]
fn an_interrupted_build_removes_its_staging_folder() {
    let fx = policies(400);
    let parent = fx.outside();
    let site = parent.join("site");
    build(fx.root(), &site).code(0);
    let before = snapshot(&site);
    let mut child = aimsdoc_process(TODAY)
        .arg("build")
        .arg(fx.root())
        .arg("--out")
        .arg(&site)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn build");
    let deadline = Instant::now() + Duration::from_secs(60);
    while leftovers(&parent).iter().all(|n| !n.contains("staging")) {
        assert!(Instant::now() < deadline && child.try_wait().expect("poll").is_none(), "no staging folder seen");
        std::thread::sleep(Duration::from_millis(2));
    }
    let kill = Process::new("kill").arg("-INT").arg(child.id().to_string()).status().expect("kill");
    assert!(kill.success());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(leftovers(&parent).is_empty(), "{:?}", leftovers(&parent));
    assert_eq!(snapshot(&site), before, "the previous site is untouched");
}

// ---- copies (item 6) and the budget (item 11) -------------------------------------------------

#[test]
fn an_attachment_spelled_as_the_trees_absolute_path_keeps_its_bytes() {
    let fx = Fixture::copy("integrity_basic");
    let csv = fx.root().join("evidence/records/board-minutes.csv");
    let bytes = fs::read(&csv).expect("csv");
    let spelled = csv.to_string_lossy().trim_start_matches('/').to_string();
    let fx = fx.write("aimsdoc.toml", "[paths]\nevidence = \"\"\n").edit(
        "documents/pol-001.md",
        "  - records/board-minutes.csv",
        &format!("  - {spelled}"),
    );
    let site = fx.outside().join("site");
    let _ = aimsdoc().arg("build").arg(fx.root()).arg("--out").arg(&site).assert();
    let _ = aimsdoc().arg("build").arg(fx.root()).assert();
    assert_eq!(fs::read(&csv).expect("csv still there"), bytes, "the source file lost its bytes");
    assert!(leftovers(&fx.outside()).is_empty());
}

#[test]
fn the_output_budget_stops_the_build_and_keeps_the_previous_site() {
    let fx = policies(3);
    let site = fx.outside().join("site");
    build(fx.root(), &site).code(0);
    let before = snapshot(&site);
    let a =
        aimsdoc().env("AIMSDOC_OUTPUT_BUDGET", "20000").arg("build").arg(fx.root()).arg("--out").arg(&site).assert();
    let text = output_of(&a.code(2));
    assert!(text.contains("output-size budget") && text.contains("AIMSDOC_OUTPUT_BUDGET"), "{text}");
    assert_eq!(snapshot(&site), before);
    assert!(leftovers(&fx.outside()).is_empty(), "{:?}", leftovers(&fx.outside()));
}
