//! `aimsdoc build`: validate, then write the portal atomically.

use std::path::PathBuf;

use super::{report, EXIT_ERRORS, EXIT_OK};
use crate::diagnostics::Format;
use crate::site::output::{self, OutputOrigin};
use crate::site::{self, Options};

/// Runs the build and returns the exit code.
pub(super) fn run(opts: Options, out: Option<PathBuf>, format: Format) -> anyhow::Result<i32> {
    let progress = crate::progress::spinner("checking and hashing the content");
    let checked = site::check(&opts)?;
    drop(progress);
    report(&mut std::io::stderr().lock(), &checked, &opts, format)?;
    if checked.has_errors() {
        eprintln!("build failed: fix the errors above; the previous site (if any) is untouched");
        return Ok(EXIT_ERRORS);
    }
    // Only the command line may send the site outside the content root: aimsdoc.toml may come
    // from the unreviewed change being built.
    let (out, origin) = match out {
        Some(out) => (out, OutputOrigin::CommandLine),
        None => (checked.config.output_dir(&opts.root), OutputOrigin::Config),
    };
    output::remove_staging_on_signal()?;
    let progress = crate::progress::spinner("writing the site");
    let built = site::write_site(&checked, &opts, &out, origin)?;
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
