//! Reading what a build wrote: pages parsed with `scraper`, CSS selectors, SHA-256 digests.

use std::path::Path;

use scraper::{Html, Selector};
use sha2::{Digest, Sha256};

/// A CSS selector (which must parse).
pub(crate) fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

/// The HTML file at `path`, parsed.
pub(crate) fn read_html(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The page `rel` (a `/`-separated path) of the site in `site`, parsed.
pub(crate) fn page(site: &Path, rel: &str) -> Html {
    read_html(&site.join(rel))
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The SHA-256 of the file at `path`, in lower-case hex.
pub(crate) fn sha256_file(path: &Path) -> String {
    sha256(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}
