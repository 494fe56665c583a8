//! The staging folder a build writes into, beside the output folder: every file of the site goes
//! through it, lands inside it (never through a link, never onto its own source), counts against
//! the output-size budget, and becomes the site only on [`Staging::commit`]. An unfinished
//! staging folder is removed on drop, and on SIGINT/SIGTERM when [`remove_staging_on_signal`]
//! was called.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use anyhow::{bail, Context as _};
use rayon::prelude::*;

use super::emit::Sink;
use super::output::{marker_text, MARKER};
use crate::failure::{fail, failure};
use crate::fsutil;
use crate::graph::FileInfo;
use crate::integrity::hash::{hash_slice, HashingReader};

/// Environment variable that sets the output-size budget in bytes.
pub(super) const BUDGET_VAR: &str = "AIMSDOC_OUTPUT_BUDGET";

/// Default budget for rendered bytes (pages, exports, assets; copied evidence is not counted, it
/// is the tree's own files). A 10,000-document portal renders about 150 MiB, so a legitimate
/// 100,000-document portal stays near 1.5 GiB: 8 GiB leaves five times that.
pub(super) const DEFAULT_BUDGET: u64 = 8 << 30;

/// No single rendered file may be larger: the largest files of a 100,000-document portal (the
/// register, the search index) stay near 100 MiB.
pub(super) const FILE_LIMIT: u64 = 1 << 30;

/// A staging folder that becomes the site on [`Staging::commit`], and is removed on drop
/// otherwise.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    /// Held open and locked while this build runs, so the next run's stale-folder cleanup
    /// leaves a live build alone.
    _marker: File,
    committed: bool,
    rendered: AtomicU64,
    budget: u64,
    /// Size and SHA-256 of every file written, by site path, taken from the very bytes handed
    /// to the file (rendered bytes, or a copy's bytes as they pass from source to
    /// destination): `SHA256SUMS` is made from these, so sealing reads nothing back.
    written: Mutex<BTreeMap<String, FileInfo>>,
    /// The folders below the staging folder this build has made (or found to be real
    /// folders), by site path: a file into one of them needs no check of its path's folders
    /// (a build writes tens of thousands of files into a few hundred folders). The staging
    /// folder is this build's own, made fresh under a random name: only this user could swap
    /// a folder in it for a link, and the file itself is still opened without following one.
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Creates `.NAME.aimsdoc-staging-RANDOM` in `parent` (the real, checked parent of the
    /// output folder `NAME`) with a fresh marker.
    pub(super) fn create(parent: PathBuf, name: String) -> anyhow::Result<Staging> {
        let budget = budget()?;
        let dir = new_dir(&parent, &name)?;
        let marker = match write_marker(&dir) {
            Ok(m) => m,
            Err(e) => {
                unregister(&dir);
                // Best-effort cleanup; the marker error is the one reported.
                let _ = fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        Ok(Staging {
            dir,
            parent,
            name,
            _marker: marker,
            committed: false,
            rendered: AtomicU64::new(0),
            budget,
            written: Mutex::default(),
            made: Mutex::default(),
        })
    }

    /// Where the site's files are being written.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a `/`-separated site path) inside the staging folder.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.dest(rel)?;
        self.charge(rel, bytes.len() as u64)?;
        let mut file = fsutil::no_follow(OpenOptions::new().write(true).create(true).truncate(true))
            .open(&path)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        file.write_all(bytes).with_context(|| format!("cannot write `{}`", path.display()))?;
        self.record(rel, hash_slice(bytes));
        Ok(())
    }

    /// Copies the content file `src` to site path `rel`, hashing the bytes as they pass (the
    /// source is read once); returns their size and SHA-256. A destination that is the source
    /// itself (through a link or a path that leads back into the tree) is refused before
    /// anything is truncated.
    pub(crate) fn copy(&self, src: &Path, rel: &str) -> anyhow::Result<FileInfo> {
        let path = self.dest(rel)?;
        let mut from = crate::contain::open_regular(src).with_context(|| format!("cannot read `{}`", src.display()))?;
        let from_meta = from.metadata().with_context(|| format!("cannot read `{}`", src.display()))?;
        if !from_meta.is_file() {
            bail!("cannot copy `{}` into the site: it is not a regular file", src.display());
        }
        // Opened without truncating: truncating first is what turns a copy onto itself into
        // an empty source file.
        let mut to = fsutil::no_follow(OpenOptions::new().write(true).create(true))
            .open(&path)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        let to_meta = to.metadata().with_context(|| format!("cannot inspect `{}`", path.display()))?;
        if fsutil::same_file(&from_meta, &to_meta) {
            bail!("internal error: refusing to copy `{}` onto itself; nothing was changed", src.display());
        }
        to.set_len(0).with_context(|| format!("cannot write `{}`", path.display()))?;
        let mut hashing = HashingReader::new(&mut from);
        io::copy(&mut hashing, &mut to).with_context(|| format!("cannot copy `{}` into the site", src.display()))?;
        let info = hashing.finish();
        self.record(rel, info.clone());
        Ok(info)
    }

    fn record(&self, rel: &str, info: FileInfo) {
        self.written.lock().unwrap_or_else(PoisonError::into_inner).insert(rel.to_string(), info);
    }

    /// Size and SHA-256 of every file written so far, by site path (as given to
    /// [`Staging::write`] and [`Staging::copy`]); taken, not copied (sealing is the last step,
    /// and at 100,000 documents the list is 200,000 entries).
    pub(crate) fn take_written(&self) -> BTreeMap<String, FileInfo> {
        std::mem::take(&mut *self.written.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The checked destination of `rel`: lexically inside the staging folder, its parent
    /// folders created without passing through a link.
    fn dest(&self, rel: &str) -> anyhow::Result<PathBuf> {
        let Some(rel_path) = fsutil::plain_relative(rel) else {
            bail!("internal error: the site path `{rel}` is not a plain relative path; nothing was written outside the staging folder");
        };
        let parent = match rel_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(p) => self.folder(p)?,
            None => self.dir.clone(),
        };
        let file_name = rel_path.file_name().context("internal error: a site path without a file name")?;
        Ok(parent.join(file_name))
    }

    /// The folder `rel` below the staging folder, made on first use without passing through a
    /// link (see [`fsutil::create_dirs_below`]), remembered after.
    fn folder(&self, rel: &Path) -> anyhow::Result<PathBuf> {
        let made = |set: &HashSet<PathBuf>| set.contains(rel);
        if made(&self.made.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(self.dir.join(rel));
        }
        let dir = fsutil::create_dirs_below(&self.dir, rel)?;
        self.made.lock().unwrap_or_else(PoisonError::into_inner).insert(rel.to_path_buf());
        Ok(dir)
    }

    fn charge(&self, rel: &str, len: u64) -> anyhow::Result<()> {
        if len > FILE_LIMIT {
            fail!(
                help = "look for documents with huge titles, lists or bodies",
                "the site file `{rel}` would be {} MiB, more than the {} MiB one rendered file may have; the build stopped and the previous site is untouched",
                len >> 20,
                FILE_LIMIT >> 20
            );
        }
        let total = self.rendered.fetch_add(len, Ordering::Relaxed).saturating_add(len);
        if total > self.budget {
            fail!(
                help = "look for documents with huge titles, lists or bodies; a larger portal can raise the budget with {BUDGET_VAR}=BYTES",
                "the site would exceed its output-size budget of {} bytes of rendered pages; the build stopped and the previous site is untouched",
                self.budget
            );
        }
        Ok(())
    }

    /// Replaces the output folder with the staged site.
    pub(crate) fn commit(mut self) -> anyhow::Result<PathBuf> {
        let out = self.parent.join(&self.name);
        // Held during the swap, so a signal handler waits for it instead of leaving no site.
        let mut active = registry();
        let had_old = match fs::symlink_metadata(&out) {
            Ok(m) if m.is_dir() => true,
            Ok(_) => bail!("refusing to replace `{}`: it is no longer a folder", out.display()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e).with_context(|| format!("cannot inspect `{}`", out.display())),
        };
        let old = self.parent.join(format!(".{}.aimsdoc-old-{}", self.name, fsutil::random_hex(8)?));
        if had_old {
            fs::rename(&out, &old)
                .with_context(|| format!("cannot move the previous site `{}` aside", out.display()))?;
        }
        if let Err(e) = fs::rename(&self.dir, &out) {
            if had_old {
                // Best-effort rollback; the failed move is the error reported.
                let _ = fs::rename(&old, &out);
            }
            return Err(e).with_context(|| format!("cannot move the new site into `{}`", out.display()));
        }
        self.committed = true;
        active.retain(|d| d != &self.dir);
        drop(active);
        if had_old {
            match remove_old_site(&old) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("cannot remove the previous site at `{}`", old.display()))
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// Removes the previous site, moved aside to `old`: its top-level entries in parallel (a
/// site's files sit in a few big folders, `documents/` and `assets/`, and unlinking 20,000
/// files on one thread was the longest step after the pages). Each entry goes through
/// `fs::remove_dir_all`, which never follows a link.
fn remove_old_site(old: &Path) -> io::Result<()> {
    let entries = fs::read_dir(old)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|e| {
        let path = e.path();
        if e.file_type()?.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        }
    })?;
    fs::remove_dir(old)
}

/// A sealed build's sink: every file is new, so every write changes the disk.
impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<bool> {
        Staging::write(self, rel, bytes).map(|()| true)
    }

    fn copy(&self, source: &Path, rel: &str, sha256: &str) -> anyhow::Result<bool> {
        let info = Staging::copy(self, source, rel)?;
        // The page and the manifest show the hash the link stage took; the copy must be those
        // bytes, or the manifest and SHA256SUMS would disagree.
        if info.sha256 != sha256 {
            bail!("`{}` changed while the site was being built; build again", source.display());
        }
        Ok(true)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            unregister(&self.dir);
            // Best-effort cleanup of an abandoned build; a leftover is removed by the next one.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The budget from [`BUDGET_VAR`], else [`DEFAULT_BUDGET`].
fn budget() -> anyhow::Result<u64> {
    match std::env::var(BUDGET_VAR) {
        Err(_) => Ok(DEFAULT_BUDGET),
        Ok(v) => v.trim().parse().ok().filter(|&b| b > 0).ok_or_else(|| {
            failure!(
                help = "write a positive whole number, e.g. {BUDGET_VAR}={DEFAULT_BUDGET}",
                "{BUDGET_VAR} is not a number of bytes"
            )
            .into()
        }),
    }
}

/// A new folder with a random name (mkdir fails rather than reuse anything already there),
/// registered for removal on Ctrl-C. The registry stays locked from the mkdir to the
/// registration, so an interrupt in between cannot leave the folder behind unregistered.
fn new_dir(parent: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let mut active = registry();
    for _ in 0..8 {
        let dir = parent.join(format!(".{name}.aimsdoc-staging-{}", fsutil::random_hex(8)?));
        match fs::create_dir(&dir) {
            Ok(()) => {
                active.push(dir.clone());
                return Ok(dir);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot create a staging folder in `{}`", parent.display()))
            }
        }
    }
    bail!("cannot create a staging folder in `{}`: every random name was taken", parent.display())
}

fn write_marker(dir: &Path) -> anyhow::Result<File> {
    let path = dir.join(MARKER);
    let token = fsutil::random_hex(16)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.lock().with_context(|| format!("cannot lock `{}`", path.display()))?;
    file.write_all(marker_text(&token).as_bytes()).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(file)
}

/// Staging folders of builds in progress in this process.
fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    ACTIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn unregister(dir: &Path) {
    registry().retain(|d| d != dir);
}

/// Installs a SIGINT/SIGTERM handler that removes the staging folders of builds in progress
/// and exits with 130. For `build` only: `serve` installs its own handler (one per process).
pub(crate) fn remove_staging_on_signal() -> anyhow::Result<()> {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    if INSTALLED.set(()).is_err() {
        return Ok(());
    }
    ctrlc::set_handler(|| {
        let active = registry();
        for dir in active.iter() {
            // Worker threads may still be adding files while it is removed: try again.
            for _ in 0..10 {
                if fs::remove_dir_all(dir).is_ok() || !dir.exists() {
                    break;
                }
            }
        }
        eprintln!("interrupted: the unfinished site was removed; the previous site (if any) is untouched");
        std::process::exit(130);
    })
    .context("cannot install the Ctrl-C handler")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staging(dir: &Path, budget: u64) -> Staging {
        let mut s = Staging::create(dir.to_path_buf(), "site".into()).expect("staging");
        s.budget = budget;
        s
    }

    #[test]
    fn refuses_paths_that_leave_the_staging_folder() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let s = staging(tmp.path(), DEFAULT_BUDGET);
        for rel in ["../escape.html", "/tmp/escape.html", "a/../../b", ""] {
            assert!(s.write(rel, b"x").is_err(), "{rel}");
        }
        s.write("files//a/b.txt", b"x").expect("a doubled slash stays inside");
        assert!(s.dir().join("files/a/b.txt").is_file());
        assert!(!tmp.path().join("escape.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_below_the_staging_folder() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let s = staging(tmp.path(), DEFAULT_BUDGET);
        std::os::unix::fs::symlink(outside.path(), s.dir().join("files")).expect("symlink");
        std::os::unix::fs::symlink(outside.path().join("x"), s.dir().join("leaf.html")).expect("symlink");
        assert!(s.write("files/a.txt", b"x").is_err());
        assert!(s.write("leaf.html", b"x").is_err());
        assert_eq!(fs::read_dir(outside.path()).expect("dir").count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn never_copies_a_file_onto_itself() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let s = staging(tmp.path(), DEFAULT_BUDGET);
        let src = tmp.path().join("evidence.csv");
        fs::write(&src, "a,b\n").expect("write");
        fs::create_dir(s.dir().join("files")).expect("mkdir");
        fs::hard_link(&src, s.dir().join("files/e.csv")).expect("link");
        assert!(s.copy(&src, "files/e.csv").is_err());
        assert_eq!(fs::read_to_string(&src).expect("read"), "a,b\n");
        assert_eq!(s.copy(&src, "files/other.csv").expect("copies").size, 4);
    }

    #[test]
    fn budget_stops_the_build_and_drop_cleans_up() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let s = staging(tmp.path(), 10);
        s.write("a.html", b"12345").expect("within budget");
        let err = s.write("b.html", b"123456").expect_err("over budget");
        assert!(format!("{err:#}").contains("output-size budget"), "{err:#}");
        let dir = s.dir().to_path_buf();
        drop(s);
        assert!(!dir.exists());
    }

    #[test]
    fn commit_swaps_in_a_marked_site() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let s = staging(tmp.path(), DEFAULT_BUDGET);
        s.write("index.html", b"new").expect("write");
        let out = s.commit().expect("commit");
        assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "new");
        let marker = fs::read_to_string(out.join(MARKER)).expect("marker");
        assert!(marker.starts_with("aimsdoc-site 1\n") && marker.len() == 15 + 33, "{marker:?}");
        let names: Vec<_> = fs::read_dir(tmp.path()).expect("dir").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["site"]);
    }
}
