//! Rendering: Markdown bodies, syntax highlighting, the theme's templates and the view models
//! each page is rendered from.

pub(crate) use crate::urls::active;
pub(crate) mod brand;
pub(crate) mod calendar;
pub(crate) mod changes;
pub(crate) mod charts;
pub(crate) mod checklist;
pub(crate) mod checklist_value;
pub(crate) mod chrome;
pub(crate) mod crosswalk;
pub(crate) mod dashboard;
pub(crate) mod document_page;
pub(crate) mod document_tables;
pub(crate) mod entry;
pub(crate) mod entry_page;
pub(crate) mod evidence;
pub(crate) mod evidence_page;
pub(crate) mod facts;
pub(crate) mod feed;
pub(crate) mod highlight;
pub(crate) mod html;
pub(crate) mod lineage;
pub(crate) mod markdown;
pub(crate) mod nav;
pub(crate) mod obsolete;
pub(crate) mod old_body;
pub(crate) mod pages;
pub(crate) mod print;
pub(crate) mod redline;
pub(crate) mod register;
pub(crate) mod sanitize;
pub(crate) mod search;
pub(crate) mod search_index;
pub(crate) mod section;
pub(crate) mod sidebar;
pub(crate) mod soa;
pub(crate) mod tables;
pub(crate) mod theme;
pub(crate) mod version_page;
pub(crate) mod versions;
pub(crate) mod view;

pub(crate) use pages::RenderCx;
pub(crate) use theme::Theme;
