//! The approvals ledger and `SHA256SUMS` readers (the first byte picks which): never panic,
//! and what they read writes back to text that reads the same.
#![no_main]

use aimsdoc::fuzzing::{ledger, sums, sums_format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    if pick % 2 == 0 {
        let (lines, _) = ledger(text);
        let (again, errors) = ledger(&lines.join("\n"));
        assert!(errors.is_empty(), "written entries read back with errors on {errors:?}");
        assert_eq!(lines, again);
    } else if let Ok(map) = sums(text) {
        assert!(map.keys().all(|k| !k.is_empty()));
        assert_eq!(sums(&sums_format(&map)), Ok(map));
    }
});
