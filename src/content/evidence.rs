//! The evidence folder as a whole: every file in it that could be evidence (regular files and
//! links, not hidden, not `_`-prefixed, not `.gitignore`d: the rules attachments follow), so
//! validation can name the ones no document attaches. Walked once per link stage, sorted.

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::Config;
use crate::contain::Root;

/// Content-relative paths of the files under the evidence folder; empty when there is no
/// evidence folder or it does not lie inside the content root (attachments report that).
pub fn files(root: &Path, config: &Config) -> BTreeSet<String> {
    let evidence = config.paths.evidence.trim_end_matches('/');
    let Ok(contained) = Root::new(root, config.trust) else { return BTreeSet::new() };
    let Ok(dir) = contained.resolve_dir(evidence) else { return BTreeSet::new() };
    let output = config.output_dir(root);
    let walker = ignore::WalkBuilder::new(&dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('_'))
        .build();
    walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file() || t.is_symlink()))
        .filter(|e| !e.path().starts_with(&output))
        .filter_map(|e| {
            let rest = e.path().strip_prefix(&dir).ok()?;
            let rest = super::load::relative(Path::new(""), rest);
            Some(format!("{evidence}/{rest}"))
        })
        .collect()
}
