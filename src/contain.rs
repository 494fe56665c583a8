//! Containment: every file aimsdoc reads from a content tree lies inside the content root.
//!
//! A content tree may come from a pull request, so a symlink in it (to `/proc/self/environ`, to
//! the CI checkout's `.git/config`, to `/dev/zero`) must never make a build read, hash or publish
//! a file from elsewhere. [`Root::resolve`] is the one gate: it takes a content-relative path,
//! checks every component without following links, and answers with the canonical path of a
//! regular file inside the root, or why not. An untrusted tree ([`Trust::Untrusted`]) may not
//! use symlinks at all; a trusted one may, as long as they stay inside the root.
//! [`open_regular`] then opens that path without following a final link and without blocking on
//! a FIFO, and checks the handle is a regular file, so nothing changes between check and read.

use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::config::Trust;
use crate::failure::failure;

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Nothing is there.
    Missing,
    /// A symlink leads out of the content root (or nowhere).
    Outside,
    /// A symlink, in a tree that may not use them (`--untrusted`).
    Symlink,
    /// Something other than a regular file (a folder, FIFO, device or socket).
    NotRegular,
    /// The path itself is malformed (absolute, `..`, empty).
    Malformed,
    /// The file system refused to tell (permissions): the message.
    Unreadable(String),
}

impl Refusal {
    /// A short phrase for messages: "leads out of the content root through a symlink".
    pub(crate) fn describe(&self) -> String {
        match self {
            Refusal::Missing => "does not exist".into(),
            Refusal::Outside => "leads out of the content root through a symlink".into(),
            Refusal::Symlink => "is or passes through a symlink, which an untrusted tree may not use".into(),
            Refusal::NotRegular => "is not a regular file".into(),
            Refusal::Malformed => "is not a relative path inside the content root".into(),
            Refusal::Unreadable(e) => format!("cannot be read: {e}"),
        }
    }
}

/// The content root, canonicalised once.
#[derive(Debug, Clone)]
pub(crate) struct Root {
    canonical: PathBuf,
    trust: Trust,
}

impl Root {
    /// Canonicalises `root` (the user's own argument, so it may itself be a link).
    pub(crate) fn new(root: &Path, trust: Trust) -> io::Result<Root> {
        Ok(Root { canonical: root.canonicalize()?, trust })
    }

    /// The canonical content root.
    pub(crate) fn canonical(&self) -> &Path {
        &self.canonical
    }

    /// Whether symlinks inside the tree are refused outright.
    pub(crate) fn untrusted(&self) -> bool {
        self.trust == Trust::Untrusted
    }

    /// The canonical path of the regular file at content-relative `rel`, if it lies inside the
    /// root. Every component is looked at without following links first, so a link is refused
    /// in an untrusted tree, and in a trusted one only followed when its target stays inside.
    pub(crate) fn resolve(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let path = self.walk(rel)?;
        let meta = std::fs::metadata(&path).map_err(io_refusal)?;
        if meta.is_file() {
            Ok(path)
        } else {
            Err(Refusal::NotRegular)
        }
    }

    /// Like [`Root::resolve`], for a folder (the documents, evidence or theme folder).
    pub(crate) fn resolve_dir(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let path = self.walk(rel)?;
        let meta = std::fs::metadata(&path).map_err(io_refusal)?;
        if meta.is_dir() {
            Ok(path)
        } else {
            Err(Refusal::NotRegular)
        }
    }

    fn walk(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let parts = normal_components(rel).ok_or(Refusal::Malformed)?;
        let mut path = self.canonical.clone();
        let mut linked = false;
        for part in parts {
            path.push(part);
            let meta = std::fs::symlink_metadata(&path).map_err(io_refusal)?;
            if meta.file_type().is_symlink() {
                if self.untrusted() {
                    return Err(Refusal::Symlink);
                }
                linked = true;
            }
        }
        if !linked {
            return Ok(path);
        }
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.canonical) => Ok(real),
            _ => Err(Refusal::Outside),
        }
    }
}

/// The components of a relative path with only normal parts (no `..`, `.`, root or prefix),
/// or `None`. Backslashes are separators on Windows only, so they are refused here outright.
pub(crate) fn normal_components(rel: &str) -> Option<Vec<&str>> {
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then_some(parts)
}

fn io_refusal(e: io::Error) -> Refusal {
    match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => Refusal::Missing,
        _ => Refusal::Unreadable(e.to_string()),
    }
}

/// Why [`open_regular`] or [`read_regular`] refused a file: carried inside their `io::Error`
/// (kind `InvalidInput`, or `InvalidData` for a file over the size cap), so a caller can tell a
/// refusal from a failing disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotRead {
    /// The last component is a symbolic link.
    Link,
    /// A folder, FIFO, device or socket.
    NotRegular,
    /// More bytes than the cap (the cap).
    TooLarge(u64),
}

impl std::fmt::Display for NotRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotRead::Link => f.write_str("a symbolic link; not followed"),
            NotRead::NotRegular => f.write_str("not a regular file; not read"),
            NotRead::TooLarge(limit) => write!(f, "larger than {limit} bytes"),
        }
    }
}

impl std::error::Error for NotRead {}

impl NotRead {
    fn into_io(self) -> io::Error {
        let kind = match self {
            NotRead::TooLarge(_) => io::ErrorKind::InvalidData,
            NotRead::Link | NotRead::NotRegular => io::ErrorKind::InvalidInput,
        };
        io::Error::new(kind, self)
    }

    /// The refusal inside `e`, if `e` is one.
    pub(crate) fn of(e: &io::Error) -> Option<NotRead> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<NotRead>()).copied()
    }
}

/// Opens `path` for reading without following a final symlink and without blocking on a FIFO,
/// and checks that what was opened is a regular file.
/// Callers that pass canonical paths get the same guarantee for every component. A refusal is
/// an error carrying a [`NotRead`].
pub(crate) fn open_regular(path: &Path) -> io::Result<File> {
    open_sized(path).map(|(file, _)| file)
}

/// [`open_regular`], with the file's length from the same `fstat` (one system call per file
/// fewer: 100,000 in a big tree).
fn open_sized(path: &Path) -> io::Result<(File, u64)> {
    let file = open_nofollow(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(NotRead::NotRegular.into_io());
    }
    Ok((file, meta.len()))
}

#[cfg(unix)]
fn open_nofollow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let opened = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path);
    match opened {
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(NotRead::Link.into_io()),
        other => other,
    }
}

#[cfg(not(unix))]
fn open_nofollow(path: &Path) -> io::Result<File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(NotRead::Link.into_io());
    }
    File::open(path)
}

/// Reads the whole regular file at `path` (see [`open_regular`]), refusing more than `limit`
/// bytes so a hostile file cannot exhaust memory.
pub(crate) fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let (file, len) = open_sized(path)?;
    // Sized from the file's length: `Take` gives `read_to_end` no hint, and growing from a probe
    // buffer costs several reallocations and reads per document (100,000 in a big tree).
    let hint = len.min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(NotRead::TooLarge(limit).into_io());
    }
    Ok(bytes)
}

/// Reads a small text file that is not a document (`aimsdoc.toml`, the approval ledger): `None`
/// when there is none; a link, a special file, more than `limit` bytes or text that is not
/// UTF-8 is a [`Failure`] with its hint. Errors never quote the file's contents; a failing disk
/// stays an I/O error (exit 3).
pub(crate) fn read_text(path: &Path, limit: u64) -> anyhow::Result<Option<String>> {
    let bytes = match read_regular(path, limit) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(not_read(path, e)),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => Err(failure!(
            help = "save it as UTF-8",
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
        .into()),
    }
}

/// The failure for a small file [`read_text`] could not read.
fn not_read(path: &Path, e: io::Error) -> anyhow::Error {
    let shown = path.display();
    let failure = match NotRead::of(&e) {
        Some(NotRead::Link) => failure!(
            help = "replace the link with the file itself",
            "`{shown}` is a symbolic link; aimsdoc reads it only as a regular file"
        ),
        Some(NotRead::NotRegular) => failure!(
            help = "replace it with a regular text file",
            "`{shown}` is not a regular file (a folder, FIFO or device)"
        ),
        Some(NotRead::TooLarge(limit)) => {
            failure!(help = "this file is plain text and small", "`{shown}` is larger than {limit} bytes")
        }
        None => return anyhow::Error::new(e).context(format!("cannot read `{shown}`")),
    };
    failure.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("evidence/sub")).expect("mkdir");
        std::fs::write(dir.path().join("evidence/sub/a.csv"), "a").expect("write");
        dir
    }

    #[test]
    fn regular_files_inside_resolve() {
        let dir = tree();
        let root = Root::new(dir.path(), Trust::Trusted).expect("root");
        assert!(root.resolve("evidence/sub/a.csv").is_ok());
        assert_eq!(root.resolve("evidence/sub"), Err(Refusal::NotRegular));
        assert_eq!(root.resolve("evidence/none.csv"), Err(Refusal::Missing));
        assert_eq!(root.resolve("../x"), Err(Refusal::Malformed));
        assert_eq!(root.resolve("/etc/passwd"), Err(Refusal::Malformed));
        assert_eq!(root.resolve("a\\b"), Err(Refusal::Malformed));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_are_refused_and_links_in_only_when_trusted() {
        let dir = tree();
        std::os::unix::fs::symlink("/etc", dir.path().join("out")).expect("link");
        std::os::unix::fs::symlink("evidence/sub", dir.path().join("in")).expect("link");
        let trusted = Root::new(dir.path(), Trust::Trusted).expect("root");
        assert_eq!(trusted.resolve("out/passwd"), Err(Refusal::Outside));
        assert!(trusted.resolve("in/a.csv").is_ok());
        let untrusted = Root::new(dir.path(), Trust::Untrusted).expect("root");
        assert_eq!(untrusted.resolve("in/a.csv"), Err(Refusal::Symlink));
        assert_eq!(untrusted.resolve("out/passwd"), Err(Refusal::Symlink));
    }

    #[cfg(unix)]
    #[test]
    fn open_regular_refuses_links_and_fifos() {
        let dir = tree();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("evidence/sub/a.csv"), &link).expect("link");
        assert!(open_regular(&link).is_err());
        assert!(open_regular(&dir.path().join("evidence/sub/a.csv")).is_ok());
        assert!(open_regular(dir.path()).is_err());
        assert!(read_regular(&dir.path().join("evidence/sub/a.csv"), 0).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn read_text_refuses_links_fifos_and_folders_without_quoting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "TOKEN=s3cr3t\n").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&secret, &link).expect("symlink");
        let fifo = dir.path().join("fifo");
        // mkfifo(1) rather than libc: the crate allows no unsafe code, tests included.
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo");
        assert!(made.success(), "mkfifo failed");
        for path in [&link, &fifo, &dir.path().to_path_buf()] {
            let err = read_text(path, 1024).expect_err("refused");
            assert!(!format!("{err:#}").contains("s3cr3t"), "{err:#}");
        }
        assert_eq!(read_text(&dir.path().join("missing"), 1024).expect("ok"), None);
        let too_large = read_text(&secret, 4).expect_err("over the size limit");
        assert_eq!(too_large.to_string(), format!("`{}` is larger than 4 bytes", secret.display()));
        let link_err = read_text(&link, 1024).expect_err("a link");
        assert!(link_err.to_string().ends_with("is a symbolic link; aimsdoc reads it only as a regular file"));
        assert_eq!(crate::failure::help_of(&link_err), Some("replace the link with the file itself"));
        assert_eq!(read_text(&secret, 1024).expect("reads").as_deref(), Some("TOKEN=s3cr3t\n"));
    }
}
