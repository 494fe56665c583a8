//! fancy-regex 0.20 for crates written against 0.16 (syntect 5.3, which highlights code blocks).
//! The API syntect uses is unchanged between the two except that `Captures` gained a type
//! parameter for the searched input; the alias below pins it to `str`, which is what 0.16's was.
//! On 0.20 a build spends about a sixth less CPU on highlighting, with the same markup (see
//! BENCHMARKS.md). Delete this crate and the `[patch]` once syntect depends on 0.20 itself.

pub use upstream::*;

/// 0.16's `Captures`: the captures of a search of a `&str`.
pub type Captures<'t> = upstream::Captures<'t, str>;
