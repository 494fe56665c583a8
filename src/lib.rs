//! aimsdoc: turns ISO/IEC 42001 documented information (Markdown with YAML front matter) into a
//! controlled, browsable, verifiable static portal.
//!
//! The pipeline (docs/ARCHITECTURE.md): [`config`] -> load ([`content`]: walk, split, parse) ->
//! link ([`graph`]: ids, clauses, controls, links, evidence) -> [`assess`] (currency, SoA, checklist)
//! -> [`validate`] (rules -> diagnostics) -> [`render`] (Markdown, templates, pages) -> seal
//! ([`site`] and [`integrity`]: staging, exports, manifest, `SHA256SUMS` last, atomic swap).
//! [`contain`] guards every file read from a content tree.

pub(crate) mod assess;
pub mod catalog;
pub mod cli;
pub(crate) mod clock;
pub mod config;
pub(crate) mod contain;
pub mod content;
pub(crate) mod csv_export;
pub mod diagnostics;
pub mod exit;
pub mod failure;
pub(crate) mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod graph;
pub mod integrity;
pub(crate) mod lsp;
pub(crate) mod progress;
pub(crate) mod provenance;
pub(crate) mod render;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod urls;
pub(crate) mod util;
pub(crate) mod validate;
pub(crate) mod words;
pub mod yaml;
