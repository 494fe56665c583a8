//! `aimsdoc init`: write a starter content tree (configuration with every key explained, a few
//! documents of different types, evidence, CI workflows) that passes `aimsdoc check` at once.
//! Refuses to overwrite anything: when a file already exists, nothing is written.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use super::{EXIT_OK, EXIT_USAGE};
use crate::content::types::Date;

/// The starter files: path in the new tree, then the embedded text (`{{today}}` and
/// `{{next_review}}` are filled in when written, so the dates are current).
pub(super) const STARTER: &[(&str, &str)] = &[
    ("aimsdoc.toml", include_str!("init/aimsdoc.toml")),
    (".gitignore", include_str!("init/gitignore")),
    ("README.md", include_str!("init/README.md")),
    (".github/workflows/aimsdoc.yml", include_str!("init/github-workflow.yml")),
    (".gitlab-ci.yml", include_str!("init/gitlab-ci.yml")),
    ("documents/policies/pol-001-ai-policy.md", include_str!("init/documents/pol-001.md")),
    ("documents/procedures/prc-001-document-control.md", include_str!("init/documents/prc-001.md")),
    ("documents/plans/pln-001-ai-objectives.md", include_str!("init/documents/pln-001.md")),
    ("documents/records/rec-001-ai-awareness-briefing.md", include_str!("init/documents/rec-001.md")),
    ("evidence/training/awareness-briefing-attendance.csv", include_str!("init/evidence/attendance.csv")),
];

/// Writes the starter tree into `dir` and returns the exit code.
pub(super) fn run(dir: &Path, today: Date) -> anyhow::Result<i32> {
    let existing: Vec<&str> =
        STARTER.iter().map(|(rel, _)| *rel).filter(|rel| dir.join(rel).symlink_metadata().is_ok()).collect();
    if !existing.is_empty() {
        eprintln!("error: refusing to overwrite existing files in `{}`; nothing was written:", dir.display());
        for rel in existing {
            eprintln!("  {rel}");
        }
        eprintln!("help: run `aimsdoc init` in an empty folder, or move these files away first");
        return Ok(EXIT_USAGE);
    }
    for (rel, text) in STARTER {
        write_new(&dir.join(rel), &fill(text, today))?;
    }
    let shown = dir.display();
    eprintln!("created a starter AIMS document tree in {shown} ({} files)", STARTER.len());
    eprintln!("next: aimsdoc serve {shown}    (preview with live reload)");
    eprintln!("      aimsdoc new policy \"Acceptable Use of AI\" --root {shown}");
    eprintln!("      aimsdoc check {shown}");
    Ok(EXIT_OK)
}

/// Fills the date slots of a starter file.
pub(super) fn fill(text: &str, today: Date) -> String {
    let next_review = today.checked_add(jiff::Span::new().months(11)).unwrap_or(today);
    text.replace("{{today}}", &today.to_string()).replace("{{next_review}}", &next_review.to_string())
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write `{}`", path.display()))
}
