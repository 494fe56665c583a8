//! `aimsdoc pack`: verify a built site, then zip it deterministically for an auditor (the zip's
//! destination checks, temporary file and rename are `integrity::pack`'s).

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{EXIT_ERRORS, EXIT_OK};
use crate::content::types::Date;
use crate::failure::fail;
use crate::integrity::pack::{pack, Digests};
use crate::integrity::verify::{verify, Expect};

/// Runs the pack and returns the exit code.
pub(super) fn run(site: &Path, out: Option<PathBuf>, today: Date) -> anyhow::Result<i32> {
    let out = match out {
        Some(o) => o,
        None => default_out(site)?,
    };
    refuse_inside(site, &out)?;
    // A signature present is checked against its own key: a stale one is not packed.
    let report = verify(site, &Expect { release: None, signers: None, today })?;
    if !report.is_clean() {
        for d in &report.differences {
            if d.detail.is_empty() {
                eprintln!("{}: {}", d.change, d.path);
            } else {
                eprintln!("{}: {}: {}", d.change, d.path, d.detail);
            }
        }
        eprintln!(
            "error: refusing to pack {}: it does not match its SHA256SUMS ({} difference(s))\nhelp: rebuild the site with `aimsdoc build`",
            site.display(),
            report.differences.len()
        );
        return Ok(EXIT_ERRORS);
    }
    let (Some(release), Some(content)) = (report.release_digest.as_deref(), report.content_digest.as_deref()) else {
        fail!(
            help = "rebuild the site with `aimsdoc build`",
            "`{}` verified without a release or content digest",
            site.display()
        );
    };
    let signed = report.signature.as_ref().map(|s| s.fingerprint.as_str());
    let signer = report.declared_signer.as_deref();
    let packed = pack(site, &out, Digests { release, content, signed, signer })?;
    eprintln!(
        "packed {} files of {} into {}\nrelease digest {release} (SHA-256 of SHA256SUMS; compare with the one recorded at release)",
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
        fail!(
            help = ("choose an -o path outside `{}`", site.display()),
            "refusing to write the pack inside the site it packs"
        );
    }
    Ok(())
}
