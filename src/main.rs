//! The `aimsdoc` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;

/// mimalloc instead of the system allocator: a build renders thousands of pages in parallel, each
/// allocating many small template values, and mimalloc's per-thread free lists make that much
/// cheaper than glibc's malloc (BENCHMARKS.md, "Where the time goes").
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
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
