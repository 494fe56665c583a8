//! `aimsdoc sign`: verify a built site, then sign its `SHA256SUMS` with an SSH key into
//! `SHA256SUMS.sig`, and print what an auditor needs to check it (the `allowed_signers` line,
//! the `ssh-keygen` and `aimsdoc` commands).

use std::path::Path;

use super::{EXIT_ERRORS, EXIT_OK};
use crate::content::types::Date;
use crate::failure::fail;
use crate::integrity::sign::{load_key, write_sig, NAMESPACE};
use crate::integrity::verify::{verify, Expect};
use crate::integrity::{sums, SIG, SUMS};
use crate::util::sha256_hex;

/// Runs the signing and returns the exit code.
pub(super) fn run(site: &Path, key_path: &Path, today: Date) -> anyhow::Result<i32> {
    let key = load_key(key_path)?;
    let report = verify(site, &Expect { release: None, signers: None, today })?;
    // An old signature is replaced, so only its own problems may stand in the way.
    let blocking: Vec<_> = report.differences.iter().filter(|d| d.path != SIG).collect();
    if !blocking.is_empty() {
        for d in &blocking {
            eprintln!(
                "{}: {}{}",
                d.change,
                d.path,
                if d.detail.is_empty() { String::new() } else { format!(": {}", d.detail) }
            );
        }
        eprintln!(
            "error: refusing to sign {}: it does not match its {SUMS} ({} difference(s))\nhelp: rebuild the site with `aimsdoc build`, then sign it",
            site.display(),
            blocking.len()
        );
        return Ok(EXIT_ERRORS);
    }
    let list = sums::read(site).map_err(|e| anyhow::anyhow!("cannot read {SUMS} of `{}`: {e}", site.display()))?;
    if report.release_digest.as_deref() != Some(sha256_hex(&list).as_str()) {
        fail!(help = "sign again once nothing is writing to the site", "{SUMS} changed while it was being verified");
    }
    write_sig(site, &key.sign(&list)?)?;
    let principal = report.declared_signer.as_deref();
    eprintln!(
        "{}",
        summary(site, &key.fingerprint, &key.public_openssh()?, principal, report.release_digest.as_deref())
    );
    Ok(EXIT_OK)
}

/// What signing printed: the key, the release digest, and how to check the signature.
fn summary(site: &Path, fingerprint: &str, public: &str, principal: Option<&str>, release: Option<&str>) -> String {
    let id = principal.unwrap_or("SIGNER");
    let mut s = format!(
        "signed {SUMS} of {} with key {fingerprint} into {SIG}\nrelease digest {} (unchanged: signing does not touch {SUMS})\n",
        site.display(),
        release.unwrap_or("none")
    );
    if principal.is_none() {
        s.push_str("note: aimsdoc.toml names no [release] signer, so the pages cannot say whose signature to expect\n");
    }
    s.push_str(&format!(
        "give auditors this allowed_signers line (out of band):\n  {id} namespaces=\"{NAMESPACE}\" {public}\nthey check with:\n  ssh-keygen -Y verify -f allowed_signers -I {id} -n {NAMESPACE} -s {SIG} < {SUMS}\n  aimsdoc verify {} --allowed-signers allowed_signers",
        site.display()
    ));
    s
}
