//! `aimsdoc lsp`: the language server for editors (src/lsp/), on stdin and stdout.

use std::path::PathBuf;

use crate::content::types::Date;
use crate::lsp::{self, LspOptions};

/// Serves one editor until it disconnects; exit 0.
pub(crate) fn run(root: Option<PathBuf>, strict: bool, today: Date) -> anyhow::Result<i32> {
    lsp::run(LspOptions { root, strict, today })?;
    Ok(super::EXIT_OK)
}
