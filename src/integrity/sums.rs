//! `SHA256SUMS`: the checksum list at the site root, byte for byte what GNU `sha256sum` writes
//! and `sha256sum -c` reads: `<64 lowercase hex><two spaces><path>` per line, LF endings,
//! paths relative to the site root with `/`, sorted by byte order (what `LC_ALL=C sort` gives).
//! A path holding `\`, LF or CR is written the way coreutils does it: the line starts with `\`
//! and those characters become `\\`, `\n`, `\r`. The list covers every file of the site,
//! including `manifest.json`, except itself, its signature `SHA256SUMS.sig` and the `.aimsdoc-site` marker (a random token per
//! output folder: aimsdoc's bookkeeping, not part of the published site); so its own SHA-256,
//! the *release digest*, binds every published file of the site.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;

use super::open::{kind_of, read_beneath, Refused};
use super::{SIG, SUMS};
use crate::graph::FileInfo;
use crate::util::sha256_hex;

/// A line of a checksum list that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Renders `entries` (path -> lowercase hex SHA-256, in byte order of the path) in `sha256sum`
/// format.
pub(crate) fn format<P: AsRef<str>, H: AsRef<str>>(entries: impl IntoIterator<Item = (P, H)>) -> String {
    let entries = entries.into_iter();
    let mut out = String::with_capacity(entries.size_hint().0 * 100);
    for (path, hash) in entries {
        let (path, hash) = (path.as_ref(), hash.as_ref());
        if path.contains(['\\', '\n', '\r']) {
            let escaped = path.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r");
            out.extend(["\\", hash, "  ", &escaped, "\n"]);
        } else {
            out.extend([hash, "  ", path, "\n"]);
        }
    }
    out
}

/// Reads a checksum list written by [`format()`] (or by `sha256sum` in text mode).
pub(crate) fn parse(text: &str) -> Result<BTreeMap<String, String>, ParseError> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let err = |message: &str| ParseError { line, message: message.to_string() };
        if raw.is_empty() {
            continue;
        }
        let (escaped, rest) = match raw.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let (hash, name) = rest.split_at_checked(64).ok_or_else(|| err("line too short for a SHA-256 checksum"))?;
        if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err("the line does not start with 64 hexadecimal digits"));
        }
        let name = name
            .strip_prefix("  ")
            .or_else(|| name.strip_prefix(" *"))
            .ok_or_else(|| err("expected two spaces between the checksum and the file name"))?;
        let name =
            if escaped { unescape(name).ok_or_else(|| err("bad `\\` escape in the file name"))? } else { name.into() };
        if name.is_empty() {
            return Err(err("the file name is empty"));
        }
        if out.insert(name, hash.to_ascii_lowercase()).is_some() {
            return Err(err("the file is listed twice"));
        }
    }
    Ok(out)
}

fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            _ => return None,
        }
    }
    Some(out)
}

/// What the walk of a site found at one path: a regular file, or something else (named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// `/`-separated path relative to the site root.
    pub path: String,
    /// `None` for a regular file, else what it is ("a symbolic link", "a FIFO (named pipe)"...).
    pub other: Option<&'static str>,
}

/// Everything under `dir` except directories, the root `SHA256SUMS` and its signature
/// `SHA256SUMS.sig` (checked on its own by `verify`), sorted by path,
/// following no link: a symbolic link (to a file or a folder) is reported as such and never
/// entered, so a link to `.` cannot make the walk loop and a link to `/` cannot leave the site.
/// Names that are not UTF-8 are listed lossily, so verification reports them.
pub(crate) fn list_entries(dir: &Path) -> anyhow::Result<Vec<Found>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((abs, rel)) = stack.pop() {
        let entries = std::fs::read_dir(&abs).with_context(|| format!("cannot list `{}`", abs.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list `{}`", abs.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            // DirEntry::file_type does not follow links on Unix (a link is seen as a link), and
            // comes from the directory listing itself where the file system gives it: no stat
            // per file. Only what is neither a file nor a folder is inspected further.
            let kind = entry.file_type().with_context(|| format!("cannot inspect `{child}` in the site"))?;
            if kind.is_dir() {
                stack.push((entry.path(), child));
            } else if child != SUMS && child != SIG && child != crate::site::output::MARKER {
                let other = match kind.is_file() {
                    true => None,
                    false => {
                        let meta = entry.metadata().with_context(|| format!("cannot inspect `{child}` in the site"))?;
                        Some(kind_of(&meta))
                    }
                };
                out.push(Found { path: child, other });
            }
        }
    }
    out.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The largest `SHA256SUMS` read: about two million files' worth of lines.
pub(crate) const SUMS_LIMIT: u64 = 256 * 1024 * 1024;

/// The bytes of `site/SHA256SUMS`, refused if it is a link or not a regular file.
pub(crate) fn read(site: &Path) -> Result<Vec<u8>, Refused> {
    read_beneath(site, SUMS, SUMS_LIMIT)
}

/// The *release digest* of the site at `site`: the SHA-256 of its `SHA256SUMS`, which lists
/// every other file (pages, assets, `manifest.json`), so it binds the whole site.
pub(crate) fn release_digest(site: &Path) -> anyhow::Result<String> {
    let bytes = read(site).with_context(|| format!("cannot read {SUMS} in `{}`", site.display()))?;
    Ok(sha256_hex(&bytes))
}

/// Finishes a staged site: writes `dir/SHA256SUMS` from `written`, the size and SHA-256 of
/// every file the build wrote, taken from the bytes as they went into each file (so nothing is
/// read back). Call it last, when nothing else will be written. Refuses to seal unless the
/// folder holds exactly the files of `written`, each a regular file, and every copied content
/// file (`files/<path>`) has the hash the manifest records for it in `copied`: a file edited
/// during the build cannot leave the manifest and the list disagreeing.
pub(crate) fn seal(
    dir: &Path,
    written: &BTreeMap<String, FileInfo>,
    copied: &BTreeMap<String, FileInfo>,
) -> anyhow::Result<()> {
    let found = list_entries(dir)?;
    // Both are in byte order of the path: the folder must hold exactly the files written.
    let same = found.len() == written.len()
        && found.iter().zip(written.keys()).all(|(entry, path)| entry.other.is_none() && entry.path == *path);
    if !same {
        let stray = found.iter().find(|entry| entry.other.is_some() || !written.contains_key(&entry.path));
        match stray {
            Some(entry) => {
                anyhow::bail!("internal error: `{}` in the staging folder was not written by this build", entry.path)
            }
            None => anyhow::bail!("internal error: a file this build wrote is missing from the staging folder"),
        }
    }
    for (path, info) in copied {
        let site_path = crate::urls::site_path(path);
        if written.get(&site_path).map(|w| &w.sha256) != Some(&info.sha256) {
            anyhow::bail!("`{path}` changed while the site was being built; build again");
        }
    }
    let list = written.iter().map(|(path, info)| (path, &info.sha256));
    std::fs::write(dir.join(SUMS), format(list)).with_context(|| format!("cannot write {SUMS}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn one(path: &str) -> BTreeMap<String, String> {
        BTreeMap::from([(path.to_string(), H.to_string())])
    }

    #[test]
    fn plain_and_escaped_lines_round_trip() {
        for path in ["index.html", "files/a b.csv", "back\\slash", "new\nline", "cr\rx"] {
            let text = format(&one(path));
            assert!(text.ends_with('\n') && text.matches('\n').count() == 1, "{text:?}");
            assert_eq!(parse(&text).expect("parses"), one(path), "{text:?}");
        }
        assert_eq!(format(&one("a")), format!("{H}  a\n"));
        assert_eq!(format(&one("b\\c")), format!("\\{H}  b\\\\c\n"));
    }

    #[test]
    fn sorted_by_bytes() {
        let m: BTreeMap<String, String> =
            ["b", "B", "a/z", "a.html"].iter().map(|p| (p.to_string(), H.to_string())).collect();
        let text = format(&m);
        let names: Vec<&str> = text.lines().map(|l| &l[66..]).collect();
        assert_eq!(names, ["B", "a.html", "a/z", "b"]);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let e = parse(&format!("{H}  a\nnot a checksum line at all, long enough to split somewhere ok\n"));
        assert_eq!(e.map_err(|e| e.line), Err(2));
        assert!(parse(&format!("{H} a\n")).is_err());
        assert!(parse(&format!("{H}  a\n{H}  a\n")).is_err());
        assert!(parse("short\n").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn the_walk_names_links_and_never_enters_them() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        std::fs::create_dir_all(root.join("a/b")).expect("mkdir");
        std::fs::write(root.join("a/b/page.html"), "x").expect("write");
        std::fs::write(root.join(SUMS), "").expect("write");
        // Two links to `.`: a walk that followed them would never end.
        std::os::unix::fs::symlink(".", root.join("a/loop1")).expect("symlink");
        std::os::unix::fs::symlink("..", root.join("a/b/loop2")).expect("symlink");
        std::os::unix::fs::symlink("/etc/passwd", root.join("p")).expect("symlink");
        let found = list_entries(root).expect("walk");
        let seen: Vec<(&str, Option<&str>)> = found.iter().map(|f| (f.path.as_str(), f.other)).collect();
        let link = Some("a symbolic link");
        assert_eq!(seen, [("a/b/loop2", link), ("a/b/page.html", None), ("a/loop1", link), ("p", link)]);
    }
}
