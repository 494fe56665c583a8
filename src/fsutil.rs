//! File-system primitives for places where a content tree written by untrusted contributors can
//! plant links: atomic replacement through a randomly named temporary file, directory creation
//! that never passes through a link, an exclusive lock file, and random tokens. (Reading small
//! files is [`crate::contain`]'s.)

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::failure::{fail, failure};

/// Replaces `path` with `bytes` atomically and durably: the bytes go to a new, randomly named
/// file beside it (created with `O_EXCL`, so a planted link is never followed), are synced, and
/// the file is renamed over `path`. A `path` that is a symlink or not a regular file is refused;
/// an existing file keeps its permissions.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    replace_with(path, true, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], with the new content produced by `fill`; `durable` adds the fsyncs
/// (a preview server skips them, a ledger or an audit pack needs them).
pub(crate) fn replace_with(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> anyhow::Result<()> {
    let name = path.file_name().with_context(|| format!("`{}` does not name a file", path.display()))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let permissions = existing_permissions(path)?;
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".aimsdoc-tmp")
        .tempfile_in(parent)
        .with_context(|| format!("cannot create a temporary file in `{}`", parent.display()))?;
    fill(tmp.as_file_mut()).with_context(|| format!("cannot write `{}`", tmp.path().display()))?;
    // The temporary file is 0600; a replaced file keeps its mode, a new one gets the usual 0644.
    match permissions {
        Some(p) => tmp.as_file().set_permissions(p),
        None => set_new_file_mode(tmp.as_file()),
    }
    .with_context(|| format!("cannot set permissions of `{}`", path.display()))?;
    if durable {
        tmp.as_file().sync_all().with_context(|| format!("cannot sync `{}`", tmp.path().display()))?;
    }
    // rename(2) replaces the directory entry itself: a link planted at `path` since the check
    // above is replaced, never written through.
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot replace `{}`", path.display()))?;
    if durable {
        // Makes the rename itself durable; not every file system can sync a directory.
        let _ = File::open(parent).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// The permissions of the regular file at `path`, `None` when there is none; a link or a
/// special file is refused.
fn existing_permissions(path: &Path) -> anyhow::Result<Option<fs::Permissions>> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fail!(
            help = "replace the link with the file itself",
            "refusing to write `{}`: it is a symbolic link",
            path.display()
        ),
        Ok(m) if !m.is_file() => bail!("refusing to write `{}`: it is not a regular file", path.display()),
        Ok(m) => Ok(Some(m.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot inspect `{}`", path.display())),
    }
}

#[cfg(unix)]
fn set_new_file_mode(file: &File) -> io::Result<()> {
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_new_file_mode(_: &File) -> io::Result<()> {
    Ok(())
}

/// Adds `O_NOFOLLOW | O_NONBLOCK`: a link at the last component fails the open instead of being
/// followed, and a FIFO opens at once instead of blocking until a writer comes.
pub(crate) fn no_follow(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(opts, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    opts
}

/// Reads a small text file (the approval ledger); the one reader of small files is
/// [`contain::read_text`](crate::contain::read_text), kept under this name for its callers.
pub(crate) use crate::contain::read_text as read_regular;

/// Creates the folders of `rel` (a relative, `/`-separated path of normal components) below
/// `base`, refusing any existing component that is a link or not a folder. Returns the joined
/// path.
pub(crate) fn create_dirs_below(base: &Path, rel: &Path) -> anyhow::Result<PathBuf> {
    let mut dir = base.to_path_buf();
    for c in rel.components() {
        let Component::Normal(name) = c else {
            bail!("internal error: `{}` is not a plain relative path", rel.display());
        };
        dir.push(name);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => bail!("refusing to write below `{}`: it is a link or a file, not a folder", dir.display()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot inspect `{}`", dir.display())),
        }
        match fs::create_dir(&dir) {
            Ok(()) => {}
            // Another thread of this build created it in between; check what it is.
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists && fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) => {
            }
            Err(e) => return Err(e).with_context(|| format!("cannot create `{}`", dir.display())),
        }
    }
    Ok(dir)
}

/// `rel` as a path of normal components only: no root, no `..`, no `.`, not empty.
pub(crate) fn plain_relative(rel: &str) -> Option<&Path> {
    let path = Path::new(rel);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && path.components().next().is_some() && !rel.starts_with('/')).then_some(path)
}

/// An exclusive lock held on a lock file for as long as the value lives; the file is removed
/// when the lock is released.
#[derive(Debug)]
pub(crate) struct Lock {
    path: PathBuf,
    _file: File,
}

/// Takes an exclusive lock on the lock file `path` (created if missing), waiting for another
/// holder to finish.
///
/// The lock file is a separate file and never the data it guards, because the data is replaced
/// by rename (a lock on a replaced inode guards nothing). It is removed on release so it never
/// shows up in a working tree; a waiter that then holds a lock on the removed inode sees that
/// the name no longer refers to it and starts again, so two holders can never overlap.
pub(crate) fn lock_exclusive(path: &Path) -> anyhow::Result<Lock> {
    loop {
        let file = no_follow(OpenOptions::new().read(true).write(true).create(true)).open(path).with_context(|| {
            failure!(help = "if it is a link, remove it", "cannot open the lock file `{}`", path.display())
        })?;
        let meta = file.metadata().with_context(|| format!("cannot inspect `{}`", path.display()))?;
        if !meta.is_file() {
            fail!(help = "remove it and try again", "the lock file `{}` is not a regular file", path.display());
        }
        file.lock().with_context(|| format!("cannot lock `{}`", path.display()))?;
        if fs::symlink_metadata(path).is_ok_and(|now| same_file(&now, &meta)) {
            return Ok(Lock { path: path.to_path_buf(), _file: file });
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked (the handle closes after this body): see `lock_exclusive`.
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether two metadata values describe the same file (device and inode).
#[cfg(unix)]
pub(crate) fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Whether two metadata values describe the same file (not decidable here: assumed).
#[cfg(not(unix))]
pub fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// `bytes` random bytes from the operating system (`/dev/urandom`), as lowercase hex.
pub(crate) fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut buf = vec![0u8; bytes];
    File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).with_context(|| {
        failure!(
            help = "aimsdoc needs /dev/urandom to mark its output folders",
            "cannot read random bytes from /dev/urandom"
        )
    })?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_and_keeps_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ledger");
        write_atomic(&path, b"one").expect("writes a new file");
        assert_eq!(fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o644);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, b"two").expect("replaces");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert_eq!(fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o640);
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1, "no temporary file is left");
    }

    #[test]
    fn write_atomic_refuses_a_link_and_leaves_its_target_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("victim");
        fs::write(&target, "keep").expect("write");
        let link = dir.path().join("ledger");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let err = write_atomic(&link, b"evil").expect_err("refused");
        assert!(format!("{err:#}").contains("symbolic link"), "{err:#}");
        assert_eq!(fs::read_to_string(&target).expect("read"), "keep");
    }

    #[test]
    fn lock_file_is_exclusive_and_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".x.lock");
        let lock = lock_exclusive(&path).expect("locks");
        let other = File::open(&path).expect("open");
        assert!(other.try_lock().is_err(), "a second lock must wait");
        drop(lock);
        assert!(!path.exists());
        assert!(lock_exclusive(&path).is_ok(), "locks again after release");
    }

    #[test]
    fn plain_relative_paths() {
        assert!(plain_relative("files/a.csv").is_some());
        for bad in ["", "/etc/passwd", "a/../b", "./a", ".."] {
            assert!(plain_relative(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dirs_below_refuse_links() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("files")).expect("symlink");
        assert!(create_dirs_below(dir.path(), Path::new("files/x")).is_err());
        assert!(create_dirs_below(dir.path(), Path::new("pages/x")).is_ok());
        assert_eq!(fs::read_dir(outside.path()).expect("dir").count(), 0);
    }

    #[test]
    fn random_tokens_differ() {
        let a = random_hex(16).expect("random");
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_hex(16).expect("random"));
    }
}
