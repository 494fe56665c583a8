//! aimsdoc: turns ISO/IEC 42001 documented information (Markdown with YAML front matter) into a
//! controlled, browsable, verifiable static portal.
//!
//! The pipeline, one stage per module: [`config`] -> [`content`] (walk, split, parse) ->
//! [`validate`] (rules -> diagnostics) -> [`graph`] (documents, clauses, controls, evidence) ->
//! [`render`] (Markdown, templates, pages) -> [`site`] (atomic write, exports).

pub mod catalog;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod graph;
pub mod render;
pub mod site;
pub mod util;
pub mod validate;
pub mod yaml;
