//! Document parsing (split, YAML, typed fields) and the content hash: never panic, every
//! finding points inside the file, and both are deterministic.
#![no_main]

use aimsdoc::fuzzing::{content_hash, document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.split('\n').count();
    let parsed = document(text);
    for &(code, line, column) in &parsed.findings {
        // Line 0 means the whole file.
        assert!(line <= lines + 1, "{code} at line {line} of {lines}");
        assert!(line == 0 || column >= 1, "{code} at column 0");
    }
    if parsed.document {
        assert!(!parsed.findings.iter().any(|f| f.0.starts_with("FM")), "a document despite {:?}", parsed.findings);
    }
    let again = document(text);
    assert_eq!(parsed.findings, again.findings);
    assert_eq!(content_hash(text), content_hash(text));
});
