//! `aimsdoc diff OLD NEW`: read or compute the manifest of each side (a built site's
//! `manifest.json`; a content root checked in memory with nothing written; or a git revision,
//! whose content subtree is exported into a private temporary folder and checked there the same
//! way), compare them (`integrity::diff`) and print the change set as text, JSON or Markdown.
//!
//! Which a side is: `rev:X` is always revision X; otherwise an existing path is a site (it has
//! `SHA256SUMS`) or a content root, and anything else is a revision of the repository holding
//! `--root`. `build --changes-since` reads its baseline through [`from_revision`].

use std::path::Path;

use super::EXIT_OK;
use crate::config::Trust;
use crate::content::types::Date;
use crate::failure::fail;
use crate::integrity::diff::{compare, Side};
use crate::integrity::manifest_read::{self, Parsed};
use crate::integrity::open::read_beneath;
use crate::integrity::{diff_text, manifest, sums, MANIFEST, SUMS};
use crate::provenance::{self, GitRepo};
use crate::site::{self, Options};
use crate::util::sha256_hex;

/// The prefix that makes a side a revision even when a path of that name exists.
const REV_PREFIX: &str = "rev:";

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

/// Runs the comparison of `old` and `new` (revisions are read from the repository holding
/// `root`) and returns the exit code.
pub(super) fn run(old: &Path, new: &Path, root: &Path, format: DiffFormat, today: Date) -> anyhow::Result<i32> {
    let (old_side, old_m) = load(old, root, today)?;
    let (new_side, new_m) = load(new, root, today)?;
    let set = compare(old_side, &old_m, new_side, &new_m);
    let text = match format {
        DiffFormat::Human => diff_text::human(&set),
        DiffFormat::Md => diff_text::markdown(&set),
        DiffFormat::Json => serde_json::to_string_pretty(&set)? + "\n",
    };
    super::schema::write_stdout(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// The manifest of one side: `rev:X` or a name that is no path is a revision of the repository
/// holding `root`; an existing path is a built site (it has `SHA256SUMS`) or a content root.
fn load(arg: &Path, root: &Path, today: Date) -> anyhow::Result<(Side, Parsed)> {
    if let Some(rev) = revision_named(arg) {
        return from_revision(root, rev, today);
    }
    if !arg.is_dir() {
        fail!(help = "name a built site, a content root or a git revision", "`{}` is not a directory", arg.display());
    }
    let label = arg.display().to_string();
    let (kind, parsed) = if arg.join(SUMS).is_file() {
        ("site", from_site(arg)?)
    } else {
        ("content", from_content(arg, &format!("`{label}`"), today)?)
    };
    Ok((side(label, kind, None, &parsed), parsed))
}

/// The revision `arg` names: after `rev:`, or the whole argument when no such path exists.
fn revision_named(arg: &Path) -> Option<&str> {
    let text = arg.to_str()?;
    if let Some(rev) = text.strip_prefix(REV_PREFIX) {
        return Some(rev);
    }
    // `symlink_metadata`: a dangling link is still a path, never a revision.
    (arg.symlink_metadata().is_err()).then_some(text)
}

fn side(label: String, kind: &'static str, commit: Option<String>, parsed: &Parsed) -> Side {
    Side { label, kind, commit, format: parsed.format.clone(), documents: parsed.documents.len() }
}

/// The manifest of revision `rev` of the repository holding the content root `root`: the
/// content subtree of that commit exported into a private temporary folder (regular files and
/// folders only, removed afterwards) and checked there like a content root.
pub(super) fn from_revision(root: &Path, rev: &str, today: Date) -> anyhow::Result<(Side, Parsed)> {
    let Some(repo) = GitRepo::open(root)? else {
        fail!(
            help = ("a revision is read from the git repository holding the content root (`aimsdoc diff --root DIR`); a folder is compared as a site or content root"),
            "cannot read revision `{rev}`: the content root `{}` is not in a git repository",
            root.display()
        );
    };
    let commit = repo.resolve(rev)?;
    let tmp = tempfile::Builder::new().prefix("aimsdoc-diff-").tempdir()?;
    let exported = provenance::export_commit(&repo, commit, tmp.path())?;
    if exported.files == 0 {
        fail!(
            help = ("give --root the content root as it is in that revision's repository"),
            "revision `{rev}` ({}) holds no files at the place of the content root `{}`",
            exported.commit,
            root.display()
        );
    }
    let parsed = from_content(tmp.path(), &format!("revision `{rev}`"), today)?;
    Ok((side(rev.to_string(), "revision", Some(exported.commit), &parsed), parsed))
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
/// written) and builds its manifest as `aimsdoc build` would. The git history is not read: the
/// comparison reads no history, and reading it would cost a walk of every commit per side.
fn from_content(root: &Path, label: &str, today: Date) -> anyhow::Result<Parsed> {
    let opts = Options { root: root.to_path_buf(), strict: false, today, trust: Trust::Trusted };
    let checked = site::check_history(&opts, false)?;
    if checked.has_errors() {
        let n = checked.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Error).count();
        eprintln!(
            "warning: {label} has {n} error(s) (`aimsdoc check` names them): a document that failed to load is missing from the comparison"
        );
    }
    let built =
        manifest::build(&checked.tree, &checked.graph, &checked.config, &checked.provenance, &checked.assessment)?;
    manifest_read::parse(&built.bytes).map_err(|why| anyhow::anyhow!("internal error: the manifest of {label} {why}"))
}
