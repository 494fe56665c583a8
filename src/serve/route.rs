//! From a request target to a file under the output directory, refusing everything else:
//! overlong targets, absolute-form URLs, bad or encoded traversal (`..`, `%2e%2e`), backslashes,
//! NUL, drive letters, hidden names, and symlinks that lead out of the directory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The longest request target served (longer ones are refused).
pub(crate) const MAX_TARGET: usize = 2048;
/// Prefix of the server's own endpoints.
pub(crate) const INTERNAL: &str = "/__aimsdoc/";

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// One of the server's own endpoints (`reload.js`, `events`, `overlay.css`).
    Internal(String),
    /// A site path as decoded segments; `dir` when the target ends with `/`.
    Site {
        /// Decoded, checked path segments.
        segments: Vec<String>,
        /// The target ends with `/`.
        dir: bool,
    },
}

/// Why a request target is refused (the HTTP status to answer with).
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) enum Refused {
    /// 400: malformed or dangerous.
    BadRequest,
    /// 404: well-formed but names nothing servable.
    NotFound,
}

/// Parses a request target (`/path?query`).
pub(crate) fn parse(target: &str) -> Result<Route, Refused> {
    if target.len() > MAX_TARGET || !target.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if let Some(name) = path.strip_prefix(INTERNAL) {
        return Ok(Route::Internal(name.to_string()));
    }
    let decoded = percent_decode(path).ok_or(Refused::BadRequest)?;
    if decoded.contains(['\0', '\\']) || decoded.chars().any(char::is_control) {
        return Err(Refused::BadRequest);
    }
    let mut segments = Vec::new();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." || part.contains(':') {
            return Err(Refused::BadRequest);
        }
        if part.starts_with('.') {
            return Err(Refused::NotFound);
        }
        segments.push(part.to_string());
    }
    Ok(Route::Site { segments, dir: path.ends_with('/') })
}

/// Whether a request's `Host` header names this server: a loopback name (`localhost`,
/// `127.0.0.1`, `[::1]`, with or without a port) or exactly the `bound` address. Any other name
/// is a page on another site that reached the server through DNS rebinding (its name now
/// resolving to 127.0.0.1), so it must not read the preview. A missing header is refused too:
/// HTTP/1.1 requires it and browsers always send it.
pub(crate) fn host_allowed(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    if host == bound.to_string() {
        return true;
    }
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    ["localhost", "127.0.0.1", "[::1]"].iter().any(|l| name.eq_ignore_ascii_case(l))
}

/// The value of query parameter `key` in a request target, percent-decoded.
pub(crate) fn query_param(target: &str, key: &str) -> Option<String> {
    let query = target.split_once('?')?.1.split('#').next().unwrap_or("");
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| percent_decode(v)).flatten()
    })
}

/// The site path a URL path serves (`/` -> `index.html`, `/clauses/` -> `clauses/index.html`).
pub(crate) fn site_path(url_path: &str) -> Option<String> {
    match parse(url_path).ok()? {
        Route::Site { mut segments, dir } => {
            if dir || segments.is_empty() {
                segments.push("index.html".into());
            }
            Some(segments.join("/"))
        }
        Route::Internal(_) => None,
    }
}

/// A servable file, or a directory that needs its trailing slash.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// The file to send (canonical path).
    File(PathBuf),
    /// A directory requested without `/`: redirect so relative links resolve.
    AddSlash,
}

/// Resolves `segments` under the canonical output directory `root`; directories serve their
/// `index.html`. Anything whose real path is outside `root` is not found.
pub(crate) fn resolve(root: &Path, segments: &[String], dir: bool) -> Result<Found, Refused> {
    let mut path = root.to_path_buf();
    path.extend(segments);
    let real = path.canonicalize().map_err(|_| Refused::NotFound)?;
    if !real.starts_with(root) {
        return Err(Refused::NotFound);
    }
    if real.is_dir() {
        if !dir && !segments.is_empty() {
            return Ok(Found::AddSlash);
        }
        let index = real.join("index.html").canonicalize().map_err(|_| Refused::NotFound)?;
        return if index.starts_with(root) && index.is_file() {
            Ok(Found::File(index))
        } else {
            Err(Refused::NotFound)
        };
    }
    if real.is_file() {
        Ok(Found::File(real))
    } else {
        Err(Refused::NotFound)
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a file, by extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "lock" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/vnd.microsoft.icon",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "yaml" | "yml" => "application/yaml",
        _ if path.file_name().is_some_and(|n| n == "SHA256SUMS") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn refused(target: &str, why: Refused) {
        assert_eq!(parse(target), Err(why), "{target}");
    }

    #[track_caller]
    fn site(target: &str, segments: &[&str], dir: bool) {
        let want = Route::Site { segments: segments.iter().map(|s| s.to_string()).collect(), dir };
        assert_eq!(parse(target), Ok(want), "{target}");
    }

    #[test]
    fn targets_decode_into_checked_segments() {
        site("/", &[], true);
        site("/register.html?sort=id#top", &["register.html"], false);
        site("/documents/POL%2D001.html", &["documents", "POL-001.html"], false);
        site("//clauses//", &["clauses"], true);
        site("/a%20b", &["a b"], false);
        assert_eq!(parse("/__aimsdoc/events"), Ok(Route::Internal("events".into())));
    }

    #[test]
    fn traversal_and_malformed_targets_are_refused() {
        for t in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/documents/..%2f..%2fetc",
            "/..\\..\\etc\\passwd",
            "/%5c..%5cetc",
            "/a%00.html",
            "/%zz",
            "/%c0%ae%c0%ae/etc",
            "http://example.org/index.html",
            "index.html",
            "/C:/Windows/win.ini",
            "/./index.html",
        ] {
            refused(t, Refused::BadRequest);
        }
        refused(&format!("/{}", "a".repeat(MAX_TARGET)), Refused::BadRequest);
        refused("/.aimsdoc-site", Refused::NotFound);
        refused("/assets/.style.css.aimsdoc-new", Refused::NotFound);
    }

    #[test]
    fn only_loopback_names_or_the_bound_address_are_hosts() {
        let local: SocketAddr = "127.0.0.1:8000".parse().expect("addr");
        for ok in ["localhost", "localhost:8000", "LOCALHOST:1", "127.0.0.1:8000", "127.0.0.1", "[::1]:8000", "[::1]"] {
            assert!(host_allowed(Some(ok), local), "{ok}");
        }
        for bad in ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io:8000", "", "::1"] {
            assert!(!host_allowed(Some(bad), local), "{bad}");
        }
        assert!(!host_allowed(None, local));
        let lan: SocketAddr = "192.168.1.5:8000".parse().expect("addr");
        assert!(host_allowed(Some("192.168.1.5:8000"), lan));
        assert!(!host_allowed(Some("192.168.1.5:9000"), lan));
        assert!(host_allowed(Some("localhost:8000"), lan));
    }

    #[test]
    fn event_stream_parameters() {
        let t = "/__aimsdoc/events?since=ab-3&page=%2Fdocuments%2FPOL-001.html";
        assert_eq!(query_param(t, "since").as_deref(), Some("ab-3"));
        assert_eq!(query_param(t, "page").and_then(|p| site_path(&p)).as_deref(), Some("documents/POL-001.html"));
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/clauses/").as_deref(), Some("clauses/index.html"));
        assert_eq!(site_path("/../x"), None);
        assert_eq!(query_param("/x", "page"), None);
    }

    #[test]
    fn symlinks_out_of_the_root_are_not_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("out");
        std::fs::create_dir_all(root.join("sub")).expect("mkdir");
        std::fs::write(root.join("sub/index.html"), "x").expect("write");
        std::fs::write(dir.path().join("secret.txt"), "secret").expect("write");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("leak.txt")).expect("symlink");
        let root = root.canonicalize().expect("canonical");
        let seg = |s: &str| vec![s.to_string()];
        assert_eq!(resolve(&root, &seg("leak.txt"), false), Err(Refused::NotFound));
        assert_eq!(resolve(&root, &seg("sub"), false), Ok(Found::AddSlash));
        assert!(matches!(resolve(&root, &seg("sub"), true), Ok(Found::File(_))));
        assert_eq!(resolve(&root, &seg("missing"), false), Err(Refused::NotFound));
    }
}
