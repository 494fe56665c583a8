//! Streaming SHA-256 of files: one fixed-size buffer per file being hashed, so memory does not
//! grow with file size (a 2 GiB evidence file costs the same few hundred KiB as a 2 KiB one),
//! and many files hashed at once on the rayon pool. `sha2` picks the SHA-NI instructions at run
//! time where the CPU has them (see BENCHMARKS.md, "Evidence hashing"). Files are opened under
//! the rules of [`super::open`]: never through a symbolic link, never a FIFO or a device.

use std::io::{self, Read};
use std::path::Path;

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

/// Hashes the regular file at `path`, streaming. A link in the last component, a FIFO, a device
/// or a directory is an error (the build passes canonical paths, so no component is a link).
pub(crate) fn hash_file(path: &Path) -> io::Result<FileInfo> {
    hash_reader(open_regular(path)?)
}

/// Hashes `root/rel`, refusing it unless it is a regular file reached through real directories.
pub(crate) fn hash_beneath(root: &Path, rel: &str) -> Result<FileInfo, Refused> {
    hash_reader(open_beneath(root, rel)?).map_err(Refused::Io)
}

/// [`hash_beneath`] for every `rel`, in parallel; results in the order of `rels`.
pub(crate) fn hash_files(root: &Path, rels: &[String]) -> Vec<Result<FileInfo, Refused>> {
    hash_files_counted(root, rels, &crate::progress::Progress::none())
}

/// [`hash_files`], advancing `progress` by one per file hashed.
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

/// A reader that hashes what passes through it (used to re-check files while packing them).
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
}
