//! The passage a search result shows: the first [`TEXT_CHARS`] characters of a body's plain
//! text, whitespace collapsed. It is recorded while the body is tokenized for the index (the one
//! Markdown pass the index makes) as a few bytes per text: where in the body each text is (most
//! texts are slices of it), or the text itself when the parser made it up (entities, escapes).
//! The text parts are rendered later from that record, without parsing the body again.

use super::TEXT_CHARS;

/// Records the texts of a body, in order, until the passage is complete.
pub(crate) struct Recorder<'a> {
    body: &'a str,
    out: Vec<u8>,
    /// Where the last text taken from the body ended.
    end: usize,
    chars: usize,
}

impl<'a> Recorder<'a> {
    /// A recorder of texts of `body`.
    pub(crate) fn new(body: &'a str) -> Self {
        Recorder { body, out: Vec::new(), end: 0, chars: 0 }
    }

    /// Records text `t` of the body, unless the passage is already complete.
    pub(crate) fn push(&mut self, t: &str) {
        if self.chars > TEXT_CHARS {
            return;
        }
        match self.offset_in_body(t) {
            Some(at) if at >= self.end => {
                push_varint(&mut self.out, (at - self.end) << 1);
                push_varint(&mut self.out, t.len());
                self.end = at + t.len();
            }
            _ => {
                push_varint(&mut self.out, (t.len() << 1) | 1);
                self.out.extend_from_slice(t.as_bytes());
            }
        }
        each_word(t, |_, chars| {
            self.chars += chars + 1;
            self.chars <= TEXT_CHARS
        });
    }

    /// The record.
    pub(crate) fn finish(self) -> Box<[u8]> {
        self.out.into()
    }

    /// Where `t` starts in the body, when it is a slice of it: the parser hands out slices of
    /// the body where it can, and a text anywhere else (the parser's own buffers) cannot lie
    /// inside the body's bytes.
    fn offset_in_body(&self, t: &str) -> Option<usize> {
        let at = (t.as_ptr() as usize).checked_sub(self.body.as_ptr() as usize)?;
        let slice = self.body.get(at..at.checked_add(t.len())?)?;
        (slice.as_ptr() == t.as_ptr()).then_some(at)
    }
}

/// The passage recorded in `record` (see [`Recorder`]) of `body`.
pub(crate) fn replay(record: &[u8], body: &str) -> String {
    join_words(Texts { record, body, end: 0 })
}

/// The texts' words joined by single spaces, up to [`TEXT_CHARS`] characters (each word counts
/// its characters and a space; the word that crosses the limit and all after it are left out).
pub(crate) fn join_words<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::with_capacity(TEXT_CHARS + 8);
    let mut chars = 0;
    for t in texts {
        let more = each_word(t, |word, n| {
            chars += n + 1;
            if chars > TEXT_CHARS {
                return false;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            true
        });
        if !more {
            break;
        }
    }
    out
}

/// Calls `f` with each word of `t` (as `str::split_whitespace` splits) and its length in
/// characters, until `f` returns false; returns whether it never did. ASCII text without a
/// vertical tab (white space to `split_whitespace`, not to `split_ascii_whitespace`) is split
/// bytewise, where a word's length is its byte count.
fn each_word(t: &str, mut f: impl FnMut(&str, usize) -> bool) -> bool {
    if t.is_ascii() && memchr::memchr(0x0b, t.as_bytes()).is_none() {
        t.split_ascii_whitespace().all(|word| f(word, word.len()))
    } else {
        t.split_whitespace().all(|word| f(word, word.chars().count()))
    }
}

/// The texts of a record, in order.
struct Texts<'a> {
    record: &'a [u8],
    body: &'a str,
    end: usize,
}

impl<'a> Iterator for Texts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let head = take_varint(&mut self.record)?;
        if head & 1 == 0 {
            let at = self.end.checked_add(head >> 1)?;
            let len = take_varint(&mut self.record)?;
            self.end = at.checked_add(len)?;
            self.body.get(at..self.end)
        } else {
            let (text, rest) = self.record.split_at_checked(head >> 1)?;
            self.record = rest;
            std::str::from_utf8(text).ok()
        }
    }
}

fn push_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn take_varint(bytes: &mut &[u8]) -> Option<usize> {
    let mut n = 0usize;
    for shift in (0..usize::BITS).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= usize::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_of_the_body_are_recorded_by_place_and_other_texts_whole() {
        let body = "alpha beta\ngamma";
        let made_up = String::from("&amp; decoded");
        let mut rec = Recorder::new(body);
        rec.push(&body[6..10]);
        rec.push(&made_up);
        rec.push(&body[0..5]);
        rec.push(&body[11..]);
        let record = rec.finish();
        assert_eq!(record.len(), 2 + (1 + made_up.len()) + (1 + 5) + 2, "{record:?}");
        assert_eq!(replay(&record, body), "beta &amp; decoded alpha gamma");
    }

    #[test]
    fn recording_stops_once_the_passage_is_complete() {
        let body = "word ".repeat(TEXT_CHARS);
        let mut rec = Recorder::new(&body);
        for k in 0..TEXT_CHARS {
            rec.push(&body[k * 5..k * 5 + 4]);
        }
        let record = rec.finish();
        assert!(record.len() < 2 * 2 * TEXT_CHARS / 5 + 4, "{}", record.len());
        let all = join_words(body.split(' '));
        assert_eq!(replay(&record, &body), all);
        assert_eq!(all.len(), TEXT_CHARS / 5 * 5 - 1);
    }

    #[test]
    fn words_split_as_split_whitespace_does() {
        for t in ["", " a  b\tc\n", "a\x0bb\x0c c\r", "é x\u{a0}y\u{2003}z ", "one", "  "] {
            let mut got = Vec::new();
            each_word(t, |w, n| {
                got.push((w.to_string(), n));
                true
            });
            let want: Vec<(String, usize)> = t.split_whitespace().map(|w| (w.to_string(), w.chars().count())).collect();
            assert_eq!(got, want, "{t:?}");
        }
        let mut seen = 0;
        assert!(!each_word("a b c", |_, _| {
            seen += 1;
            seen < 2
        }));
        assert_eq!(seen, 2, "stops when told");
    }

    #[test]
    fn varints_round_trip_and_a_bad_record_ends_the_passage() {
        for n in [0, 1, 127, 128, 300, 1 << 20, usize::MAX] {
            let mut out = Vec::new();
            push_varint(&mut out, n);
            assert_eq!(take_varint(&mut out.as_slice()), Some(n));
        }
        assert_eq!(replay(&[0x80], "text"), "");
        assert_eq!(replay(&[0, 9], "text"), "");
        assert_eq!(replay(&[7, b'a'], "text"), "");
    }
}
