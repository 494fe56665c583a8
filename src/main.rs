//! The `aimsdoc` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;

/// mimalloc instead of the system allocator: a build renders thousands of pages in parallel, each
/// allocating many small template values, and mimalloc's per-thread free lists make that much
/// cheaper than glibc's malloc (BENCHMARKS.md, "Where the time goes").
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3 returns freed memory to the system only a second after it was freed (its
/// `purge_delay` is 1,000 ms), so a build of a few seconds hardly returns any: at 10,000 documents
/// the peak was 188-206 MiB. At 300 ms it is 181-190 MiB for about 1-2% more CPU; shorter
/// delays cost more (100 ms: 4%, 1 ms: 8%). A delay set with `MIMALLOC_PURGE_DELAY` is kept.
#[cfg(not(feature = "system-alloc"))]
#[allow(unsafe_code)]
fn tune_allocator() {
    use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};
    // `mi_option_purge_delay` in mimalloc v3's option enum (the crate names no constant for it);
    // changed only while it holds v3's default, so a renumbered enum is left alone.
    const PURGE_DELAY: mi_option_t = 15;
    // SAFETY: plain integer option accessors of the allocator this binary links, no pointers;
    // called first in `main`, before any other thread exists.
    unsafe {
        if mi_option_get(PURGE_DELAY) == 1_000 {
            mi_option_set(PURGE_DELAY, 300);
        }
    }
}

#[cfg(feature = "system-alloc")]
fn tune_allocator() {}

fn main() {
    tune_allocator();
    let cli = aimsdoc::cli::Cli::parse();
    let code = match aimsdoc::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `help: ...` on its own line when the failure carries a hint (src/failure.rs).
            eprintln!("error: {}", aimsdoc::failure::report(&err));
            aimsdoc::exit::of_error(&err)
        }
    };
    std::process::exit(code);
}

#[cfg(all(test, not(feature = "system-alloc")))]
mod tests {
    #[test]
    #[allow(unsafe_code)]
    fn the_purge_delay_is_the_option_tuned() {
        // Fails if mimalloc's enum moved: option 15 must hold v3's purge delay default (unless
        // the environment set it), and become 300 ms.
        let from_env = std::env::var_os("MIMALLOC_PURGE_DELAY").is_some();
        super::tune_allocator();
        // SAFETY: as in `tune_allocator`.
        let delay = unsafe { libmimalloc_sys::mi_option_get(15) };
        assert!(from_env || delay == 300, "purge delay {delay}");
    }
}
