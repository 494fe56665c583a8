//! Integrity and change control (Clause 7.5.3; the seal stage of docs/ARCHITECTURE.md): the site manifest and its
//! *content digest*, `SHA256SUMS` and the *release digest* (its SHA-256, which binds every file
//! of the site), verification of a built site without following anything it plants, the
//! approvals ledger that binds each approval to the exact content approved, the front matter
//! edit `approve` makes, the deterministic audit pack, SSH signatures of `SHA256SUMS`
//! (`sign`), and what changed between two manifests (`diff`).

pub(crate) mod approve;
pub(crate) mod content_hash;
pub(crate) mod diff;
pub(crate) mod diff_text;
pub(crate) mod edit;
pub(crate) mod hash;
pub mod ledger;
pub(crate) mod manifest;
pub(crate) mod manifest_read;
pub(crate) mod open;
pub mod pack;
pub(crate) mod sign;
pub(crate) mod signers;
pub(crate) mod sums;
pub(crate) mod verify;

/// File name of the checksum list at the site root (the `sha256sum -c` format).
pub const SUMS: &str = "SHA256SUMS";
/// File name of the signature of `SHA256SUMS` at the site root (`aimsdoc sign`), beside the
/// list and not in it.
pub const SIG: &str = "SHA256SUMS.sig";
/// File name of the manifest at the site root.
pub const MANIFEST: &str = "manifest.json";
/// File name of the approvals ledger at the content root.
pub const LEDGER: &str = "approvals.lock";
