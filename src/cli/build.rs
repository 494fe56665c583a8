//! `aimsdoc build`: validate, then write the portal atomically. With `--as-of DATE` the content
//! subtree of the last commit on or before DATE is exported into a private temporary folder and
//! built from there, judged on DATE, with the history up to that commit. With `--changes-since
//! REV` the manifest of revision REV (read as `aimsdoc diff` reads a revision) is the baseline
//! of the site's `changes.html`.

use std::path::PathBuf;

use super::{report, EXIT_ERRORS, EXIT_OK};
use crate::content::types::Date;
use crate::diagnostics::Format;
use crate::failure::fail;
use crate::integrity::diff::Baseline;
use crate::provenance::{self, GitRepo};
use crate::site::output::{self, OutputOrigin};
use crate::site::{self, Checked, Options};

/// What `build` asks of git.
pub(super) struct Git {
    /// `--as-of DATE`: the portal as it stood on that date.
    pub as_of: Option<Date>,
    /// Read the documents' history (not `--no-history`).
    pub history: bool,
    /// `--changes-since REV`: add `changes.html`, what changed since REV.
    pub changes_since: Option<String>,
}

/// Runs the build and returns the exit code.
pub(super) fn run(opts: Options, out: Option<PathBuf>, format: Format, git: Git) -> anyhow::Result<i32> {
    let since = match &git.changes_since {
        Some(rev) => {
            let (side, manifest) = super::diff::from_revision(&opts.root, rev, opts.today)?;
            Some(Baseline { side, manifest })
        }
        None => None,
    };
    match git.as_of {
        Some(date) => as_of(opts, out, format, date, since.as_ref()),
        None => {
            let progress = crate::progress::spinner("checking and hashing the content");
            let checked = site::check_to_build(&opts, site::git_history(&opts.root, git.history))?;
            drop(progress);
            let target = Target { out, origin: None, since: since.as_ref() };
            finish(checked, &opts, target, format)
        }
    }
}

/// Where the site goes and what it is compared with.
struct Target<'a> {
    /// `--out`, or the one `--as-of` derived.
    out: Option<PathBuf>,
    /// Who chose `out` (the command line unless said).
    origin: Option<OutputOrigin>,
    /// `--changes-since`'s baseline.
    since: Option<&'a Baseline>,
}

/// `--as-of DATE`: export the commit in force on DATE and build it, judged on DATE.
fn as_of(
    opts: Options,
    out: Option<PathBuf>,
    format: Format,
    date: Date,
    since: Option<&Baseline>,
) -> anyhow::Result<i32> {
    let Some(repo) = GitRepo::open(&opts.root)? else {
        fail!(
            help = ("run it in a git repository, or build the tree as it is without --as-of"),
            "`--as-of` needs the content root `{}` to be in a git repository",
            opts.root.display()
        );
    };
    let Some(commit) = provenance::commit_on_or_before(&repo, date)? else {
        fail!(help = ("pick a later date"), "no commit on or before {date} holds the content root");
    };
    let tmp = tempfile::Builder::new().prefix("aimsdoc-as-of-").tempdir()?;
    let exported = provenance::export_commit(&repo, commit, tmp.path())?;
    eprintln!("as of {date}: commit {} ({} files)", exported.commit, exported.files);
    let out = out.unwrap_or_else(|| {
        let configured = crate::config::Config::load(&opts.root, opts.trust).map(|c| c.output_dir(&opts.root));
        let base = configured.unwrap_or_else(|_| opts.root.join("site"));
        PathBuf::from(format!("{}-as-of-{date}", base.display()))
    });
    let at = Options { root: tmp.path().to_path_buf(), today: date, ..opts.clone() };
    let checked = site::check_to_build(&at, |config| provenance::read_at(&opts.root, config, Some(commit)))?;
    // The output was named on the command line (or derived from the content root it names),
    // never by the exported tree's aimsdoc.toml.
    finish(checked, &at, Target { out: Some(out), origin: Some(OutputOrigin::CommandLine), since }, format)
}

/// Reports the findings and, without errors, writes the site.
fn finish(checked: Checked, opts: &Options, target: Target, format: Format) -> anyhow::Result<i32> {
    report(&mut std::io::stderr().lock(), &checked, opts, format)?;
    super::history_notice(&checked, format);
    if checked.has_errors() {
        eprintln!("build failed: fix the errors above; the previous site (if any) is untouched");
        return Ok(EXIT_ERRORS);
    }
    // Only the command line may send the site outside the content root: aimsdoc.toml may come
    // from the unreviewed change being built.
    let (out, origin) = match target.out {
        Some(out) => (out, target.origin.unwrap_or(OutputOrigin::CommandLine)),
        None => (checked.config.output_dir(&opts.root), OutputOrigin::Config),
    };
    output::remove_staging_on_signal()?;
    let progress = crate::progress::spinner("writing the site");
    let built = site::write_site(checked, opts, &out, origin, target.since)?;
    drop(progress);
    let release = crate::integrity::sums::release_digest(&built.out)?;
    eprintln!(
        "built {} documents ({} files) into {} in {} ms\nrelease digest {release} (SHA-256 of SHA256SUMS, covers every file: record it for `aimsdoc verify SITE --digest`)\ncontent digest {} (SHA-256 of manifest.json, shown in the page footers)",
        built.documents,
        built.files,
        built.out.display(),
        built.millis,
        built.digest
    );
    Ok(EXIT_OK)
}
