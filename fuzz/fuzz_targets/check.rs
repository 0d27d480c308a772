//! Any bytes as a file of the sales example, through decoding, parsing, imports, lowering, every
//! check and the suppressions: no panic, and every diagnostic points inside its file on
//! character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    sopc_fuzz::check(data);
});
