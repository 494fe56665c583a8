//! `aimsdoc serve`: hands the command's arguments to [`crate::serve`], which owns the server,
//! the watcher and the incremental rebuilds.

use crate::serve::{self, ServeOptions};

/// Runs the server until Ctrl-C and returns the exit code.
pub(super) fn run(options: ServeOptions) -> anyhow::Result<i32> {
    if options.port == 0 {
        eprintln!("note: --port 0: the system picks a free port (printed below)");
    }
    serve::run(options)
}
