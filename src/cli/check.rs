//! `aimsdoc check`: load and validate, print every finding, write nothing. With PATH arguments
//! the whole tree is still loaded (so references resolve) but only findings in those files or
//! folders are reported.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::{report, EXIT_ERRORS, EXIT_OK};
use crate::diagnostics::{Format, Severity};
use crate::site::{self, Options};

/// What `check` asks of git.
pub(super) struct Git {
    /// `--changed-since REV`: the pull-request gate against this revision.
    pub changed_since: Option<String>,
    /// Read the documents' history (not `--no-history`).
    pub history: bool,
}

/// Runs the check and returns the exit code.
pub(super) fn run(opts: Options, format: Format, only: &[PathBuf], git: Git) -> anyhow::Result<i32> {
    let scope = scope(&opts.root, only)?;
    let mut checked = site::check_history(&opts, git.history)?;
    if let Some(rev) = &git.changed_since {
        let found = crate::provenance::changed_since(&opts.root, &checked.config, &checked.tree, rev)?;
        checked.diagnostics.extend(found);
        if opts.strict {
            crate::diagnostics::make_strict(&mut checked.diagnostics);
        }
        crate::diagnostics::sort(&mut checked.diagnostics);
    }
    if let Some(scope) = &scope {
        checked.diagnostics.retain(|d| scope.iter().any(|p| within(&d.file, p)));
    }
    report(&mut std::io::stdout().lock(), &checked, &opts, format)?;
    let errors = checked.diagnostics.iter().any(|d| d.severity == Severity::Error);
    // The process ends here: freeing every document, link and finding one by one took a few
    // tenths of a second of serial time at 100,000 documents, for memory the exit returns anyway.
    std::mem::forget(checked);
    Ok(if errors { EXIT_ERRORS } else { EXIT_OK })
}

/// The named paths as content-relative prefixes (`""` is the whole tree); `None` without paths.
fn scope(root: &Path, only: &[PathBuf]) -> anyhow::Result<Option<Vec<String>>> {
    if only.is_empty() {
        return Ok(None);
    }
    let canonical_root =
        root.canonicalize().with_context(|| format!("cannot open content root `{}`", root.display()))?;
    only.iter().map(|p| relative_to_root(&canonical_root, root, p)).collect::<anyhow::Result<Vec<_>>>().map(Some)
}

/// A PATH as typed (relative to the working directory, or failing that to the content root),
/// made relative to the content root.
fn relative_to_root(canonical_root: &Path, root: &Path, path: &Path) -> anyhow::Result<String> {
    let found = [path.to_path_buf(), root.join(path)].into_iter().find_map(|p| p.canonicalize().ok());
    let Some(abs) = found else {
        bail!(
            "`{}`: no such file or folder (paths are relative to the working directory or to the content root)",
            path.display()
        );
    };
    let Ok(rel) = abs.strip_prefix(canonical_root) else {
        bail!("`{}` is not inside the content root `{}`", path.display(), root.display());
    };
    Ok(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
}

/// Whether content-relative `file` is `prefix` or lies under it.
fn within(file: &str, prefix: &str) -> bool {
    prefix.is_empty() || file == prefix || file.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn scope_matches_files_and_folders_not_name_prefixes() {
        assert!(within("documents/a.md", "documents"));
        assert!(within("documents/a.md", "documents/a.md"));
        assert!(within("documents/a.md", ""));
        assert!(!within("documents2/a.md", "documents"));
        assert!(!within("documents/ab.md", "documents/a"));
    }
}
