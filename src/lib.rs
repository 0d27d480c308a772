//! sopc: a compiler and linter for standard operating procedures written as code.

pub mod app;
pub mod audit;
pub mod diag;
pub mod diff;
pub mod driver;
pub mod files;
pub mod finding_data;
pub mod format;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod render;
pub mod rule_id;
pub mod suggest;
pub mod syntax;
pub mod text;

pub use app::run;
