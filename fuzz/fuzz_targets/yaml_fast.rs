//! The YAML fast path against the general builder: wherever the fast path answers, its tree
//! (positions included) is the one saphyr-parser's builder gives for the same text.
#![no_main]

use aimsdoc::fuzzing::yaml_fast_and_general;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let (Some(fast), general) = yaml_fast_and_general(text) {
        assert_eq!(general.ok().flatten().as_ref(), Some(&fast), "the fast path differs on {text:?}");
    }
});
