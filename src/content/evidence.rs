//! The evidence folder as a whole: every regular file in it that could be evidence (not
//! hidden, not `_`-prefixed, not `.gitignore`d: the rules attachments follow), so validation
//! can name the ones no document attaches. Links are not walked (a link is not evidence; the
//! file it leads to is). Walked once per link stage, sorted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::contain::Root;

/// The regular files under the evidence folder: content-relative path -> the path the walk
/// found (canonical: below the canonical folder, through no link). Empty when there is no
/// evidence folder or it does not lie inside the content root (attachments report that).
pub(crate) fn files(root: &Path, config: &Config) -> BTreeMap<String, PathBuf> {
    let evidence = config.paths.evidence.trim_end_matches('/');
    let Ok(contained) = Root::new(root, config.trust) else { return BTreeMap::new() };
    let Ok(dir) = contained.resolve_dir(evidence) else { return BTreeMap::new() };
    let output = config.output_dir(root);
    let walker = super::load::walker(&dir);
    walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| !e.path().starts_with(&output))
        .filter_map(|e| {
            let rest = e.path().strip_prefix(&dir).ok()?;
            let rest = super::load::relative(Path::new(""), rest);
            Some((format!("{evidence}/{rest}"), e.path().to_path_buf()))
        })
        .collect()
}

/// Whether the name `rel` gives a file found at `found` is lossy: a component of its path
/// below the content root is not UTF-8 (`rel` shows it with U+FFFD). No attachment, link or
/// `SHA256SUMS` line can name such a file.
pub(crate) fn name_not_utf8(rel: &str, found: &Path) -> bool {
    let depth = rel.split('/').count();
    found.components().rev().take(depth).any(|c| c.as_os_str().to_str().is_none())
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    use super::name_not_utf8;

    #[test]
    fn only_a_lossy_name_below_the_root_counts() {
        let bad = Path::new("/c/evidence").join(OsStr::from_bytes(b"r\xe9sum\xe9.csv"));
        assert!(name_not_utf8("evidence/r\u{fffd}sum\u{fffd}.csv", &bad));
        let folder = Path::new("/c/evidence").join(OsStr::from_bytes(b"caf\xe9")).join("x.csv");
        assert!(name_not_utf8("evidence/caf\u{fffd}/x.csv", &folder));
        assert!(!name_not_utf8("evidence/r\u{fffd}sum\u{fffd}.csv", Path::new("/c/evidence/r\u{fffd}sum\u{fffd}.csv")));
        // A root whose own name is not UTF-8 does not make every evidence name lossy.
        let root = Path::new("/").join(OsStr::from_bytes(b"\xff")).join("evidence/x.csv");
        assert!(!name_not_utf8("evidence/x.csv", &root));
    }
}
