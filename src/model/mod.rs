//! The model: a document (a file and everything it imports) with every name resolved and each
//! pipeline a petgraph graph of its stages.

mod imports;
mod lower;
mod names;
mod source_db;
mod types;

pub use imports::{DocumentFiles, document_files, normalize, project_root, project_root_of_dir};
pub use lower::lower;
pub use names::name_key;
pub use source_db::{
    FileKind, ReadError, SourceDb, SourceText, Sources, overlay_key, read_source, read_source_after,
};
pub use types::*;
