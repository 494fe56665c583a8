//! The sidebar's markup (`sidebar.html`, printed by `base.html` as `sidebar_html`), rendered
//! once per build for each page depth (`root`) and current entry (`nav_current`) and shared by
//! every page with the same pair: the sidebar never lists documents one by one, so 10,000
//! document pages at one depth need only as many renderings as there are document types,
//! where rendering it on every page was about a twentieth of a build's CPU.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tera::Context;

use super::pages::RenderCx;

/// The template the sidebar is rendered from; it sees `root`, `nav` and `nav_current` only.
pub(crate) const TEMPLATE: &str = "sidebar.html";

/// Rendered sidebars by `(root, nav_current)`, for one build (the sidebar model is per build).
#[derive(Default)]
pub(crate) struct Sidebars {
    rendered: Mutex<HashMap<(String, String), Arc<str>>>,
}

impl RenderCx<'_> {
    /// Renders template `name` with `c` and the sidebar of the page's `root` and `nav_current`
    /// (as `sidebar_html`).
    pub(crate) fn render(&self, name: &str, mut c: Context) -> anyhow::Result<String> {
        let sidebar = self.sidebar(&c)?;
        c.insert("sidebar_html", &*sidebar);
        self.theme.render(name, &c)
    }

    /// The sidebar of a page whose context is `c`: remembered, or rendered now.
    fn sidebar(&self, c: &Context) -> anyhow::Result<Arc<str>> {
        let text = |key: &str| c.get(key).and_then(tera::Value::as_str).unwrap_or_default().to_string();
        let key = (text("root"), text("nav_current"));
        let cache = &self.shared.sidebars.rendered;
        if let Some(html) = cache.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(Arc::clone(html));
        }
        let mut own = Context::new();
        own.insert("root", &key.0);
        own.insert("nav_current", &key.1);
        own.insert_value("nav", self.nav().clone());
        let html: Arc<str> = self.theme.render(TEMPLATE, &own)?.into();
        cache.lock().unwrap_or_else(PoisonError::into_inner).insert(key, Arc::clone(&html));
        Ok(html)
    }
}
