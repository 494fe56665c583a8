//! `serve`'s sink for the emit step ([`crate::site::emit`]): it remembers what it wrote into the
//! preview folder (a content hash per rendered file, the SHA-256 of each copied file) and
//! writes a file only when that changed, each through a randomly named temporary file and a
//! rename, so the server never serves a half-written file and never writes through a link. It
//! also removes the files it wrote that the site no longer contains.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use anyhow::Context as _;

use super::fingerprint::hash_bytes;
use crate::fsutil;
use crate::site::emit::Sink;

/// What this session wrote, by site path.
#[derive(Debug, Default)]
struct Written {
    /// Content hash of every rendered file (pages, exports, assets).
    rendered: HashMap<String, u64>,
    /// SHA-256 of every content file copied under `files/`.
    copied: HashMap<String, String>,
}

/// Writes into the preview folder only what changed.
#[derive(Debug)]
pub(super) struct WriteIfChanged {
    out: PathBuf,
    written: Mutex<Written>,
}

impl WriteIfChanged {
    /// A sink for `out` (an empty folder aimsdoc owns: see `session::prepare_out`).
    pub(super) fn new(out: PathBuf) -> WriteIfChanged {
        WriteIfChanged { out, written: Mutex::default() }
    }

    fn written(&self) -> MutexGuard<'_, Written> {
        self.written.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Removes the files this session wrote that are not in `keep` (a renamed document's old
    /// page, an attachment no longer referenced); returns their site paths.
    pub(super) fn remove_stale(&self, keep: &HashSet<String>) -> Vec<String> {
        let mut written = self.written();
        let stale: Vec<String> =
            written.rendered.keys().chain(written.copied.keys()).filter(|p| !keep.contains(*p)).cloned().collect();
        for path in &stale {
            // Best effort: a page left behind in the preview folder is clutter, not lost data;
            // `build` always writes a fresh site.
            let _ = remove_below(&self.out, path);
            written.rendered.remove(path);
            written.copied.remove(path);
        }
        stale
    }
}

impl Sink for WriteIfChanged {
    fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<bool> {
        let hash = hash_bytes(bytes);
        if self.written().rendered.get(rel) == Some(&hash) {
            return Ok(false);
        }
        fsutil::replace_with(&site_file(&self.out, rel)?, false, |f| f.write_all(bytes))
            .with_context(|| format!("cannot write `{rel}` in the site"))?;
        self.written().rendered.insert(rel.to_string(), hash);
        Ok(true)
    }

    fn copy(&self, source: &Path, rel: &str, sha256: &str) -> anyhow::Result<bool> {
        if self.written().copied.get(rel).is_some_and(|h| h == sha256) {
            return Ok(false);
        }
        // Into a new temporary file, renamed over the old copy: never onto the source.
        fsutil::replace_with(&site_file(&self.out, rel)?, false, |f| {
            std::io::copy(&mut crate::contain::open_regular(source)?, f).map(|_| ())
        })?;
        self.written().copied.insert(rel.to_string(), sha256.to_string());
        Ok(true)
    }
}

/// The path of site path `rel` below `out`, its folders created without passing through a link.
fn site_file(out: &Path, rel: &str) -> anyhow::Result<PathBuf> {
    let Some(path) = fsutil::plain_relative(rel) else {
        anyhow::bail!("internal error: the site path `{rel}` is not a plain relative path");
    };
    let parent = match path.parent() {
        Some(p) => fsutil::create_dirs_below(out, p)?,
        None => out.to_path_buf(),
    };
    Ok(parent.join(path.file_name().context("internal error: a site path without a file name")?))
}

/// Removes the file at site path `rel` below `out`, only if no folder on the way is a link
/// (so nothing outside the preview folder is ever removed).
fn remove_below(out: &Path, rel: &str) -> std::io::Result<()> {
    let refused = || std::io::Error::new(std::io::ErrorKind::InvalidInput, "not below the preview folder");
    let path = fsutil::plain_relative(rel).ok_or_else(refused)?;
    let mut at = out.to_path_buf();
    for c in path.parent().into_iter().flat_map(Path::components) {
        let Component::Normal(name) = c else { return Err(refused()) };
        at.push(name);
        if !std::fs::symlink_metadata(&at)?.is_dir() {
            return Err(refused());
        }
    }
    std::fs::remove_file(out.join(path))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn writes_only_what_changed_and_removes_only_below_its_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let sink = WriteIfChanged::new(dir.path().to_path_buf());
        assert!(sink.write("a/page.html", b"one").expect("write"));
        assert!(!sink.write("a/page.html", b"one").expect("same bytes"), "unchanged bytes are not rewritten");
        assert!(sink.write("a/page.html", b"two").expect("write"));
        assert_eq!(std::fs::read(dir.path().join("a/page.html")).expect("read"), b"two");
        std::fs::write(outside.path().join("page.html"), "keep").expect("write");
        std::fs::remove_dir_all(dir.path().join("a")).expect("rm");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("a")).expect("symlink");
        assert_eq!(sink.remove_stale(&HashSet::new()), ["a/page.html"]);
        assert!(outside.path().join("page.html").exists(), "never removed through a link");
    }

    #[test]
    fn copies_only_when_the_hash_changed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = tempfile::tempdir().expect("tempdir");
        let source = src.path().join("e.csv");
        std::fs::write(&source, "a,b\n").expect("write");
        let sink = WriteIfChanged::new(dir.path().to_path_buf());
        assert!(sink.copy(&source, "files/e.csv", "h1").expect("copy"));
        assert!(!sink.copy(&source, "files/e.csv", "h1").expect("same hash"));
        assert!(sink.copy(&source, "files/e.csv", "h2").expect("copy"));
        assert_eq!(std::fs::read_to_string(dir.path().join("files/e.csv")).expect("read"), "a,b\n");
    }
}
