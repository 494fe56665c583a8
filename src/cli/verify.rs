//! `aimsdoc verify`: recompute every hash of a built site, name each difference, compare the
//! release digest with the one the auditor recorded, and check the signature and its signer.

use std::io::Write;
use std::path::Path;

use super::{EXIT_ERRORS, EXIT_OK};
use crate::content::types::Date;
use crate::failure::fail;
use crate::integrity::sign::read_allowed_signers;
use crate::integrity::verify::{verify, Expect, Report};
use crate::integrity::{SIG, SUMS};

/// Runs the verification and returns the exit code. Differences go to stdout, one per line
/// (`changed: PATH`, `added: PATH`, `removed: PATH`, `invalid: PATH: why`; an added or removed
/// path with something to say about it gets `: what` too); the summary to stderr.
pub(super) fn run(site: &Path, digest: Option<&str>, allowed: Option<&Path>, today: Date) -> anyhow::Result<i32> {
    if let Some(d) = digest {
        check_digest_syntax(d)?;
    }
    let signers = allowed.map(read_allowed_signers).transpose()?;
    if let (Some(path), Some(s)) = (allowed, &signers) {
        for (line, why) in &s.skipped {
            eprintln!("note: {}:{line}: skipped: {why}", path.display());
        }
    }
    let report = verify(site, &Expect { release: digest, signers: signers.as_ref(), today })?;
    let mut out = std::io::stdout().lock();
    for d in &report.differences {
        if d.detail.is_empty() {
            writeln!(out, "{}: {}", d.change, d.path)?;
        } else {
            writeln!(out, "{}: {}: {}", d.change, d.path, d.detail)?;
        }
    }
    if report.is_clean() {
        eprintln!("verified {}: {} files match {SUMS}", site.display(), report.matched);
        let vouched = allowed.is_some() && report.signature.is_some();
        eprintln!("{}", digests(&report, site, digest.is_some(), vouched));
        eprintln!("{}", signature(&report, site, allowed.is_some()));
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

/// The digest lines of a clean run; without `--digest` or a checked signature, a reminder that
/// matching the list alone proves nothing about who wrote the list.
fn digests(report: &Report, site: &Path, compared: bool, vouched: bool) -> String {
    let release = report.release_digest.as_deref().unwrap_or("none");
    let content = report.content_digest.as_deref().unwrap_or("none (no manifest.json)");
    let mut s = format!("release digest {release} (SHA-256 of {SUMS})\ncontent digest {content} (SHA-256 of manifest.json, shown in the page footers)");
    if compared {
        s.push_str("\nthe release digest matches --digest");
    } else if vouched {
        s.push_str(&format!("\nthe signature vouches for {SUMS}, and so for the release digest"));
    } else {
        s.push_str(&format!(
            "\nnote: anyone can rewrite {SUMS}; compare the release digest with the one recorded at release\nhelp: aimsdoc verify {} --digest <release digest>",
            site.display()
        ));
    }
    s
}

/// The signature lines of a clean run: who signed (with `--allowed-signers`), or which key
/// signed and how to check who that is.
fn signature(report: &Report, site: &Path, checked: bool) -> String {
    let declared = report.declared_signer.as_deref();
    match (&report.signature, checked) {
        (Some(by), true) => {
            format!("signed by {} (key {}; {SIG} checked against the allowed signers)", by.principals.join(" / "), by.fingerprint)
        }
        (Some(by), false) => format!(
            "{SIG}: a valid signature by key {}{}; who that is was not checked\nhelp: aimsdoc verify {} --allowed-signers FILE",
            by.fingerprint,
            declared.map(|d| format!(" (the portal names signer {d})")).unwrap_or_default(),
            site.display()
        ),
        (None, _) => match declared {
            Some(d) => format!("note: not signed: no {SIG}, although the portal names signer {d} ([release] signer)"),
            None => format!("not signed (no {SIG})"),
        },
    }
}

/// `--digest` is a SHA-256 in hex; anything else is a mistake worth stopping for.
fn check_digest_syntax(digest: &str) -> anyhow::Result<()> {
    let d = digest.trim();
    if d.len() != 64 || !d.bytes().all(|b| b.is_ascii_hexdigit()) {
        fail!(
            help =
                "pass the release digest recorded at release (`aimsdoc build` prints it; it is `sha256sum SHA256SUMS`)",
            "--digest must be a SHA-256 in hexadecimal (64 digits), got {} characters",
            digest.chars().count()
        );
    }
    Ok(())
}
