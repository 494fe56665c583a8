//! Printing many findings on every core: the findings are cut into chunks, each chunk is
//! printed into its own buffer in parallel, and the buffers are written in order. Every format
//! but SARIF prints each finding on its own (`human`, `github`) or as one element of an array
//! (`json`), so the bytes are the ones printing them one after another gives; printing 90,000
//! findings was a few tenths of a second on the main thread at 100,000 documents.

use std::io::{self, Write};

use rayon::prelude::*;

use super::Diagnostic;

/// Findings per chunk.
const CHUNK: usize = 1024;

/// Chunks printed before their buffers are written out (bounds the memory held at once).
const CHUNKS_AT_ONCE: usize = 32;

/// Prints `diags` with `each`, which prints one chunk (told whether it is the first), chunks in
/// parallel, written to `out` in order.
pub(super) fn print<F>(out: &mut dyn Write, diags: &[Diagnostic], each: F) -> io::Result<()>
where
    F: Fn(&mut Vec<u8>, &[Diagnostic], bool) -> io::Result<()> + Sync,
{
    // The buffers are reused from one batch to the next: fresh ones each time were page faults.
    let mut buffers = vec![Vec::new(); CHUNKS_AT_ONCE];
    for (group, batch) in diags.chunks(CHUNK * CHUNKS_AT_ONCE).enumerate() {
        let chunks = batch.chunks(CHUNK).len();
        buffers[..chunks].par_iter_mut().zip(batch.par_chunks(CHUNK)).enumerate().try_for_each(
            |(i, (buf, chunk))| {
                buf.clear();
                each(buf, chunk, group == 0 && i == 0)
            },
        )?;
        for buf in &buffers[..chunks] {
            out.write_all(buf)?;
        }
    }
    Ok(())
}

/// `diags` as `serde_json::to_writer_pretty` prints the whole list, one chunk at a time (see
/// [`crate::util::pretty_json_elements`]).
pub(super) fn json(out: &mut dyn Write, diags: &[Diagnostic]) -> io::Result<()> {
    if diags.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    print(out, diags, |buf, chunk, first| {
        if !first {
            buf.push(b',');
        }
        buf.extend_from_slice(&crate::util::pretty_json_elements(chunk, 0)?);
        Ok(())
    })?;
    out.write_all(b"\n]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::rules;
    use crate::yaml::Pos;

    fn findings(n: usize) -> Vec<Diagnostic> {
        (0..n)
            .map(|i| {
                Diagnostic::new(
                    rules::ID_MISSING,
                    &format!("documents/{i}.md"),
                    Pos { line: i, column: 2 },
                    "a \"b\"\n",
                )
                .hint(if i % 2 == 0 { "x" } else { "" })
            })
            .collect()
    }

    #[test]
    fn chunked_json_is_the_whole_array_pretty_printed() {
        for n in [0, 1, 2, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK * CHUNKS_AT_ONCE + 3, 3 * CHUNK + 7] {
            let diags = findings(n);
            let mut chunked = Vec::new();
            json(&mut chunked, &diags).expect("prints");
            let whole = serde_json::to_vec_pretty(&diags).expect("prints");
            assert!(chunked == whole, "{n} findings differ");
        }
    }

    #[test]
    fn chunks_are_written_in_order() {
        let diags = findings(CHUNK * CHUNKS_AT_ONCE * 2 + 5);
        let mut out = Vec::new();
        print(&mut out, &diags, |buf, chunk, first| {
            buf.extend(first.then_some(b'!'));
            chunk.iter().try_for_each(|d| writeln!(buf, "{}", d.file))
        })
        .expect("prints");
        let expected: String =
            std::iter::once("!".to_string()).chain(diags.iter().map(|d| format!("{}\n", d.file))).collect();
        assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
    }
}
