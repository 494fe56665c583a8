//! Link and attachment resolution against a real content tree (with hidden files, a symlink
//! leading out and a symlink loop): never panics, and every file a link or attachment resolves
//! to is a plain content-relative path whose source lies inside the content root.
//!
//! Input: attachment paths, one per line, then a blank line, then the Markdown body.
#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use aimsdoc::fuzzing::resolve_links;
use libfuzzer_sys::fuzz_target;

/// The content root, made once per process (kept alive by the `TempDir` in the static).
fn root() -> &'static Path {
    static TREE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &TREE.get_or_init(make_tree).1
}

fn make_tree() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().canonicalize().expect("canonical");
    let root = base.join("tree");
    for d in ["documents/sub", "evidence/sub", "evidence/.hidden", "evidence/_private"] {
        std::fs::create_dir_all(root.join(d)).expect("mkdir");
    }
    let files = ["evidence/x.csv", "evidence/sub/y.pdf", "evidence/.hidden/h.txt", "evidence/_private/p.txt"];
    for f in files.iter().chain(&["documents/a.md"]) {
        std::fs::write(root.join(f), "x\n").expect("write");
    }
    std::fs::write(base.join("secret.txt"), "secret\n").expect("write");
    std::os::unix::fs::symlink("../../secret.txt", root.join("evidence/out.txt")).expect("symlink");
    std::os::unix::fs::symlink("..", root.join("evidence/up")).expect("symlink");
    std::os::unix::fs::symlink("loop", root.join("evidence/loop")).expect("symlink");
    (dir, root)
}

fn document(data: &str) -> String {
    let (atts, body) = data.split_once("\n\n").unwrap_or(("", data));
    let mut text = String::from("---\nid: FZ-001\ntitle: Fuzz\ntype: policy\nowner: o\nversion: 1.0\nstatus: draft\n");
    if !atts.is_empty() {
        text.push_str("attachments:\n");
        for a in atts.lines() {
            // A JSON string is a YAML double-quoted scalar: any path, escaped.
            text.push_str(&format!("  - {}\n", serde_json_escape(a)));
        }
    }
    text.push_str("---\n");
    text.push_str(body);
    text
}

fn serde_json_escape(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(data) = std::str::from_utf8(data) else { return };
    let root = root();
    let links = resolve_links(root, &document(data));
    for rel in &links.files {
        assert!(Path::new(rel).components().all(|c| matches!(c, Component::Normal(_))), "{rel:?}");
        assert!(!rel.contains('\\') && !rel.chars().any(char::is_control), "{rel:?}");
    }
    for src in &links.sources {
        assert!(src.starts_with(root), "{} is outside {}", src.display(), root.display());
        assert!(!src.ends_with("secret.txt"));
    }
});
