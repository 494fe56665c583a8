//! Containment of an untrusted content tree (issue 9, items 1-4 and 6): nothing outside the
//! content root, and nothing inside it but documents and evidence, reaches the built site or
//! the log, whatever symlinks, paths and names a pull request brings.
//!
//! The leak tests plant a secret outside the tree (and in the child's environment) and search
//! every byte of stdout, stderr and the built site for it.

use std::path::Path;

use crate::common::{self, snapshot, Fixture};
use assert_cmd::Command;

const A: &str = "documents/a.md";
const SECRET: &str = "AIMSDOC-TEST-SECRET-7f3a9c";

/// An approved record (14 lines) whose attachments list is on line 12.
fn record(attachments: &str) -> String {
    format!(
        "---\nid: REC-001\ntitle: Training record\ntype: record\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: approved\napproval: {{ by: \"Jane Smith, CEO\", date: 2026-01-15 }}\nrecord_date: 2026-01-08\nhistory:\n  - {{ version: \"1.0\", date: 2026-01-10, by: J. Smith, summary: Issued }}\nattachments: {attachments}\nretention: 7y\n---\nBody.\n"
    )
}

/// An approved policy (12 lines of front matter) whose body (line 13) is `body`.
fn policy(body: &str) -> String {
    format!(
        "---\nid: POL-001\ntitle: AI policy\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: approved\napproval: {{ by: \"Jane Smith, CEO\", date: 2026-01-15 }}\nnext_review: 2026-12-15\nhistory:\n  - {{ version: \"1.0\", date: 2026-01-10, by: J. Smith, summary: Issued }}\n---\n{body}\n"
    )
}

/// [`common::aimsdoc`] with the secret in its environment too.
fn aimsdoc_with_secret() -> Command {
    let mut cmd = common::aimsdoc();
    cmd.env("AIMSDOC_CI_TOKEN", SECRET);
    cmd
}

/// Builds `root` into a fresh folder beside it; returns (exit code, stdout+stderr, site files).
fn build_collect(root: &Path, extra: &[&str]) -> (i32, String, Vec<u8>) {
    let out = root.parent().expect("parent").join(format!("site-{}", extra.len()));
    let output =
        aimsdoc_with_secret().arg("build").arg(root).arg("--out").arg(&out).args(extra).output().expect("run aimsdoc");
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let mut site = Vec::new();
    if out.is_dir() {
        for bytes in snapshot(&out).into_values() {
            site.extend(bytes);
        }
    }
    (output.status.code().unwrap_or(-1), log, site)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn symlinked_evidence_folder_publishes_nothing_from_outside() {
    let fixture = Fixture::temp();
    let outside = fixture.outside();
    std::fs::write(outside.join("environ"), format!("TOKEN={SECRET}\n")).expect("write");
    let fixture = fixture.write(A, record("[environ]")).symlink(&outside, "evidence");
    fixture.check().exactly(&[("LK008", A, 12, 15)]);
    let (exit, log, site) = build_collect(fixture.root(), &[]);
    assert_eq!(exit, 1, "{log}");
    assert!(!log.contains(SECRET) && !contains(&site, SECRET), "the secret leaked:\n{log}");
}

#[test]
fn proc_self_environ_through_an_evidence_link_is_refused() {
    let fixture = Fixture::temp().write(A, record("[self/environ]")).symlink("/proc", "evidence");
    fixture.check().exactly(&[("LK008", A, 12, 15)]);
    let (exit, log, site) = build_collect(fixture.root(), &[]);
    assert_eq!(exit, 1, "{log}");
    assert!(!log.contains(SECRET) && !contains(&site, SECRET), "the environment leaked");
}

#[test]
fn symlinked_documents_folder_is_refused() {
    let fixture = Fixture::temp();
    let outside = fixture.outside();
    std::fs::write(outside.join("leak.md"), policy(SECRET)).expect("write");
    std::fs::remove_dir(fixture.root().join("documents")).expect("rmdir");
    let fixture = fixture.symlink(&outside, "documents");
    fixture.check().exactly(&[("FS003", "documents", 1, 1)]);
    let (_, log, site) = build_collect(fixture.root(), &[]);
    assert!(!contains(&site, SECRET) && !log.contains(SECRET));
}

#[test]
fn body_links_reach_only_documents_and_evidence() {
    let fixture = Fixture::temp()
        .write(".git/config", format!("[http] extraheader = AUTHORIZATION: basic {SECRET}\n"))
        .write(".env", format!("TOKEN={SECRET}\n"))
        .write("evidence/.env", format!("TOKEN={SECRET}\n"))
        .write("evidence/_draft.csv", SECRET)
        .write("evidence/build.log", SECRET)
        .write("evidence/ok.csv", "a,b\n")
        .write(".gitignore", "*.log\n")
        .write("notes.txt", SECRET)
        .write("documents/img.txt", SECRET)
        .write(
            A,
            policy(
                "[a](../.git/config) [b](../.env) [c](../evidence/.env) [d](../evidence/_draft.csv) [e](../evidence/build.log) [f](../notes.txt) [g](img.txt) [ok](../evidence/ok.csv)",
            ),
        );
    let checked = fixture.check();
    checked.exactly(&[
        ("LK006", A, 13, 1),
        ("LK006", A, 13, 21),
        ("LK006", A, 13, 34),
        ("LK006", A, 13, 56),
        ("LK006", A, 13, 84),
        ("LK006", A, 13, 111),
        ("LK006", A, 13, 129),
    ]);
    checked.message("LK006", A, 13, "only documents and files in the evidence folder");
    std::fs::write(fixture.root().join(A), policy("[ok](../evidence/ok.csv)")).expect("rewrite");
    let (exit, log, site) = build_collect(fixture.root(), &[]);
    assert_eq!(exit, 0, "{log}");
    assert!(!contains(&site, SECRET));
}

#[test]
fn attachments_refuse_hidden_ignored_and_unsafe_names() {
    let fixture = Fixture::temp()
        .write("evidence/.env", "x")
        .write("evidence/_notes.csv", "x")
        .write("evidence/run.log", "x")
        .write("evidence/.gitignore", "*.log\n")
        .write("evidence/a\\b.csv", "x")
        .write("evidence/tab\there.csv", "x")
        .write(A, record("[.env, _notes.csv, run.log, \"a\\\\b.csv\", \"tab\\there.csv\"]"));
    let checked = fixture.check();
    checked.exactly(&[
        ("LK010", A, 12, 15),
        ("LK010", A, 12, 21),
        ("LK010", A, 12, 33),
        ("LK010", A, 12, 42),
        ("LK010", A, 12, 54),
    ]);
    checked.message("LK010", A, 12, "start with `.` or `_`").hint("LK010", A, 12, "no `.gitignore` excludes");
    checked.message("LK010", A, 12, "control character").message("LK010", A, 12, "backslash");
}

#[test]
fn untrusted_trees_may_not_use_any_symlink() {
    let fixture = Fixture::temp()
        .write("notes/b.md", policy("Linked.").replace("POL-001", "POL-002"))
        .write("evidence/real.csv", "a\n")
        .write(A, record("[linked.csv]"))
        .symlink("../notes/b.md", "documents/linked.md")
        .symlink("real.csv", "evidence/linked.csv");
    // Trusted: links inside the root are followed.
    fixture.check().clean();
    let checked = Fixture::untrusted(fixture).check();
    // With the link refused, nothing attaches `real.csv` any more: uncontrolled evidence.
    checked.exactly(&[
        ("LK010", A, 12, 15),
        ("FS005", "documents/linked.md", 1, 1),
        ("LK011", "evidence/real.csv", 1, 1),
    ]);
    checked.message("LK010", A, 12, "symlink");
}

#[test]
fn untrusted_builds_ignore_the_theme_and_raw_html_settings() {
    let fixture = Fixture::temp()
        .write("aimsdoc.toml", "[documents]\nallow_raw_html = true\n")
        .write("theme/templates/base.html", format!("{SECRET} {{% block content %}}{{% endblock %}}"))
        .write(A, policy("<script>alert(1)</script>"));
    let (exit, log, site) = build_collect(fixture.root(), &["--untrusted"]);
    assert_eq!(exit, 0, "{log}");
    assert!(!contains(&site, SECRET), "the theme override was used");
    assert!(!contains(&site, "<script>alert(1)</script>"), "raw HTML was emitted");
    let (exit, log, _) = aimsdoc_build_without_out(fixture.root());
    assert_eq!(exit, 2, "--untrusted must require --out: {log}");
}

fn aimsdoc_build_without_out(root: &Path) -> (i32, String, ()) {
    let output = aimsdoc_with_secret().arg("build").arg(root).arg("--untrusted").output().expect("run aimsdoc");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned(), ())
}

#[test]
fn theme_overrides_never_follow_links() {
    type Plant<'a> = &'a dyn Fn(&Fixture);
    let cases: &[(&str, Plant)] = &[
        ("file link out", &|f: &Fixture| link(f.outside().join("secret.txt"), f.root().join("theme/assets/env.txt"))),
        ("folder link out", &|f: &Fixture| link(f.outside(), f.root().join("theme/assets/more"))),
        ("template link out", &|f: &Fixture| {
            link(f.outside().join("secret.txt"), f.root().join("theme/templates/base.html"))
        }),
        ("dev zero", &|f: &Fixture| link("/dev/zero", f.root().join("theme/assets/zero"))),
        ("loop", &|f: &Fixture| {
            link(".", f.root().join("theme/assets/a"));
            link(".", f.root().join("theme/assets/b"));
        }),
        ("proc environ", &|f: &Fixture| link("/proc/self/environ", f.root().join("theme/assets/env.txt"))),
    ];
    for (name, plant) in cases {
        let fixture = Fixture::temp().write(A, policy("Body.")).write("theme/assets/site.css", "body{}");
        std::fs::write(fixture.outside().join("secret.txt"), SECRET).expect("write");
        plant(&fixture);
        let (exit, log, site) = build_collect(fixture.root(), &[]);
        assert_eq!(exit, 2, "{name}: a symlinked theme file must stop the build\n{log}");
        assert!(log.contains("symlink"), "{name}: {log}");
        assert!(!log.contains(SECRET) && !contains(&site, SECRET), "{name}: leaked");
    }
}

#[test]
fn theme_folder_must_be_inside_the_root() {
    for theme in ["../elsewhere", "/etc"] {
        let fixture =
            Fixture::temp().write(A, policy("Body.")).write("aimsdoc.toml", format!("[paths]\ntheme = {theme:?}\n"));
        let (exit, log, _) = build_collect(fixture.root(), &[]);
        assert_eq!(exit, 2, "{theme}: {log}");
        assert!(log.contains("[paths] theme"), "{theme}: {log}");
    }
    let fixture = Fixture::temp().write(A, policy("Body."));
    let outside = fixture.outside();
    let fixture = fixture.symlink(outside, "theme");
    let (exit, log, _) = build_collect(fixture.root(), &[]);
    assert_eq!(exit, 2, "{log}");
    assert!(log.contains("leads out of the content root"), "{log}");
}

#[test]
fn symlinked_config_and_its_target_never_reach_the_log() {
    let fixture = Fixture::temp().write(A, policy("Body."));
    let environ = fixture.outside().join("environ");
    std::fs::write(&environ, format!("TOKEN = \"{SECRET}\"\n[x\n")).expect("write");
    let fixture = fixture.symlink(environ, "aimsdoc.toml");
    let output = aimsdoc_with_secret().arg("check").arg(fixture.root()).output().expect("run");
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(2), "{log}");
    assert!(log.contains("is a symbolic link") && !log.contains(SECRET), "{log}");
}

#[test]
fn empty_or_odd_configured_paths_are_refused_and_sources_survive() {
    // Item 6: `evidence = ""` plus an attachment spelled as the tree's absolute path without its
    // leading `/` used to copy a file onto itself, truncating it.
    let fixture = Fixture::temp().write(A, "placeholder");
    let abs = fixture.root().join(A).canonicalize().expect("canonical");
    let spelled = abs.to_string_lossy().trim_start_matches('/').to_string();
    let fixture =
        fixture.write("aimsdoc.toml", "[paths]\nevidence = \"\"\n").write(A, record(&format!("[{spelled:?}]")));
    let before = std::fs::read(fixture.root().join(A)).expect("read");
    let (exit, log, _) = build_collect(fixture.root(), &[]);
    assert_eq!(exit, 2, "{log}");
    assert!(log.contains("[paths] evidence"), "{log}");
    assert_eq!(std::fs::read(fixture.root().join(A)).expect("read"), before, "the source file changed");
}

fn link(target: impl AsRef<Path>, at: impl AsRef<Path>) {
    if let Some(parent) = at.as_ref().parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::os::unix::fs::symlink(target, at).expect("symlink");
}

#[test]
fn untrusted_builds_leave_out_an_svg_logo() {
    let fixture = Fixture::temp()
        .write("aimsdoc.toml", "[site]\nlogo = \"brand/logo.svg\"\n")
        .write("brand/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")
        .write(A, policy("Body."));
    let (exit, log, site) = build_collect(fixture.root(), &["--untrusted"]);
    assert_eq!(exit, 0, "{log}");
    assert!(!contains(&site, "alert(1)"), "the SVG logo was published");
    let (exit, log, site) = build_collect(fixture.root(), &[]);
    assert_eq!(exit, 0, "{log}");
    assert!(contains(&site, "alert(1)"), "a trusted tree keeps its logo");
}
