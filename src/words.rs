//! Searching text eight bytes at a time ("SWAR"): a scan for a few bytes among mostly plain
//! text tests one 64-bit word with a handful of arithmetic operations and looks byte by byte
//! only at the word that may hold one. HTML escaping and the body-link scan use it.

/// A word of eight `b` bytes.
pub(crate) const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit set in (at least) the bytes of `x` that are zero; zero when none is. A byte
/// above a zero byte may be marked too, so only "some byte matched" is exact.
pub(crate) const fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(splat(1)) & !x & splat(0x80)
}

/// Like [`zero_bytes`], for the bytes below `n` (at most 0x80).
pub(crate) const fn bytes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & splat(0x80)
}

/// The index of the first byte of `bytes` at or after `from` for which `is` holds. Words are
/// skipped while `may_hold` says none of their bytes can be one (it may answer true for words
/// without one, never false for a word with one).
pub(crate) fn find(
    bytes: &[u8],
    from: usize,
    may_hold: impl Fn(u64) -> bool,
    is: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut at = from;
    for chunk in bytes.get(from..)?.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk).map(u64::from_ne_bytes) else { break };
        if may_hold(word) {
            break;
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| is(b)).map(|p| at + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_is_position_whatever_the_word_check_skips() {
        let text = b"plain text, then a # sign, more text # and the end";
        let is = |b: u8| b == b'#';
        for from in 0..=text.len() + 1 {
            let expected = text.get(from..).and_then(|t| t.iter().position(|&b| is(b))).map(|p| from + p);
            // The exact word check, and one that stops at every word.
            assert_eq!(find(text, from, |w| zero_bytes(w ^ splat(b'#')) != 0, is), expected, "from {from}");
            assert_eq!(find(text, from, |_| true, is), expected, "from {from}");
        }
    }

    #[test]
    fn the_word_tests_mark_exactly_the_words_with_such_a_byte() {
        for b in 0..=u8::MAX {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let word = u64::from_ne_bytes(word);
                assert_eq!(zero_bytes(word ^ splat(b'#')) != 0, b == b'#', "{b} at {at}");
                assert_eq!(bytes_below(word, 0x20) != 0, b < 0x20, "{b} at {at}");
            }
        }
    }
}
