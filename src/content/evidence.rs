//! The evidence folder as a whole: every regular file in it that could be evidence (not
//! hidden, not `_`-prefixed, not `.gitignore`d: the rules attachments follow), so validation
//! can name the ones no document attaches. Links are not walked (a link is not evidence; the
//! file it leads to is). Walked once per link stage, sorted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::contain::Root;

/// The regular files under the evidence folder: content-relative path -> the path the walk
/// found (canonical: below the canonical folder, through no link). Empty when there is no
/// evidence folder or it does not lie inside the content root (attachments report that).
pub(crate) fn files(root: &Path, config: &Config) -> BTreeMap<String, PathBuf> {
    let evidence = config.paths.evidence.trim_end_matches('/');
    let Ok(contained) = Root::new(root, config.trust) else { return BTreeMap::new() };
    let Ok(dir) = contained.resolve_dir(evidence) else { return BTreeMap::new() };
    let output = config.output_dir(root);
    let walker = super::load::walker(&dir);
    walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| !e.path().starts_with(&output))
        .filter_map(|e| {
            let rest = e.path().strip_prefix(&dir).ok()?;
            let rest = super::load::relative(Path::new(""), rest);
            Some((format!("{evidence}/{rest}"), e.path().to_path_buf()))
        })
        .collect()
}
