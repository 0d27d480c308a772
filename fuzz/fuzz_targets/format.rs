//! Text that parses, through the formatter: it succeeds (a "would change meaning" refusal is a
//! crash), its output parses, and formatting that output again gives the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        sopc_fuzz::format(text);
    }
});
