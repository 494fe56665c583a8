//! The content tree: walking it, splitting front matter, and the typed document model.

pub mod doc_types;
pub mod document;
pub mod evidence;
pub mod fields;
pub mod frontmatter;
pub mod ignored;
pub mod links;
pub mod load;
pub mod parse;
pub mod reload;
pub mod schema;
pub mod types;

pub use document::Document;
pub use load::{load, Tree};
