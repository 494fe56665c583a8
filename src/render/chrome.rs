//! The part of every page's context that is the same on every page of one build: `site`,
//! `today`, `version`, `logo` and `nav`. It is converted into
//! template values once per build and cloned into each page's context (Tera's strings over 21
//! bytes, its maps and its lists are reference-counted, so a clone copies no text), where
//! building it on every page serialized the site settings and formatted the date 10,000 times.

use std::sync::OnceLock;

use tera::Context;

use super::pages::RenderCx;

/// The per-build base context, built on first use (see the module documentation).
#[derive(Default)]
pub(crate) struct Chrome {
    base: OnceLock<Context>,
}

impl RenderCx<'_> {
    /// The values every page's context starts from, for this build.
    pub(super) fn chrome(&self) -> &Context {
        self.shared.chrome.base.get_or_init(|| {
            let mut c = Context::new();
            c.insert("site", &self.config.site);
            c.insert("today", &self.today.to_string());
            c.insert("version", env!("CARGO_PKG_VERSION"));
            c.insert_value("nav", self.nav().clone());
            c.insert("logo", &super::brand::logo_path(self.config));
            c
        })
    }
}
