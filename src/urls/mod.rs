//! The site's URL scheme, in one place: where each page lives, where content files are
//! published (`files/`, with active types under a neutral name, see [`active`]), and how paths
//! are percent-encoded into links and decoded back. Every renderer, the manifest, the search
//! index and `serve` ask here, so a change of layout is a change of this file.

pub(crate) mod active;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What [`encode_path`] leaves as it is: letters, digits and `/ - . _ ~` (RFC 3986's unreserved
/// set, plus the path separator).
const PATH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Folder of the copied content files.
pub(crate) const FILES_DIR: &str = "files";

/// Page path of a document.
pub(crate) fn doc_href(id: &str) -> String {
    format!("documents/{id}.html")
}

/// Page path of a clause or Annex A entry.
pub(crate) fn catalog_href(id: &str) -> String {
    if id.starts_with("A.") {
        format!("annex-a/{id}.html")
    } else {
        format!("clauses/{id}.html")
    }
}

/// Where content file `rel` (content-relative) is published in the site.
pub(crate) fn site_path(rel: &str) -> String {
    format!("{FILES_DIR}/{}", active::neutral_name(rel))
}

/// Percent-encodes a relative path for use in an href or a URI reference.
pub(crate) fn encode_path(p: &str) -> String {
    utf8_percent_encode(p, PATH).to_string()
}

/// Decodes `%XX` escapes leniently (a malformed escape stays as written, invalid UTF-8 becomes
/// U+FFFD): for links written by authors. `serve` decodes request targets strictly instead.
pub(crate) fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_encoding() {
        assert_eq!(encode_path("evidence/a b/ü.csv"), "evidence/a%20b/%C3%BC.csv");
        assert_eq!(encode_path("A.6.2.4~x_y-z"), "A.6.2.4~x_y-z");
        assert_eq!(decode(&encode_path("evidence/a b/ü#?.csv")), "evidence/a b/ü#?.csv");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }

    #[test]
    fn pages_and_files_have_one_layout() {
        assert_eq!(doc_href("POL-001"), "documents/POL-001.html");
        assert_eq!(catalog_href("A.2.2"), "annex-a/A.2.2.html");
        assert_eq!(catalog_href("6.1.3"), "clauses/6.1.3.html");
        assert_eq!(site_path("evidence/a.csv"), "files/evidence/a.csv");
        assert_eq!(site_path("evidence/x.HTML"), "files/evidence/x.HTML.download");
    }
}
