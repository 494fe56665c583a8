//! Integrity and change control (Clause 7.5.3; the seal stage of docs/ARCHITECTURE.md): the site manifest and its
//! *content digest*, `SHA256SUMS` and the *release digest* (its SHA-256, which binds every file
//! of the site), verification of a built site without following anything it plants, the
//! approvals ledger that binds each approval to the exact content approved, the front matter
//! edit `approve` makes, and the deterministic audit pack.

pub(crate) mod approve;
pub(crate) mod content_hash;
pub(crate) mod edit;
pub(crate) mod hash;
pub mod ledger;
pub(crate) mod manifest;
pub(crate) mod open;
pub mod pack;
pub(crate) mod sums;
pub(crate) mod verify;

/// File name of the checksum list at the site root (the `sha256sum -c` format).
pub const SUMS: &str = "SHA256SUMS";
/// File name of the manifest at the site root.
pub const MANIFEST: &str = "manifest.json";
/// File name of the approvals ledger at the content root.
pub const LEDGER: &str = "approvals.lock";
