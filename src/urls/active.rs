//! Active evidence types: files a browser would run (HTML, SVG, XML, JavaScript) if they were
//! served from the portal's origin. They are published under a neutral name (`x.html` becomes
//! `x.html.download`, which static hosts serve as `application/octet-stream`) and every link to
//! them carries `download="x.html"`, so opening one saves it instead of running its scripts with
//! the portal's cookies, storage and pages. The bytes, and so their SHA-256, are unchanged.

/// Appended to the published name of an active file.
pub(crate) const NEUTRAL_SUFFIX: &str = ".download";

/// Extensions (lowercase) of the file types a browser renders as a document that can run script.
const ACTIVE: &[&str] = &["html", "htm", "shtml", "xhtml", "xht", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs"];

/// Whether the file at `path` (any case) is of an active type.
pub(crate) fn is_active(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, ext)| ACTIVE.iter().any(|a| ext.eq_ignore_ascii_case(a)))
}

/// The name `rel` (content-relative) is published under below `files/`.
pub(crate) fn neutral_name(rel: &str) -> String {
    if is_active(rel) {
        format!("{rel}{NEUTRAL_SUFFIX}")
    } else {
        rel.to_string()
    }
}

/// The `download` attribute for a link to content file `rel`: its original file name when it is
/// active, else `None` (other files open as usual).
pub(crate) fn download_name(rel: &str) -> Option<String> {
    is_active(rel).then(|| rel.rsplit('/').next().unwrap_or(rel).to_string())
}

/// The `download` attribute for a link whose (percent-encoded, relative) `href` leads to a
/// neutralised file: its original file name, else `None`. External links never qualify.
pub(crate) fn download_name_of_href(href: &str) -> Option<String> {
    if href.contains(':') {
        return None;
    }
    let path = href.split(['#', '?']).next().unwrap_or(href);
    let last = path.rsplit('/').next().unwrap_or(path);
    let original = last.strip_suffix(NEUTRAL_SUFFIX)?;
    let name = super::decode(original);
    is_active(&name).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(rel: &str, published: &str, download: Option<&str>) {
        assert_eq!(neutral_name(rel), published);
        assert_eq!(download_name(rel).as_deref(), download);
    }

    #[test]
    fn active_types_get_a_neutral_name_and_a_download_name() {
        case("evidence/x.html", "evidence/x.html.download", Some("x.html"));
        case("evidence/a/Report.SVG", "evidence/a/Report.SVG.download", Some("Report.SVG"));
        case("evidence/feed.xml", "evidence/feed.xml.download", Some("feed.xml"));
        case("evidence/tool.mjs", "evidence/tool.mjs.download", Some("tool.mjs"));
        case("evidence/page.XHT", "evidence/page.XHT.download", Some("page.XHT"));
        case("evidence/log.csv", "evidence/log.csv", None);
        case("evidence/report.pdf", "evidence/report.pdf", None);
        case("evidence/html", "evidence/html", None);
        case("evidence/x.html.d/notes.txt", "evidence/x.html.d/notes.txt", None);
    }

    #[test]
    fn hrefs_to_neutralised_files_give_the_original_name() {
        let href = |s: &str| download_name_of_href(s);
        assert_eq!(href("../files/evidence/x.html.download").as_deref(), Some("x.html"));
        assert_eq!(href("files/evidence/my%20page.svg.download#top").as_deref(), Some("my page.svg"));
        assert_eq!(href("files/evidence/notes.download"), None);
        assert_eq!(href("files/evidence/x.html"), None);
        assert_eq!(href("https://example.org/x.html.download"), None);
        assert_eq!(href("../files/evidence/a%"), None);
    }
}
