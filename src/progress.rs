//! Progress bars on long work (a build, `verify` and `pack` of a large site), drawn on stderr
//! only when it is a terminal, never when `CI` is set or with `--quiet`, and only once the work
//! has taken longer than [`DELAY`]: a quick run prints exactly what it printed before. Output
//! that tests capture is never a terminal, so they never see a bar.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its bar appears.
pub(crate) const DELAY: Duration = Duration::from_millis(800);

static QUIET: AtomicBool = AtomicBool::new(false);

/// Turns every bar off for this process (`--quiet`).
pub(crate) fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether bars may be drawn: stderr is a terminal, `CI` is unset, no `--quiet`.
fn enabled() -> bool {
    !QUIET.load(Ordering::Relaxed) && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal()
}

/// A bar or spinner; cleared from the terminal when dropped. Inert when bars are off.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// No bar at all (for callers that want none).
    pub(crate) fn none() -> Progress {
        Progress::default()
    }

    /// Advances a bar by `n` units.
    pub(crate) fn inc(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// A bar over `len` units (files) with `msg` beside it.
pub(crate) fn bar(len: u64, msg: &'static str) -> Progress {
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    start(ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden()), style, msg)
}

/// A spinner with `msg` beside it, for work of unknown length.
pub(crate) fn spinner(msg: &'static str) -> Progress {
    let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    start(ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()), style, msg)
}

/// Shows `bar` on stderr after [`DELAY`] unless it finished first.
fn start(bar: ProgressBar, style: ProgressStyle, msg: &'static str) -> Progress {
    if !enabled() {
        return Progress::none();
    }
    bar.set_style(style);
    bar.set_message(msg);
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(DELAY);
        if !shown.is_finished() {
            shown.set_draw_target(ProgressDrawTarget::stderr());
            shown.enable_steady_tick(Duration::from_millis(120));
        }
    });
    Progress { bar: Some(bar) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_the_terminal_a_bar_is_inert() {
        // Test output is captured, never a terminal.
        let p = bar(10, "x");
        assert!(p.bar.is_none());
        p.inc(3);
        set_quiet(true);
        assert!(!enabled());
        set_quiet(false);
    }
}
