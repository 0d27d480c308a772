//! What a check sees.

use super::calendar;
use crate::diag::FileId;
use crate::model::{Model, SourceDb};

/// What a check sees: the resolved document and the files it came from.
pub struct Context<'a> {
    pub db: &'a SourceDb,
    pub model: &'a Model,
    /// The file was named on the command line (or found in a named directory), not only imported.
    pub given: bool,
    /// The date that "before today" compares with (`--today`, else the current UTC date).
    pub today: calendar::Day,
}

impl Context<'_> {
    /// A document is a file with a `sop` header; a file without one is a library (see
    /// [`crate::syntax::SourceFile::is_document`]).
    pub fn is_document(&self) -> bool {
        self.model.is_document
    }

    pub fn root(&self) -> Option<FileId> {
        self.model.root
    }
}
