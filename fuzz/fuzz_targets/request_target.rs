//! serve's request-target normalisation: never panics, and a target it accepts names a path
//! made only of plain, visible segments, which cannot leave the output folder.
#![no_main]

use std::path::{Component, Path};

use aimsdoc::fuzzing::{request_target, site_path};
use libfuzzer_sys::fuzz_target;

fn inside(rel: &str) {
    let joined = Path::new("/srv/site").join(rel);
    let rest = joined.strip_prefix("/srv/site").expect("under the root");
    assert!(rest.components().all(|c| matches!(c, Component::Normal(_))), "{rel:?} leaves the root");
}

fuzz_target!(|data: &[u8]| {
    let Ok(target) = std::str::from_utf8(data) else { return };
    if let Ok(Some(segments)) = request_target(target) {
        for s in &segments {
            assert!(!s.is_empty() && !s.starts_with('.'), "{s:?}");
            assert!(!s.contains(['/', '\\', '\0', ':']) && !s.chars().any(char::is_control), "{s:?}");
            inside(s);
        }
    }
    if let Some(path) = site_path(target) {
        assert!(!path.is_empty());
        inside(&path);
    }
});
