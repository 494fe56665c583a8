//! `aimsdoc pack`: verify a built site, then zip it deterministically for an auditor.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::{EXIT_ERRORS, EXIT_OK};
use crate::integrity::pack::pack;
use crate::integrity::verify::verify;

/// Runs the pack and returns the exit code.
pub fn run(site: &Path, out: Option<PathBuf>) -> anyhow::Result<i32> {
    let out = match out {
        Some(o) => o,
        None => default_out(site)?,
    };
    refuse_inside(site, &out)?;
    let report = verify(site, None)?;
    if !report.is_clean() {
        for d in &report.differences {
            eprintln!("{}: {}", d.change, d.path);
        }
        eprintln!(
            "error: refusing to pack {}: it does not match its SHA256SUMS ({} difference(s))\nhelp: rebuild the site with `aimsdoc build`",
            site.display(),
            report.differences.len()
        );
        return Ok(EXIT_ERRORS);
    }
    let digest = report.digest.unwrap_or_default();
    let packed = pack(site, &out, &digest)?;
    eprintln!(
        "packed {} files of {} into {}; site digest {digest}",
        packed.files,
        site.display(),
        packed.out.display()
    );
    Ok(EXIT_OK)
}

/// `SITE_DIR.zip` beside the site.
fn default_out(site: &Path) -> anyhow::Result<PathBuf> {
    let abs = site.canonicalize().with_context(|| format!("cannot open `{}`", site.display()))?;
    let name = abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    Ok(abs.with_file_name(format!("{name}.zip")))
}

/// The zip must not land inside the site, which would no longer verify.
fn refuse_inside(site: &Path, out: &Path) -> anyhow::Result<()> {
    let site = site.canonicalize().with_context(|| format!("cannot open `{}`", site.display()))?;
    let parent = match out.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.canonicalize().with_context(|| format!("no directory `{}` for the zip", p.display()))?,
        None => std::env::current_dir()?,
    };
    if parent.starts_with(&site) {
        bail!(
            "refusing to write the pack inside the site it packs\nhelp: choose an -o path outside `{}`",
            site.display()
        );
    }
    if out.is_dir() {
        bail!("`{}` is a directory\nhelp: name the zip file to write, e.g. -o aims-portal.zip", out.display());
    }
    Ok(())
}
