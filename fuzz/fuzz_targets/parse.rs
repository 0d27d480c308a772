//! Any bytes, decoded lossily, through the parser: no panic, and every span of the error (or of
//! the syntax tree) lies inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    sopc_fuzz::parse(&String::from_utf8_lossy(data));
});
