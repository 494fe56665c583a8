//! aimsdoc: turns ISO/IEC 42001 documented information (Markdown with YAML front matter) into a
//! controlled, browsable, verifiable static portal.
//!
//! The pipeline, one stage per module: [`config`] -> [`content`] (walk, split, parse) ->
//! [`validate`] (rules -> diagnostics) -> [`graph`] (documents, clauses, controls, evidence) ->
//! [`integrity`] (manifest and site digest) -> [`render`] (Markdown, templates, pages) ->
//! [`site`] (atomic write, exports, `SHA256SUMS` last).

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
