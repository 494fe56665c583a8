//! `aimsdoc verify`: recompute every hash of a built site and name each difference.

use std::io::Write;
use std::path::Path;

use super::{EXIT_ERRORS, EXIT_OK};
use crate::integrity::verify::{verify, Change};
use crate::integrity::SUMS;

/// Runs the verification and returns the exit code. Differences go to stdout, one per line
/// (`changed: PATH`, `added: PATH`, `removed: PATH`, `invalid: PATH: why`); the summary to stderr.
pub fn run(site: &Path, digest: Option<&str>) -> anyhow::Result<i32> {
    let report = verify(site, digest)?;
    let mut out = std::io::stdout().lock();
    for d in &report.differences {
        match d.change {
            Change::Invalid => writeln!(out, "{}: {}: {}", d.change, d.path, d.detail)?,
            _ => writeln!(out, "{}: {}", d.change, d.path)?,
        }
    }
    let digest = report.digest.as_deref().unwrap_or("none (no manifest.json)");
    if report.is_clean() {
        eprintln!("verified {}: {} files match {SUMS}; site digest {digest}", site.display(), report.matched);
        Ok(EXIT_OK)
    } else {
        eprintln!(
            "verification FAILED for {}: {} difference(s), {} files match {SUMS}",
            site.display(),
            report.differences.len(),
            report.matched
        );
        Ok(EXIT_ERRORS)
    }
}
