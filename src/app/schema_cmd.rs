//! `sopc schema`: the JSON Schema of the JSON that `sopc build` writes.

use std::io::Write;

use super::{EXIT_OK, EXIT_USAGE};
use crate::render::json_schema;

pub(super) fn run() -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(json_schema().as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}
