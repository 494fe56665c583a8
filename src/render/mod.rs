//! Rendering: Markdown bodies, syntax highlighting, the theme's templates and the view models
//! each page is rendered from.

pub mod highlight;
pub mod markdown;
pub mod pages;
pub mod theme;
pub mod view;

pub use pages::RenderCx;
pub use theme::Theme;
