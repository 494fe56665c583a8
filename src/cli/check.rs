//! `aimsdoc check`: load and validate, print every finding, write nothing.

use super::{report, EXIT_ERRORS, EXIT_OK};
use crate::diagnostics::Format;
use crate::site::{self, Options};

/// Runs the check and returns the exit code.
pub fn run(opts: Options, format: Format) -> anyhow::Result<i32> {
    let checked = site::check(&opts)?;
    report(&mut std::io::stdout().lock(), &checked, &opts, format)?;
    Ok(if checked.has_errors() { EXIT_ERRORS } else { EXIT_OK })
}
