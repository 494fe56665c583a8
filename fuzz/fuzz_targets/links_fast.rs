//! The body-link line scan against the full Markdown parse: wherever the scan answers, its links
//! (destinations, classification, positions, widths and texts) are the ones pulldown-cmark finds.
#![no_main]

use aimsdoc::fuzzing::links_fast_and_parsed;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    if let (Some(fast), parsed) = links_fast_and_parsed(body) {
        assert_eq!(fast, parsed, "the line scan differs on {body:?}");
    }
});
