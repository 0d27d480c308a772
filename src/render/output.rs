//! What rendering gives: files to write, each a path in the output folder and its bytes.

use std::path::PathBuf;

/// One file to write: its path inside the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Where to write it, relative to the output folder (`sales.handbook.md`).
    pub path: PathBuf,
    /// The whole content of the file.
    pub bytes: Vec<u8>,
}

impl Output {
    pub(super) fn new(path: impl Into<PathBuf>, text: String) -> Self {
        Output {
            path: path.into(),
            bytes: text.into_bytes(),
        }
    }
}
