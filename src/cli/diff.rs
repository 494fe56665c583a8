//! `aimsdoc diff OLD NEW`: read or compute the manifest of each side (a built site's
//! `manifest.json`, or a content root checked in memory with nothing written), compare them
//! (`integrity::diff`) and print the change set as text, JSON or Markdown.

use std::path::Path;

use super::EXIT_OK;
use crate::config::Trust;
use crate::content::types::Date;
use crate::failure::fail;
use crate::integrity::diff::{compare, Side};
use crate::integrity::manifest_read::{self, Parsed};
use crate::integrity::open::read_beneath;
use crate::integrity::{diff_text, manifest, sums, MANIFEST, SUMS};
use crate::site::{self, Options};
use crate::util::sha256_hex;

/// Output format of `aimsdoc diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiffFormat {
    /// One line per change.
    Human,
    /// The change set as a JSON object.
    Json,
    /// Markdown tables, for a release note or a pull request comment.
    Md,
}

/// Runs the comparison and returns the exit code.
pub(super) fn run(old: &Path, new: &Path, format: DiffFormat, today: Date) -> anyhow::Result<i32> {
    let (old_side, old_m) = load(old, today)?;
    let (new_side, new_m) = load(new, today)?;
    let set = compare(old_side, &old_m, new_side, &new_m);
    let text = match format {
        DiffFormat::Human => diff_text::human(&set),
        DiffFormat::Md => diff_text::markdown(&set),
        DiffFormat::Json => serde_json::to_string_pretty(&set)? + "\n",
    };
    super::schema::write_stdout(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// The manifest of `path`: a built site's (it has `SHA256SUMS`), else a content root's.
fn load(path: &Path, today: Date) -> anyhow::Result<(Side, Parsed)> {
    if !path.is_dir() {
        fail!(help = "name a built site or a content root", "`{}` is not a directory", path.display());
    }
    let label = path.display().to_string();
    let (kind, parsed) =
        if path.join(SUMS).is_file() { ("site", from_site(path)?) } else { ("content", from_content(path, today)?) };
    let side = Side { label, kind, format: parsed.format.clone(), documents: parsed.documents.len() };
    Ok((side, parsed))
}

/// Reads a built site's manifest (no link followed), warning when it does not match the
/// site's `SHA256SUMS` (the site was changed since it was built: `aimsdoc verify` names how).
fn from_site(site: &Path) -> anyhow::Result<Parsed> {
    let bytes = match read_beneath(site, MANIFEST, 256 * 1024 * 1024) {
        Ok(b) => b,
        Err(e) => fail!(
            help = "rebuild it with `aimsdoc build`",
            "cannot read {MANIFEST} of the site `{}`: {e}",
            site.display()
        ),
    };
    let listed = sums::read(site).ok().and_then(|b| String::from_utf8(b).ok()).and_then(|t| sums::parse(&t).ok());
    if listed.as_ref().and_then(|l| l.get(MANIFEST)) != Some(&sha256_hex(&bytes)) {
        eprintln!(
            "warning: {MANIFEST} of `{}` does not match its {SUMS}; run `aimsdoc verify {}`",
            site.display(),
            site.display()
        );
    }
    match manifest_read::parse(&bytes) {
        Ok(p) => Ok(p),
        Err(why) => fail!(help = "rebuild it with `aimsdoc build`", "{MANIFEST} of `{}` {why}", site.display()),
    }
}

/// Checks a content root in memory (load, link, assess, validate: no rendering, nothing
/// written) and builds its manifest as `aimsdoc build` would.
fn from_content(root: &Path, today: Date) -> anyhow::Result<Parsed> {
    let opts = Options { root: root.to_path_buf(), strict: false, today, trust: Trust::Trusted };
    let checked = site::check(&opts)?;
    if checked.has_errors() {
        let n = checked.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Error).count();
        eprintln!(
            "warning: `{}` has {n} error(s) (`aimsdoc check` names them): a document that failed to load is missing from the comparison",
            root.display()
        );
    }
    let built = manifest::build(&checked.tree, &checked.graph, &checked.config, &checked.provenance)?;
    manifest_read::parse(&built.bytes)
        .map_err(|why| anyhow::anyhow!("internal error: the manifest of `{}` {why}", root.display()))
}
