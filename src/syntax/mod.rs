//! Syntax: text to AST. Only this module sees pest.

pub mod ast;
pub mod bidi;
mod comments;
mod entries;
pub mod errors;
pub mod fullwidth;
mod grammar;
mod parser;
mod reparse;
pub mod source;
pub mod strings;
mod translate;

pub use ast::*;
pub use errors::{SyntaxError, SyntaxErrorKind};
pub use parser::parse;
pub use reparse::parse_after_edit;
pub use source::{LineCol, LineIndex};
pub use translate::NAMED_CADENCES;
