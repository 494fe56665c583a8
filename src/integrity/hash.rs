//! Streaming SHA-256 of files: one fixed-size buffer per file being hashed, so memory does not
//! grow with file size (a 2 GiB evidence file costs the same few hundred KiB as a 2 KiB one),
//! and many files hashed at once on the rayon pool. `sha2` picks the SHA-NI instructions at run
//! time where the CPU has them (see BENCHMARKS.md, "Evidence hashing"). Files are opened under
//! the rules of [`super::open`]: never through a symbolic link, never a FIFO or a device.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::open::{open_beneath, open_regular, Refused};
use crate::graph::FileInfo;
use crate::util::hex;

/// Bytes read per call: large enough that system-call overhead vanishes next to hashing,
/// small enough to stay in L2 cache. Peak memory is this times the number of rayon threads.
pub(crate) const BUF_SIZE: usize = 256 * 1024;

/// Hashes everything `reader` yields, in [`BUF_SIZE`] chunks.
pub(crate) fn hash_reader(mut reader: impl Read) -> io::Result<FileInfo> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; BUF_SIZE];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok(FileInfo { size, sha256: hex(&hasher.finalize()) })
}

/// Size and SHA-256 of bytes in memory (a rendered page as it is written).
pub(crate) fn hash_slice(bytes: &[u8]) -> FileInfo {
    FileInfo { size: bytes.len() as u64, sha256: hex(&Sha256::digest(bytes)) }
}

/// Hashes the regular file at `path`, streaming. A link in the last component, a FIFO, a device
/// or a directory is an error (the build passes canonical paths, so no component is a link).
pub(crate) fn hash_file(path: &Path) -> io::Result<FileInfo> {
    hash_reader(open_regular(path)?)
}

/// Hashes `root/rel`, refusing it unless it is a regular file reached through real directories.
pub(crate) fn hash_beneath(root: &Path, rel: &str) -> Result<FileInfo, Refused> {
    hash_reader(open_beneath(root, rel)?).map_err(Refused::Io)
}

/// [`hash_beneath`] for every `rel`, in parallel, advancing `progress` by one per file hashed;
/// results in the order of `rels`.
pub(crate) fn hash_files_counted(
    root: &Path,
    rels: &[String],
    progress: &crate::progress::Progress,
) -> Vec<Result<FileInfo, Refused>> {
    rels.par_iter()
        .map(|rel| {
            let hash = hash_beneath(root, rel);
            progress.inc(1);
            hash
        })
        .collect()
}

/// A reader that hashes what passes through it (used to hash evidence while copying it into a
/// site, and to re-check files while packing them).
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
}

impl<R: Read> HashingReader<R> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: R) -> Self {
        HashingReader { inner, hasher: Sha256::new(), size: 0 }
    }

    /// The size and hash of everything read so far.
    pub(crate) fn finish(self) -> FileInfo {
        FileInfo { size: self.size, sha256: hex(&self.hasher.finalize()) }
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// Hashes of files already read, by canonical path, each valid while the file keeps its size,
/// modification and change times, inode and device. `serve` keeps one across rebuilds, so an
/// edit never re-hashes unchanged evidence. A file changed less than [`SETTLE`] before it was
/// hashed is not remembered (the "racily clean" case: the kernel's clock ticks coarsely, so a
/// second write in the same tick could keep every stamp and change the bytes).
#[derive(Debug)]
pub(crate) struct HashCache {
    entries: Mutex<HashMap<PathBuf, (Stamp, FileInfo)>>,
    settle: Duration,
}

/// How long ago a file's last change must lie before its hash is cached.
pub(crate) const SETTLE: Duration = Duration::from_secs(2);

impl Default for HashCache {
    fn default() -> Self {
        HashCache { entries: Mutex::default(), settle: SETTLE }
    }
}

impl HashCache {
    /// [`hash_file`], answered from the cache when the file's stamp is unchanged.
    pub(crate) fn hash_file(&self, path: &Path) -> io::Result<FileInfo> {
        let file = open_regular(path)?;
        let Some(stamp) = Stamp::of(&file.metadata()?) else { return hash_reader(&file) };
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, info)) = entries.get(path).filter(|(s, _)| *s == stamp) {
            return Ok(info.clone());
        }
        drop(entries);
        let info = hash_reader(&file)?;
        // Remembered only if nothing changed while it was read and the change is old enough.
        if Stamp::of(&file.metadata()?) == Some(stamp) && stamp.settled(self.settle) {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries.insert(path.to_path_buf(), (stamp, info.clone()));
        }
        Ok(info)
    }

    /// Forgets every file not in `keep` (files no longer copied into the site).
    pub(crate) fn retain(&self, keep: &dyn Fn(&Path) -> bool) {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).retain(|p, _| keep(p));
    }
}

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    ino: u64,
    dev: u64,
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt as _;
        Some(Stamp {
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        })
    }

    /// Without inode numbers and change times nothing is cached.
    #[cfg(not(unix))]
    fn of(_meta: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// Whether the last change (the change time, which no one can set back) lies at least
    /// `settle` in the past.
    fn settled(&self, settle: Duration) -> bool {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        let changed = self.ctime.0 as f64 + self.ctime.1 as f64 * 1e-9;
        now - changed >= settle.as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_across_buffer_boundaries() {
        let data: Vec<u8> = (0..BUF_SIZE * 2 + 17).map(|i| (i % 251) as u8).collect();
        let streamed = hash_reader(&data[..]).expect("in-memory read");
        assert_eq!(streamed.size, data.len() as u64);
        assert_eq!(streamed.sha256, crate::util::sha256_hex(&data));
    }

    #[test]
    fn hashing_reader_matches() {
        let mut r = HashingReader::new(&b"abc"[..]);
        let mut out = Vec::new();
        r.read_to_end(&mut out).expect("in-memory read");
        assert_eq!(r.finish().sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn cache_answers_only_for_the_same_version_of_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("e.csv");
        std::fs::write(&path, "a,b\n").expect("write");
        let fresh = HashCache::default();
        fresh.hash_file(&path).expect("hash");
        assert!(fresh.entries.lock().expect("lock").is_empty(), "a file changed just now is not cached");

        let cache = HashCache { settle: Duration::ZERO, ..HashCache::default() };
        let first = cache.hash_file(&path).expect("hash");
        assert_eq!(cache.entries.lock().expect("lock").len(), 1);
        assert_eq!(cache.hash_file(&path).expect("cached"), first);
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(&path, "c,d\n").expect("rewrite, same size");
        let second = cache.hash_file(&path).expect("hash");
        assert_eq!(second.sha256, crate::util::sha256_hex(b"c,d\n"));
        cache.retain(&|_| false);
        assert!(cache.entries.lock().expect("lock").is_empty());
    }
}
