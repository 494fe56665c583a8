//! Large bodies are parsed one at a time. pulldown-cmark builds the tree of a whole body before
//! it yields the first event, up to about 150 bytes per byte of Markdown for the densest bodies
//! (BENCHMARKS.md "Hostile inputs"), so two threads each parsing an 8 MiB body would double the
//! peak. A parse of a body over [`LARGE_BODY`] bytes holds one process-wide lock; ordinary
//! bodies never wait, and a thread already holding it does not take it again. Every parse of a
//! body goes through [`with_parser`], so a new one cannot forget the lock.

use std::cell::Cell;
use std::sync::{Mutex, PoisonError};

use pulldown_cmark::Parser;

use super::links::markdown_options;

/// Bodies at least this long (bytes) are parsed one at a time.
pub(crate) const LARGE_BODY: usize = 1 << 20;

static LARGE: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread holds [`LARGE`] (a parse inside a parse must not wait for itself).
    static HOLDING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `read` on the CommonMark parser of `body` (aimsdoc's options), alone among large
/// parses when `body` is large. `read` must not wait for other threads' work (no rayon inside),
/// or a large parse elsewhere could wait on it.
pub(crate) fn with_parser<'b, T>(body: &'b str, read: impl FnOnce(Parser<'b>) -> T) -> T {
    parse_alone(body, || read(Parser::new_ext(body, markdown_options())))
}

/// Runs `parse` (which parses `body`), alone among large parses when `body` is large.
fn parse_alone<T>(body: &str, parse: impl FnOnce() -> T) -> T {
    if body.len() < LARGE_BODY || HOLDING.with(Cell::get) {
        return parse();
    }
    let _guard = LARGE.lock().unwrap_or_else(PoisonError::into_inner);
    HOLDING.with(|h| h.set(true));
    let _release = Release;
    parse()
}

/// Clears [`HOLDING`] when the parse ends, panicking or not (before the lock is released).
struct Release;

impl Drop for Release {
    fn drop(&mut self) {
        HOLDING.with(|h| h.set(false));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn large_parses_do_not_overlap_and_nest_without_waiting() {
        let large = "x".repeat(LARGE_BODY);
        let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..20 {
                        parse_alone(&large, || {
                            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            // A nested large parse on the same thread runs at once.
                            parse_alone(&large, std::thread::yield_now);
                            inside.fetch_sub(1, Ordering::SeqCst);
                        });
                    }
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn small_bodies_do_not_take_the_lock() {
        let _held = LARGE.lock().unwrap_or_else(PoisonError::into_inner);
        assert_eq!(parse_alone("short", || 7), 7);
    }
}
