//! The sidebar's markup (`sidebar.html`, printed by `base.html` as `sidebar_html`), rendered
//! once per build for each page depth (`root`) and current entry (`nav_current`) and shared by
//! every page with the same pair: the sidebar never lists documents one by one, so 10,000
//! document pages at one depth need only as many renderings as there are document types,
//! where rendering it on every page was about a twentieth of a build's CPU.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use tera::Context;

use super::pages::RenderCx;

/// The template the sidebar is rendered from; it sees `root`, `nav` and `nav_current` only.
pub(crate) const TEMPLATE: &str = "sidebar.html";

/// Rendered sidebars by `root`, then `nav_current`, for one build (the sidebar model is per
/// build). Kept as template values: inserting one into a page's context shares its text (a
/// reference count) instead of copying a few kilobytes per page.
#[derive(Default)]
pub(crate) struct Sidebars {
    rendered: Mutex<HashMap<String, HashMap<String, tera::Value>>>,
}

impl RenderCx<'_> {
    /// Renders template `name` with `c` and the sidebar of the page's `root` and `nav_current`
    /// (as `sidebar_html`).
    pub(crate) fn render(&self, name: &str, mut c: Context) -> anyhow::Result<String> {
        let sidebar = self.sidebar(&c)?;
        c.insert_value("sidebar_html", sidebar);
        self.theme.render(name, &c)
    }

    /// The sidebar of a page whose context is `c`: remembered, or rendered now.
    fn sidebar(&self, c: &Context) -> anyhow::Result<tera::Value> {
        let text = |key: &str| c.get(key).and_then(tera::Value::as_str).unwrap_or_default();
        self.sidebar_html(text("root"), text("nav_current"))
    }

    /// The sidebar of pages at `root` whose current entry is `current`: remembered, or
    /// rendered now.
    pub(crate) fn sidebar_html(&self, root: &str, current: &str) -> anyhow::Result<tera::Value> {
        let cache = &self.shared.sidebars.rendered;
        let remembered = |cache: &HashMap<String, HashMap<String, tera::Value>>| {
            cache.get(root).and_then(|by_current| by_current.get(current)).cloned()
        };
        if let Some(html) = remembered(&cache.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(html);
        }
        let mut own = Context::new();
        own.insert("root", root);
        own.insert("nav_current", current);
        own.insert_value("nav", self.nav().clone());
        let html = tera::Value::from(self.theme.render(TEMPLATE, &own)?);
        let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.entry(root.to_string()).or_default().insert(current.to_string(), html.clone());
        Ok(html)
    }
}
