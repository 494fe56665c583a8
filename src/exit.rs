//! Process exit codes, in one place for the binary, the commands and `serve`.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | no errors (warnings and notices allowed) |
//! | 1 | errors in the documents (or a site that fails `verify`) |
//! | 2 | usage or configuration error |
//! | 3 | the environment failed: a file or folder could not be read or written |

/// Success (warnings allowed).
pub const OK: i32 = 0;
/// Errors found in the documents (or differences found by `verify`).
pub const ERRORS: i32 = 1;
/// Usage or configuration error.
pub const USAGE: i32 = 2;
/// An input/output failure of the environment (disk full, permissions, a vanished folder).
pub const IO: i32 = 3;

/// The exit code for a failure that stopped a command: [`IO`] when an operating-system
/// input/output error caused it, else [`USAGE`]. A path that does not exist is the caller's
/// mistake (a mistyped content root), so "not found" counts as usage.
pub fn of_error(err: &anyhow::Error) -> i32 {
    let io = err
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() != std::io::ErrorKind::NotFound);
    if io {
        IO
    } else {
        USAGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_failures_are_told_apart_from_usage_errors() {
        let io = anyhow::Error::new(std::io::Error::other("disk full")).context("cannot write `x`");
        assert_eq!(of_error(&io), IO);
        assert_eq!(of_error(&anyhow::anyhow!("[paths] evidence must be relative")), USAGE);
        let missing = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::NotFound)).context("no such root");
        assert_eq!(of_error(&missing), USAGE);
    }
}
