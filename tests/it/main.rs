//! aimsdoc's integration tests, one binary (the library is linked once, not once per file): each
//! module runs the real `aimsdoc` binary (or the library) against committed fixtures under
//! `tests/fixtures/`, the example tree `content-example/` or temporary trees, with the shared
//! helpers of [`common`].

mod common;

mod approval;
mod authoring;
mod checklist;
mod cli;
mod containment;
mod cost_safety;
mod diff;
mod doc_pages;
mod feeds;
mod formats;
mod hostile;
mod in_force;
mod integrity;
mod lifecycle;
mod lsp;
mod obsolete;
mod portal;
mod properties;
mod provenance;
mod rules;
mod script_safety;
mod serve;
mod signing;
mod site;
mod theme;
mod verify_safety;
mod write_safety;
