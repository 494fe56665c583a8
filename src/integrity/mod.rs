//! Integrity and change control (Clause 7.5.3; the seal stage of docs/ARCHITECTURE.md): the site manifest and its
//! *content digest*, `SHA256SUMS` and the *release digest* (its SHA-256, which binds every file
//! of the site), verification of a built site without following anything it plants, the
//! approvals ledger that binds each approval to the exact content approved, the front matter
//! edit `approve` makes, and the deterministic audit pack.

pub mod approve;
pub mod content_hash;
pub mod edit;
pub mod hash;
pub mod ledger;
pub mod manifest;
pub mod open;
pub mod pack;
pub mod sums;
pub mod verify;

/// File name of the checksum list at the site root (the `sha256sum -c` format).
pub const SUMS: &str = "SHA256SUMS";
/// File name of the manifest at the site root.
pub const MANIFEST: &str = "manifest.json";
/// File name of the approvals ledger at the content root.
pub const LEDGER: &str = "approvals.lock";
