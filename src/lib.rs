//! aimsdoc: turns ISO/IEC 42001 documented information (Markdown with YAML front matter) into a
//! controlled, browsable, verifiable static portal.
//!
//! The pipeline (docs/ARCHITECTURE.md): [`config`] -> load ([`content`]: walk, split, parse) ->
//! link ([`graph`]: ids, clauses, controls, links, evidence) -> [`assess`] (currency, SoA, checklist)
//! -> [`validate`] (rules -> diagnostics) -> [`render`] (Markdown, templates, pages) -> seal
//! ([`site`] and [`integrity`]: staging, exports, manifest, `SHA256SUMS` last, atomic swap).
//! [`contain`] guards every file read from a content tree.

pub mod assess;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contain;
pub mod content;
pub mod csv_export;
pub mod diagnostics;
pub mod exit;
pub mod failure;
pub mod fsutil;
pub mod graph;
pub mod integrity;
pub mod render;
pub mod serve;
pub mod site;
pub mod urls;
pub mod util;
pub mod validate;
pub mod yaml;
