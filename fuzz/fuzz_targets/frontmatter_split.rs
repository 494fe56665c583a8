//! The front matter splitter: never panics, and on success the file is exactly opening fence +
//! YAML + closing fence + body, with the body's line number right.
#![no_main]

use aimsdoc::fuzzing::split;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(s) = split(text) else { return };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.as_ptr() as usize;
    let yaml_start = s.yaml.as_ptr() as usize - base;
    let yaml_end = yaml_start + s.yaml.len();
    let body_start = s.body.as_ptr() as usize - base;
    assert!(yaml_end <= body_start && body_start + s.body.len() == text.len(), "not a partition");
    assert_eq!(text[..yaml_start].trim_end(), "---", "opening fence");
    let fence = text[yaml_end..body_start].trim_end();
    assert!(fence == "---" || fence == "...", "closing fence {fence:?}");
    assert_eq!(s.yaml_line, 2);
    let before = &text[..body_start];
    if before.ends_with('\n') {
        assert_eq!(s.body_line, before.matches('\n').count() + 1, "body line");
    }
});
