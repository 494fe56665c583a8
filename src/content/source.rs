//! The text of a document file, held once: a document's body is shared between the document
//! ([`Body`]) and the tree's source map ([`Source`]: the head before the body, and the body).
//! At 100,000 documents the bodies are a fifth of a GiB; a second copy of each was a fifth of
//! `check`'s peak memory and a sixth of its page faults. A source also keeps its content hash
//! once something asked for it ([`Source::content_hash`]): the ledger check and the manifest
//! both need it, and `serve` keeps unchanged sources across rebuilds.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// A document's Markdown body: shared, immutable text that reads as a `str`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body(Arc<str>);

impl Body {
    /// The body text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body(Arc::from(text))
    }
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Body {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The text of one document file as read: `head` followed by `body`. The body is split off
/// (and shared with the document) when the front matter could be split from it; otherwise the
/// head is the whole text.
#[derive(Debug, Clone)]
pub struct Source {
    head: String,
    body: Option<Body>,
    /// The content hash of the whole text, once asked for (a function of the text alone).
    content_hash: OnceLock<Result<String, String>>,
}

/// Two sources are equal when their texts are (whether either has computed its hash or not).
impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.head == other.head && self.body == other.body
    }
}

impl Eq for Source {}

impl Source {
    /// The whole `text` of a file whose front matter could not be split off.
    pub fn whole(text: String) -> Source {
        Source { head: text, body: None, content_hash: OnceLock::new() }
    }

    /// `text`, whose last `body.len()` bytes are `body`, kept as its head and the shared body.
    pub(crate) fn split(mut text: String, body: Body) -> Source {
        debug_assert!(text.ends_with(body.as_str()));
        text.truncate(text.len() - body.len());
        text.shrink_to_fit();
        Source { head: text, body: Some(body), content_hash: OnceLock::new() }
    }

    /// This source with its content hash already known: `hash` must be what
    /// [`Source::content_hash`] would compute (the loader passes the hash of the front matter
    /// it has just parsed, through the same function).
    pub(crate) fn with_content_hash(self, hash: String) -> Source {
        let _ = self.content_hash.set(Ok(hash));
        self
    }

    /// Whether the content hash is already known (computed or given).
    #[cfg(test)]
    pub(crate) fn content_hash_known(&self) -> bool {
        self.content_hash.get().is_some()
    }

    /// The content hash an approval is bound to ([`content_hash::of_text`] of the whole text),
    /// computed the first time it is asked for; the error says why there is none.
    ///
    /// [`content_hash::of_text`]: crate::integrity::content_hash::of_text
    pub(crate) fn content_hash(&self) -> Result<&str, &str> {
        let hash = self.content_hash.get_or_init(|| crate::integrity::content_hash::of_text(&self.text()));
        hash.as_deref().map_err(String::as_str)
    }

    /// `text`, split at `body` when it is a suffix of it (a document's body), else whole.
    pub(crate) fn of(text: String, body: Option<Body>) -> Source {
        match body {
            Some(body) if text.ends_with(body.as_str()) => Source::split(text, body),
            _ => Source::whole(text),
        }
    }

    /// The whole text (copied together when the body is split off).
    pub fn text(&self) -> Cow<'_, str> {
        match &self.body {
            Some(body) if !body.is_empty() => Cow::Owned([self.head.as_str(), body.as_str()].concat()),
            _ => Cow::Borrowed(&self.head),
        }
    }

    /// The text up to the end of the front matter's closing fence, when the front matter could
    /// be split off.
    pub fn front_matter(&self) -> Option<&str> {
        self.body.as_ref().map(|_| self.head.as_str())
    }

    /// Line `n` (1-based) of the text, without its line ending (as `str::lines`).
    pub fn line(&self, n: usize) -> Option<&str> {
        // The head ends at a line break (after the closing fence) whenever a body follows it.
        let body = self.body.as_ref().map(|b| b.lines());
        self.head.lines().chain(body.into_iter().flatten()).nth(n.checked_sub(1)?)
    }

    /// Bytes in the whole text.
    pub fn len(&self) -> usize {
        self.head.len() + self.body.as_ref().map_or(0, |b| b.len())
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_at_body(text: &str) -> Source {
        let body = crate::content::frontmatter::split(text).map(|s| Body::from(s.body)).ok();
        Source::of(text.to_string(), body)
    }

    #[test]
    fn the_content_hash_is_the_texts_and_equality_ignores_whether_it_was_asked_for() {
        let text = "---\nid: POL-001\ntitle: T\n---\nBody.\n";
        let (asked, fresh) = (split_at_body(text), split_at_body(text));
        let want = crate::integrity::content_hash::of_text(text).expect("hash");
        assert_eq!(asked.content_hash(), Ok(want.as_str()));
        assert_eq!(asked.content_hash(), Ok(want.as_str()), "the same the second time");
        assert_eq!(asked, fresh);
        let broken = Source::whole("no front matter".to_string());
        assert!(broken.content_hash().is_err());
    }

    #[track_caller]
    fn same_as_whole(text: &str) {
        let s = split_at_body(text);
        assert_eq!(s.text(), text);
        assert_eq!(s.len(), text.len());
        for n in 0..text.lines().count() + 3 {
            assert_eq!(s.line(n), n.checked_sub(1).and_then(|i| text.lines().nth(i)), "line {n} of {text:?}");
        }
    }

    #[test]
    fn a_split_source_reads_as_the_whole_text() {
        same_as_whole("---\nid: A\n---\nbody\n\nmore\n");
        same_as_whole("---\r\nid: A\r\n---\r\nbody\r\nmore");
        same_as_whole("\u{feff}---\nid: A\n---\n");
        same_as_whole("---\nid: A\n---");
        same_as_whole("---\nid: A\n...\n\n\n");
        same_as_whole("no front matter\nat all\n");
        same_as_whole("---\nnever closed\n");
        same_as_whole("");
    }

    #[test]
    fn only_the_head_is_kept_beside_a_shared_body() {
        let body = Body::from("body\n");
        let s = Source::of("---\nid: A\n---\nbody\n".to_string(), Some(body.clone()));
        assert_eq!(s.front_matter(), Some("---\nid: A\n---\n"));
        assert!(std::ptr::eq(s.body.as_ref().map(Body::as_str).unwrap_or_default(), body.as_str()));
        assert_eq!(Source::whole("x".into()).front_matter(), None);
        // A body that is not the text's end is not split off.
        assert_eq!(Source::of("abc".into(), Some(Body::from("zz"))).front_matter(), None);
    }
}
