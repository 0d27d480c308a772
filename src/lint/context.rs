//! What a check sees.

use super::calendar;
use crate::diag::FileId;
use crate::model::{Model, SourceDb};

/// What a check sees: the resolved document and the files it came from.
pub struct Context<'a> {
    /// Every file read in the run, by [`FileId`], for the checks that read text.
    pub db: &'a SourceDb,
    /// The document being checked (its own file and its imports), names resolved.
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

    /// The file the document was read from (not one of its imports); `None` when the model has
    /// none.
    pub fn root(&self) -> Option<FileId> {
        self.model.root
    }
}
