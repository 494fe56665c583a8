//! The theme: Tera templates and static assets embedded in the binary, each overridable by a
//! file at the same path under the content tree's `theme/` folder.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../theme/", $path)) as &[u8])),*]
    };
}

/// Built-in theme files, by path relative to the theme folder.
const BUILTIN: &[(&str, &[u8])] = embedded![
    "templates/base.html",
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
    "assets/style.css",
    "assets/search.js",
    "assets/register.js",
    "assets/nav.js",
    "assets/favicon.svg",
];

/// A loaded theme: compiled templates and the assets to copy.
pub struct Theme {
    /// Compiled templates, by name (`dashboard.html`, ...).
    pub tera: tera::Tera,
    /// Static assets by output path under `assets/`.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads the built-in theme with the overrides found in `override_dir` (if it exists).
    pub fn load(override_dir: &Path) -> anyhow::Result<Theme> {
        let mut files: BTreeMap<String, Vec<u8>> = BUILTIN.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        if override_dir.is_dir() {
            for entry in walk(override_dir)? {
                let rel = crate::content::load::relative(override_dir, &entry);
                let bytes = std::fs::read(&entry)
                    .with_context(|| format!("failed to read theme file `{}`", entry.display()))?;
                files.insert(rel, bytes);
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
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
        Ok(Theme { tera, assets })
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &tera::Context) -> anyhow::Result<String> {
        self.tera.render(name, context).map_err(|e| anyhow::anyhow!("rendering `{name}` failed: {e}"))
    }
}

fn walk(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("failed to read theme folder `{}`", d.display()))? {
            let path = entry?.path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
