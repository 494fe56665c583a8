//! Signed releases: `SHA256SUMS.sig`, an SSH signature (the SSHSIG format of OpenSSH's
//! `PROTOCOL.sshsig`, what `ssh-keygen -Y sign` writes) over the exact bytes of `SHA256SUMS`, in
//! the namespace `aimsdoc`. Since `SHA256SUMS` lists every other file (`manifest.json` too), one
//! signature binds the whole site, and `ssh-keygen -Y verify -n aimsdoc` checks it without
//! aimsdoc. Signing never changes `SHA256SUMS`: the signature sits beside it, outside the list.
//! This file owns making the signature (an ed25519 OpenSSH key, passphrase from
//! [`PASSPHRASE_ENV`]) and checking one against an `allowed_signers` file.

use std::path::Path;

use anyhow::Context as _;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::signers::AllowedSigners;
use super::SIG;
use crate::content::types::Date;
use crate::failure::fail;

/// The SSHSIG namespace of a portal signature (`ssh-keygen -Y ... -n aimsdoc`).
pub(crate) const NAMESPACE: &str = "aimsdoc";

/// The environment variable holding the passphrase of an encrypted key.
pub(crate) const PASSPHRASE_ENV: &str = "AIMSDOC_SIGN_PASSPHRASE";

/// The largest key or signature file read: real ones are a few kilobytes.
const SMALL_FILE: u64 = 64 * 1024;

/// A private key ready to sign, with what identifies it.
pub(crate) struct Key {
    key: PrivateKey,
    /// `SHA256:...`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
}

impl Key {
    /// The public half as an `allowed_signers` key field (`ssh-ed25519 AAAA...`).
    pub(crate) fn public_openssh(&self) -> anyhow::Result<String> {
        let public = PublicKey::from(self.key.public_key().key_data().clone());
        public.to_openssh().context("cannot encode the public key")
    }

    /// Signs `message` (the bytes of `SHA256SUMS`): the armored signature text.
    pub(crate) fn sign(&self, message: &[u8]) -> anyhow::Result<String> {
        let sig = self.key.sign(NAMESPACE, HashAlg::Sha512, message).context("cannot sign")?;
        sig.to_pem(LineEnding::LF).context("cannot encode the signature")
    }
}

/// Reads the OpenSSH private key at `path`, decrypting it with [`PASSPHRASE_ENV`] when it is
/// encrypted. Only ed25519 keys are accepted.
pub(crate) fn load_key(path: &Path) -> anyhow::Result<Key> {
    let text = read_small(path).with_context(|| format!("cannot read the key `{}`", path.display()))?;
    let Ok(mut key) = PrivateKey::from_openssh(text.trim()) else {
        fail!(
            help = "pass an OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`), e.g. one made by `ssh-keygen -t ed25519`",
            "`{}` is not an OpenSSH private key",
            path.display()
        );
    };
    if key.is_encrypted() {
        key = decrypt(&key, path)?;
    }
    if key.algorithm() != Algorithm::Ed25519 {
        fail!(
            help = "use an ed25519 key, or sign with OpenSSH itself: `ssh-keygen -Y sign -n aimsdoc -f KEY SHA256SUMS` writes the same SHA256SUMS.sig",
            "`{}` is a {} key; aimsdoc signs with ed25519 keys",
            path.display(),
            key.algorithm()
        );
    }
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    Ok(Key { key, fingerprint })
}

fn decrypt(key: &PrivateKey, path: &Path) -> anyhow::Result<PrivateKey> {
    let Some(pass) = std::env::var_os(PASSPHRASE_ENV) else {
        fail!(
            help = ("set {PASSPHRASE_ENV} to its passphrase (from your secret store, not the command line)"),
            "the key `{}` is encrypted",
            path.display()
        );
    };
    match key.decrypt(pass.as_encoded_bytes()) {
        Ok(k) => Ok(k),
        Err(_) => {
            fail!(help = ("check {PASSPHRASE_ENV}"), "cannot decrypt the key `{}`: wrong passphrase", path.display())
        }
    }
}

fn read_small(path: &Path) -> anyhow::Result<String> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() || meta.len() > SMALL_FILE {
        anyhow::bail!("not a regular file of at most {SMALL_FILE} bytes");
    }
    Ok(std::fs::read_to_string(path)?)
}

/// Reads an `allowed_signers` file (see [`super::signers`]).
pub(crate) fn read_allowed_signers(path: &Path) -> anyhow::Result<AllowedSigners> {
    let text =
        read_small(path).with_context(|| format!("cannot read the allowed signers file `{}`", path.display()))?;
    let parsed = AllowedSigners::parse(&text);
    if parsed.signers.is_empty() {
        fail!(
            help = "one line per key: `release@example.org namespaces=\"aimsdoc\" ssh-ed25519 AAAA...` (`aimsdoc sign` prints yours)",
            "`{}` names no usable signer key{}",
            path.display(),
            parsed.skipped.first().map(|(n, why)| format!(" (line {n}: {why})")).unwrap_or_default()
        );
    }
    Ok(parsed)
}

/// Who signed, as established by a checked signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedBy {
    /// The principals of every `allowed_signers` line naming the key (empty when unchecked).
    pub principals: Vec<String>,
    /// The key's fingerprint (`SHA256:...`).
    pub fingerprint: String,
}

/// Checks the signature text `sig` over `message` in the namespace `aimsdoc`: a valid
/// signature by its own key, and (with `signers`) a key that a line of the allowed signers
/// names for that namespace on the date given. `Err` says what is wrong.
pub(crate) fn check(sig: &[u8], message: &[u8], signers: Option<(&AllowedSigners, Date)>) -> Result<SignedBy, String> {
    let text = std::str::from_utf8(sig).map_err(|_| "is not an SSH signature (not text)".to_string())?;
    let sig = SshSig::from_pem(text.trim()).map_err(|e| format!("is not an SSH signature: {e}"))?;
    if sig.namespace() != NAMESPACE {
        return Err(format!("is in the namespace `{}`, not `{NAMESPACE}`", sig.namespace()));
    }
    let key = PublicKey::from(sig.public_key().clone());
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    key.verify(NAMESPACE, message, &sig).map_err(|e| match e {
        ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. } => {
            format!("uses {}, which aimsdoc cannot check; use `ssh-keygen -Y verify`", key.algorithm())
        }
        _ => format!("does not match {} (signed by {fingerprint}): the list changed after signing, or the signature is another release's", super::SUMS),
    })?;
    let Some((signers, today)) = signers else {
        return Ok(SignedBy { principals: Vec::new(), fingerprint });
    };
    let principals: Vec<String> =
        signers.matching(sig.public_key(), NAMESPACE, today).map(|s| s.principals.clone()).collect();
    if principals.is_empty() {
        return Err(format!(
            "is a valid signature by {fingerprint}, but no line of the allowed signers file accepts that key for namespace `{NAMESPACE}` today"
        ));
    }
    Ok(SignedBy { principals, fingerprint })
}

/// Writes `pem` to `site/SHA256SUMS.sig` atomically (a fresh random file in the site, then a
/// rename), refusing a link planted at that name.
pub(crate) fn write_sig(site: &Path, pem: &str) -> anyhow::Result<()> {
    let dest = site.join(SIG);
    if std::fs::symlink_metadata(&dest).is_ok_and(|m| !m.is_file()) {
        fail!(help = "remove it and sign again", "`{}` exists and is not a regular file", dest.display());
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".SHA256SUMS.sig.")
        .suffix(".aimsdoc-tmp")
        .tempfile_in(site)
        .with_context(|| format!("cannot create a temporary file in `{}`", site.display()))?;
    std::io::Write::write_all(tmp.as_file_mut(), pem.as_bytes())
        .with_context(|| format!("cannot write `{}`", dest.display()))?;
    tmp.as_file().sync_all().with_context(|| format!("cannot write `{}`", dest.display()))?;
    tmp.persist(&dest)
        .map_err(|e| anyhow::Error::new(e.error))
        .with_context(|| format!("cannot write `{}`", dest.display()))?;
    Ok(())
}
