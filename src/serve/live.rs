//! What the build loop tells the HTTP server: a build generation that changes whenever files of
//! the served site change, which pages each generation changed (so a browser reloads only when
//! the page it shows changed), how findings are shown (nothing, a banner on every page, or an
//! overlay instead of every page), and the stop signal. One mutex and one condition variable.

use std::collections::{BTreeMap, HashSet, VecDeque};

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Shared live-reload state.
pub(crate) struct Live {
    state: Mutex<State>,
    changed: Condvar,
    session: String,
}

struct State {
    generation: u64,
    mode: Mode,
    stopping: bool,
    /// What the most recent generations changed, oldest first.
    history: VecDeque<(u64, Changed)>,
}

/// How many generations of history are kept; a page older than that simply reloads.
const HISTORY: usize = 256;

/// What one generation changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Changed {
    /// Every page (the mode, a stylesheet or the theme changed).
    All,
    /// These site paths (`index.html`, `documents/POL-001.html`, ...).
    Pages(Arc<HashSet<String>>),
}

/// How the served pages show the findings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Mode {
    /// No errors: pages as built.
    #[default]
    Clean,
    /// Errors that still let the site render, or warnings (`check --strict` would fail): every
    /// page carries `banner`; a document page with findings of its own also its panel; `page`
    /// lists them all.
    Banner {
        /// HTML inserted into every served page.
        banner: Arc<String>,
        /// Per site path (`documents/POL-001.html`), the panel of that page's own findings.
        panels: Arc<BTreeMap<String, String>>,
        /// The full list (`/__aimsdoc/errors`).
        page: Arc<String>,
    },
    /// The site cannot be rendered (a document failed to load, a failure): every page request
    /// gets `page` instead.
    Blocked {
        /// The overlay page.
        page: Arc<String>,
    },
}

/// The outcome of waiting for a change.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    /// A new generation (its token).
    Changed(String),
    /// Nothing happened within the timeout.
    Timeout,
    /// The server is stopping.
    Stopped,
}

impl Live {
    /// Fresh state; `session` distinguishes this server run from earlier ones, so a page served
    /// by a previous run is reloaded too.
    pub(crate) fn new(session: String) -> Arc<Live> {
        Arc::new(Live {
            state: Mutex::new(State { generation: 1, mode: Mode::Clean, stopping: false, history: VecDeque::new() }),
            changed: Condvar::new(),
            session,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves plain data behind; keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Publishes a new generation shown in `mode` that changed every page.
    pub(crate) fn publish(&self, mode: Mode) {
        let mut s = self.lock();
        s.mode = mode;
        Self::advance(&mut s, Changed::All);
        self.changed.notify_all();
    }

    /// Publishes a new generation that changed the site paths `pages` (the mode stays).
    pub(crate) fn touch(&self, pages: HashSet<String>) {
        let mut s = self.lock();
        Self::advance(&mut s, Changed::Pages(Arc::new(pages)));
        self.changed.notify_all();
    }

    fn advance(s: &mut State, changed: Changed) {
        s.generation += 1;
        s.history.push_back((s.generation, changed));
        while s.history.len() > HISTORY {
            s.history.pop_front();
        }
    }

    /// Whether site path `page`, served at generation token `since`, changed since then (also
    /// true for a token from another run or older than the history).
    pub(crate) fn page_changed(&self, since: &str, page: &str) -> bool {
        let s = self.lock();
        let Some(generation) = since.strip_prefix(&format!("{}-", self.session)).and_then(|g| g.parse::<u64>().ok())
        else {
            return true;
        };
        if generation >= s.generation {
            return false;
        }
        if s.history.front().is_none_or(|(g, _)| *g > generation + 1) {
            return true;
        }
        s.history.iter().filter(|(g, _)| *g > generation).any(|(_, c)| match c {
            Changed::All => true,
            Changed::Pages(pages) => pages.contains(page),
        })
    }

    /// The current generation token and mode.
    pub(crate) fn snapshot(&self) -> (String, Mode) {
        let s = self.lock();
        (self.token(s.generation), s.mode.clone())
    }

    /// Waits up to `timeout` for a generation other than `seen`.
    pub(crate) fn wait(&self, seen: &str, timeout: Duration) -> Wait {
        let guard = self.lock();
        let (s, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| !s.stopping && self.token(s.generation) == seen)
            .unwrap_or_else(|e| e.into_inner());
        if s.stopping {
            Wait::Stopped
        } else if self.token(s.generation) != seen {
            Wait::Changed(self.token(s.generation))
        } else {
            Wait::Timeout
        }
    }

    /// Tells every thread to stop.
    pub(crate) fn stop(&self) {
        self.lock().stopping = true;
        self.changed.notify_all();
    }

    /// Whether the server is stopping.
    pub(crate) fn is_stopping(&self) -> bool {
        self.lock().stopping
    }

    fn token(&self, generation: u64) -> String {
        format!("{}-{generation}", self.session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiters_see_new_generations_and_the_stop() {
        let live = Live::new("t".into());
        let (token, mode) = live.snapshot();
        assert_eq!(token, "t-1");
        assert_eq!(mode, Mode::Clean);
        assert_eq!(live.wait(&token, Duration::from_millis(1)), Wait::Timeout);
        let l2 = live.clone();
        let waiter = std::thread::spawn(move || l2.wait("t-1", Duration::from_secs(10)));
        live.publish(Mode::Blocked { page: Arc::new("<p>broken</p>".into()) });
        assert_eq!(waiter.join().expect("thread"), Wait::Changed("t-2".into()));
        assert!(matches!(live.snapshot().1, Mode::Blocked { .. }));
        live.stop();
        assert_eq!(live.wait("t-2", Duration::from_secs(10)), Wait::Stopped);
    }

    #[test]
    fn pages_reload_only_when_they_changed() {
        let live = Live::new("s".into());
        live.touch(["documents/A.html".to_string()].into());
        assert!(live.page_changed("s-1", "documents/A.html"));
        assert!(!live.page_changed("s-1", "index.html"));
        assert!(!live.page_changed("s-2", "documents/A.html"), "already seen");
        live.publish(Mode::Clean);
        assert!(live.page_changed("s-2", "index.html"), "a mode change reloads everything");
        assert!(live.page_changed("other-2", "index.html"), "a page from an earlier run");
        assert!(live.page_changed("garbage", "index.html"));
        for _ in 0..HISTORY + 5 {
            live.touch(HashSet::new());
        }
        assert!(live.page_changed("s-3", "index.html"), "older than the history");
    }
}
