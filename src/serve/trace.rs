//! Where a rebuild's time goes: with `AIMSDOC_TRACE` set, `serve` prints one line per rebuild
//! with the milliseconds of each phase (for `bench/incremental.py` and profiling by hand);
//! otherwise this does nothing.

use std::time::Instant;

/// The phases of one rebuild, timed.
pub(crate) struct Trace {
    /// Set when tracing: when the last phase ended, and each phase's name and milliseconds.
    on: Option<(Instant, Vec<(&'static str, f64)>)>,
}

impl Trace {
    /// Traces when `AIMSDOC_TRACE` is set.
    pub(crate) fn from_env() -> Trace {
        match std::env::var_os("AIMSDOC_TRACE") {
            Some(_) => Trace { on: Some((Instant::now(), Vec::new())) },
            None => Trace::off(),
        }
    }

    /// Traces nothing.
    pub(crate) fn off() -> Trace {
        Trace { on: None }
    }

    /// Ends phase `name`.
    pub(crate) fn mark(&mut self, name: &'static str) {
        if let Some((last, phases)) = &mut self.on {
            phases.push((name, last.elapsed().as_secs_f64() * 1000.0));
            *last = Instant::now();
        }
    }

    /// Prints the phases to stderr: `trace: analyse 3.1 ms, ...`.
    pub(crate) fn print(&self) {
        if let Some((_, phases)) = &self.on {
            let parts: Vec<String> = phases.iter().map(|(name, ms)| format!("{name} {ms:.1} ms")).collect();
            eprintln!("trace: {}", parts.join(", "));
        }
    }
}
