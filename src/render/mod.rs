//! Rendering: Markdown bodies, syntax highlighting, the theme's templates and the view models
//! each page is rendered from.

pub use crate::urls::active;
pub mod brand;
pub mod calendar;
pub mod charts;
pub mod checklist;
pub mod crosswalk;
pub mod dashboard;
pub mod entry;
pub mod evidence;
pub mod feed;
pub mod highlight;
pub mod lineage;
pub mod markdown;
pub mod nav;
pub mod obsolete;
pub mod pages;
pub mod print;
pub mod sanitize;
pub mod search;
pub mod section;
pub mod soa;
pub mod theme;
pub mod view;

pub use pages::RenderCx;
pub use theme::Theme;
