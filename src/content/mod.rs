//! The content tree: walking it, splitting front matter, and the typed document model.

pub(crate) mod doc_types;
pub(crate) mod document;
pub(crate) mod evidence;
pub(crate) mod fields;
pub mod frontmatter;
pub(crate) mod guidance;
pub(crate) mod ignored;
pub(crate) mod large;
pub(crate) mod links;
pub(crate) mod links_fast;
#[cfg(test)]
mod links_fast_tests;
pub(crate) mod load;
pub(crate) mod parse;
pub(crate) mod reload;
pub(crate) mod schema;
pub mod source;
pub(crate) mod types;

pub use document::Document;
pub(crate) use load::load_with;
pub use load::{load, Tree};
pub use source::{Body, Source};
