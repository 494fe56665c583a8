//! The theme: Tera templates and static assets embedded in the binary, each overridable by a
//! file at the same path under the content tree's `theme/` folder.
//!
//! Overrides are content too: the theme folder must lie inside the content root, every file in
//! it must be a regular file (a symlink or a FIFO is refused, never followed or opened), and
//! counts and sizes are bounded so `theme/assets/x -> /dev/zero` or a link loop cannot exhaust
//! the machine. An untrusted tree's overrides are ignored altogether.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::config::{Config, Trust};
use crate::contain::{Refusal, Root};
use crate::failure::fail;

/// Most files a theme folder may hold.
const MAX_FILES: usize = 2_000;
/// Largest single theme file.
const MAX_FILE_BYTES: u64 = 16 << 20;
/// Most bytes all theme files may hold together.
const MAX_TOTAL_BYTES: u64 = 128 << 20;
/// Deepest folder nesting under the theme folder.
const MAX_DEPTH: usize = 16;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../theme/", $path)) as &[u8])),*]
    };
}

/// Built-in theme files, by path relative to the theme folder.
const BUILTIN: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/sidebar.html",
    "templates/dashboard.html",
    "templates/register.html",
    "templates/document.html",
    "templates/catalog_entry.html",
    "templates/catalog_index.html",
    "templates/soa.html",
    "templates/evidence.html",
    "templates/checklist.html",
    "templates/nist.html",
    "templates/iso27001.html",
    "templates/search.html",
    "templates/verify.html",
    "templates/changes.html",
    "templates/versions.html",
    "templates/version.html",
    "templates/redline.html",
    "assets/style.css",
    "assets/search.js",
    "assets/register.js",
    "assets/nav.js",
    "assets/favicon.svg",
];

/// A loaded theme: compiled templates and the assets to copy.
pub(crate) struct Theme {
    /// Compiled templates, by name (`dashboard.html`, ...).
    pub tera: tera::Tera,
    /// Static assets by output path under `assets/`.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// No override touches the document page's templates, so it is written directly
    /// ([`super::document_page`]) instead of through Tera.
    pub builtin_document_page: bool,
    /// No override touches the clause and control pages' templates, so they are written
    /// directly ([`super::entry_page`]) instead of through Tera.
    pub builtin_entry_page: bool,
}

/// The templates the built-in document page is made of: overriding any of them sends document
/// pages through Tera.
pub(crate) const DOCUMENT_PAGE_TEMPLATES: [&str; 3] = ["document.html", "base.html", "versions.html"];

/// The templates the built-in clause and control pages are made of: overriding any of them
/// sends those pages through Tera.
pub(crate) const ENTRY_PAGE_TEMPLATES: [&str; 2] = ["catalog_entry.html", "base.html"];

impl Theme {
    /// Loads the built-in theme with the overrides in the configured theme folder of `root`
    /// (if it exists and the tree is trusted).
    pub(crate) fn load(root: &Path, config: &Config) -> anyhow::Result<Theme> {
        let mut files: BTreeMap<String, Vec<u8>> = BUILTIN.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        let own = match config.trust {
            Trust::Trusted => overrides(root, &config.paths.theme)?,
            Trust::Untrusted => BTreeMap::new(),
        };
        let keeps = |templates: &[&str]| !templates.iter().any(|name| own.contains_key(&format!("templates/{name}")));
        let (builtin_document_page, builtin_entry_page) =
            (keeps(&DOCUMENT_PAGE_TEMPLATES), keeps(&ENTRY_PAGE_TEMPLATES));
        files.extend(own);
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        // The built-in templates stay reachable as `builtin/<name>`, so an override can extend
        // the original and replace one block (`{% extends "builtin/base.html" %}`). All are added
        // in one batch: Tera resolves inheritance once, whatever order the files come in.
        let mut templates: Vec<(String, String)> = BUILTIN
            .iter()
            .filter_map(|(path, bytes)| {
                let name = path.strip_prefix("templates/")?;
                Some((format!("builtin/{name}"), String::from_utf8_lossy(bytes).into_owned()))
            })
            .collect();
        let mut assets = BTreeMap::new();
        for (path, bytes) in files {
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8(bytes).with_context(|| format!("theme template `{path}` is not UTF-8"))?;
                templates.push((name.to_string(), text));
            } else if let Some(name) = path.strip_prefix("assets/") {
                assets.insert(name.to_string(), bytes);
            }
        }
        tera.add_raw_templates(templates).map_err(|e| anyhow::anyhow!("theme templates: {e}"))?;
        Ok(Theme { tera, assets, builtin_document_page, builtin_entry_page })
    }

    /// Renders template `name` with `context`.
    pub(crate) fn render(&self, name: &str, context: &tera::Context) -> anyhow::Result<String> {
        self.tera.render(name, context).map_err(|e| anyhow::anyhow!("rendering `{name}` failed: {e}"))
    }
}

/// Tera's autoescaping, byte for byte (`&`, `<`, `>`, `"` and `'` become entities), written in
/// runs ([`super::html::escape_runs`], which the pages written without a template use too):
/// Tera's own function writes every byte through its own `write_all` call on a `dyn Write`,
/// which was a few percent of a build's CPU.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::html::escape_runs(input, |run| out.write_all(run.as_bytes()))
}

/// The override files of theme folder `theme` (content-relative) by path inside it.
fn overrides(root: &Path, theme: &str) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let contained = Root::new(root, Trust::Trusted).with_context(|| format!("cannot open `{}`", root.display()))?;
    let dir = match contained.resolve_dir(theme.trim_end_matches('/')) {
        Ok(dir) => dir,
        Err(Refusal::Missing) => return Ok(BTreeMap::new()),
        Err(refusal) => fail!(
            help = "keep theme overrides in a folder inside the content root",
            "the theme folder `{theme}` {}",
            refusal.describe()
        ),
    };
    let mut files = BTreeMap::new();
    let mut total = 0;
    for (rel, path) in walk(&dir, theme)? {
        let bytes = crate::contain::read_regular(&path, MAX_FILE_BYTES).with_context(|| {
            format!("cannot read theme file `{theme}/{rel}` (a regular file of at most {MAX_FILE_BYTES} bytes)")
        })?;
        total += bytes.len() as u64;
        if total > MAX_TOTAL_BYTES {
            fail!(
                help = "keep large files out of the theme",
                "the theme folder `{theme}` holds more than {MAX_TOTAL_BYTES} bytes"
            );
        }
        files.insert(rel, bytes);
    }
    Ok(files)
}

/// Every regular file under `dir`, sorted, by `/`-separated path relative to it; hidden names
/// skipped. Nothing is followed: a symlink anywhere is an error naming it (`shown` is the
/// folder as configured, for messages).
fn walk(dir: &Path, shown: &str) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0)];
    while let Some((d, prefix, depth)) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("failed to read theme folder `{}`", d.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("failed to read theme folder `{}`", d.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = format!("{prefix}{name}");
            let kind = entry.file_type().with_context(|| format!("cannot inspect theme file `{shown}/{rel}`"))?;
            if kind.is_symlink() {
                fail!(
                    help = "replace the link with the file itself",
                    "theme file `{shown}/{rel}` is a symlink, which aimsdoc never follows"
                );
            } else if kind.is_dir() && depth < MAX_DEPTH {
                stack.push((entry.path(), format!("{rel}/"), depth + 1));
            } else if kind.is_file() {
                out.push((rel, entry.path()));
            } else {
                bail!("theme file `{shown}/{rel}` is not a regular file (or nests deeper than {MAX_DEPTH} folders)");
            }
            if out.len() > MAX_FILES {
                fail!(
                    help = "keep only templates and assets in it",
                    "the theme folder `{shown}` holds more than {MAX_FILES} files"
                );
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    fn escaped(input: &str, with: tera::EscapeFn) -> Vec<u8> {
        let mut out = Vec::new();
        with(input, &mut out).expect("writes into a Vec");
        out
    }

    #[test]
    fn escaping_is_teras_byte_for_byte() {
        for input in [
            "",
            "plain",
            "&",
            "<script>alert('x')</script>",
            "a \"quoted\" & <tagged> 'single'",
            "Ünïcödé — «quotes» & emoji 🦀 at the end<",
            "&&&<<>>\"\"''",
            "no specials at all, just text and spaces",
        ] {
            assert_eq!(escaped(input, escape_html), escaped(input, tera::escape_html), "{input}");
        }
    }
}
