//! `aimsdoc schema`: print the JSON Schema of the front matter for editors.

use std::io::Write;
use std::path::Path;

use super::EXIT_OK;
use crate::config::Config;
use crate::content::schema;

/// Prints the schema for the configuration of content root `dir` (defaults when it has none).
pub(super) fn run(dir: &Path) -> anyhow::Result<i32> {
    let config = Config::load(dir, crate::config::Trust::Trusted)?;
    write_stdout(schema::to_text(&config)?.as_bytes())?;
    Ok(EXIT_OK)
}

/// Writes to stdout; a reader that went away (`aimsdoc schema | head`) is not an error.
pub(crate) fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
