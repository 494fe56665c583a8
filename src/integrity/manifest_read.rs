//! Reading a `manifest.json` back (the other direction of [`super::manifest`]): the parts that
//! say what a portal released, for `aimsdoc diff` and for `verify`'s signer check. Reads
//! `aimsdoc-manifest/1` (no approvals, content hashes or signer) and `/2`; anything else is
//! refused.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A document as a manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Doc {
    /// Version as written.
    pub version: String,
    /// Status (`draft`, `review`, `approved`, ...).
    pub status: String,
    /// Title.
    pub title: String,
    /// SHA-256 of the source file.
    pub sha256: String,
    /// The ledger's content hash of the text (format 2).
    #[serde(default)]
    pub content_sha256: Option<String>,
    /// The approval block: `None` when the manifest does not record approvals (format 1),
    /// `Some(None)` when the document has none.
    #[serde(default, deserialize_with = "present")]
    pub approval: Option<Option<Approval>>,
}

/// Who approved a document, and when, as its front matter says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub(crate) struct Approval {
    /// Approver.
    pub by: Option<String>,
    /// Date (YYYY-MM-DD).
    pub date: Option<String>,
}

/// The parsed manifest.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// `aimsdoc-manifest/N`.
    pub format: String,
    /// `[release] signer` at build time (format 2).
    pub signer: Option<String>,
    /// Documents by id (the first entry of an id listed twice).
    pub documents: BTreeMap<String, Doc>,
    /// Evidence and other copied files: content path -> SHA-256.
    pub attachments: BTreeMap<String, String>,
}

impl Parsed {
    /// Whether the manifest records approvals (format 2 and later).
    pub(crate) fn has_approvals(&self) -> bool {
        self.format != FORMAT_1
    }
}

const FORMAT_1: &str = "aimsdoc-manifest/1";

#[derive(Deserialize)]
struct Raw {
    format: String,
    #[serde(default)]
    signer: Option<String>,
    #[serde(default)]
    documents: Vec<RawDoc>,
    #[serde(default)]
    attachments: Vec<RawFile>,
}

#[derive(Deserialize)]
struct RawDoc {
    id: String,
    #[serde(flatten)]
    doc: Doc,
}

#[derive(Deserialize)]
struct RawFile {
    path: String,
    sha256: String,
}

/// A field that is present (even as `null`) becomes `Some(value)`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Approval>>, D::Error> {
    Option::<Approval>::deserialize(d).map(Some)
}

/// Parses the bytes of a `manifest.json`. `Err` says what is wrong.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let raw: Raw = serde_json::from_slice(bytes).map_err(|e| format!("is not an aimsdoc manifest: {e}"))?;
    if raw.format != FORMAT_1 && raw.format != super::manifest::FORMAT {
        return Err(format!(
            "has format `{}`, which this aimsdoc ({}) does not read; use the aimsdoc that built it",
            raw.format,
            env!("CARGO_PKG_VERSION")
        ));
    }
    let mut documents = BTreeMap::new();
    for d in raw.documents {
        documents.entry(d.id).or_insert(d.doc);
    }
    let attachments = raw.attachments.into_iter().map(|f| (f.path, f.sha256)).collect();
    Ok(Parsed { format: raw.format, signer: raw.signer.filter(|s| !s.is_empty()), documents, attachments })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_1_has_no_approvals_and_format_2_tells_none_from_unknown() {
        let v1 = br#"{"format":"aimsdoc-manifest/1","documents":[{"id":"POL-1","version":"1.0","status":"draft","title":"T","sha256":"aa"}],"attachments":[{"path":"evidence/a","sha256":"bb"}]}"#;
        let p = parse(v1).expect("v1");
        assert!(!p.has_approvals());
        assert_eq!(p.documents["POL-1"].approval, None);
        assert_eq!(p.attachments["evidence/a"], "bb");
        let v2 = br#"{"format":"aimsdoc-manifest/2","signer":"rel@x","documents":[{"id":"POL-1","version":"1.0","status":"draft","title":"T","sha256":"aa","approval":null}]}"#;
        let p = parse(v2).expect("v2");
        assert!(p.has_approvals());
        assert_eq!(p.documents["POL-1"].approval, Some(None));
        assert_eq!(p.signer.as_deref(), Some("rel@x"));
    }

    #[test]
    fn unknown_formats_and_garbage_are_refused() {
        assert!(parse(br#"{"format":"aimsdoc-manifest/9"}"#).is_err_and(|e| e.contains("aimsdoc-manifest/9")));
        assert!(parse(b"not json").is_err());
    }
}
