//! Opening the files of a site someone else made without following what it plants. `verify` and
//! `pack` run on sites (and unzipped packs) from people the auditor does not control, so a
//! listed path that is a symbolic link (at any depth below the site root), a FIFO, a device, a
//! socket or a directory is refused *before* it is opened: a link to `/dev/zero` or a FIFO
//! would hang the run, and a link to a file outside the site with the right hash would pass and
//! be packed. The open itself uses `O_NOFOLLOW | O_NONBLOCK` and checks the handle, so a file
//! swapped for a link or a FIFO after the check is refused too.

use std::fmt;
use std::fs::{File, Metadata};

pub(crate) use crate::contain::open_regular;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why a path of the site cannot be read as a regular file inside it.
#[derive(Debug)]
pub(crate) enum Refused {
    /// Nothing at that path.
    Missing,
    /// The path, or a folder on the way to it, is not what it must be (a symbolic link, a FIFO,
    /// a device, ...): the text says which and what it is.
    NotRegular(String),
    /// Any other failure to open or read it.
    Io(io::Error),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Missing => f.write_str("no such file"),
            Refused::NotRegular(why) => f.write_str(why),
            Refused::Io(e) => write!(f, "cannot read it: {e}"),
        }
    }
}

impl std::error::Error for Refused {}

/// What a directory entry is, in words, from metadata taken without following links.
pub(crate) fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// Checks, without following any link, that every folder on the way from `root` to `root/rel`
/// is a real directory and `rel` itself a regular file. `rel` is `/`-separated and relative.
pub(crate) fn check_beneath(root: &Path, rel: &str) -> Result<(), Refused> {
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let lexically_inside = Path::new(rel).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if parts.is_empty() || !lexically_inside {
        return Err(Refused::NotRegular("is not a path inside the site".into()));
    }
    let mut path = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Refused::Missing),
            Err(e) => return Err(Refused::Io(e)),
        };
        let last = i + 1 == parts.len();
        let fine = if last { meta.file_type().is_file() } else { meta.file_type().is_dir() };
        if !fine {
            let what = kind_of(&meta);
            let why = if last {
                format!("is {what}, not a regular file; not opened")
            } else {
                format!("`{}` is {what}, not a directory; not followed", parts[..=i].join("/"))
            };
            return Err(Refused::NotRegular(why));
        }
    }
    Ok(())
}

/// Opens `root/rel` for reading when it is a regular file reached through real directories only
/// (see [`check_beneath`] and [`open_regular`]).
pub(crate) fn open_beneath(root: &Path, rel: &str) -> Result<File, Refused> {
    check_beneath(root, rel)?;
    let path: PathBuf = root.join(rel);
    open_regular(&path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Refused::Missing,
        io::ErrorKind::InvalidInput => Refused::NotRegular(format!("is {e}")),
        _ => Refused::Io(e),
    })
}

/// Reads all of `root/rel` under the rules of [`open_beneath`], refusing more than `limit`
/// bytes (for files read whole, such as `SHA256SUMS` and a page).
pub(crate) fn read_beneath(root: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, Refused> {
    use std::io::Read as _;
    let file = open_beneath(root, rel)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::NotRegular(format!("is larger than {limit} bytes; not read")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(root: &Path, rel: &str) -> String {
        match open_beneath(root, rel) {
            Ok(_) => "opened".into(),
            Err(Refused::Missing) => "missing".into(),
            Err(e) => e.to_string(),
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_folders_are_refused_before_opening() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("dir")).expect("mkdir");
        std::fs::write(root.join("dir/a.txt"), "a").expect("write");
        std::fs::write(tmp.path().join("outside.txt"), "a").expect("write");
        std::os::unix::fs::symlink(tmp.path().join("outside.txt"), root.join("link.txt")).expect("symlink");
        std::os::unix::fs::symlink(root.join("dir"), root.join("linkdir")).expect("symlink");
        assert_eq!(refused(&root, "dir/a.txt"), "opened");
        assert_eq!(refused(&root, "./dir/a.txt"), "opened");
        assert_eq!(refused(&root, "nope.txt"), "missing");
        assert_eq!(refused(&root, "link.txt"), "is a symbolic link, not a regular file; not opened");
        assert_eq!(refused(&root, "linkdir/a.txt"), "`linkdir` is a symbolic link, not a directory; not followed");
        assert_eq!(refused(&root, "dir"), "is a directory, not a regular file; not opened");
        assert_eq!(refused(&root, "../site/dir/a.txt"), "is not a path inside the site");
        // The open itself does not follow a final link either (a file swapped after the check).
        let e = open_regular(&root.join("link.txt")).map(|_| ()).expect_err("a link is refused");
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let e = open_regular(&root.join("dir")).map(|_| ()).expect_err("a folder is refused");
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn reading_whole_files_is_capped() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("big"), vec![b'x'; 100]).expect("write");
        assert_eq!(read_beneath(tmp.path(), "big", 100).map(|b| b.len()).ok(), Some(100));
        assert!(matches!(read_beneath(tmp.path(), "big", 99), Err(Refused::NotRegular(_))));
    }
}
