//! The driver: from paths to models and findings, for every front end.
//!
//! `sopc check`, `build`, `graph` and `audit` call [`check_paths`]; the fuzz targets, the tests
//! and the benches call it too, so that there is one pipeline (reading, imports, lowering, the
//! checks, configuration, suppressions) and not one copy per caller. It sits below the front
//! ends (`app/`, `audit/`) and never calls them; output formats and exit codes are theirs.

mod check;
mod inputs;
mod workspace;

pub use check::{CheckOptions, CheckOutcome, Finding, PathError, check_paths};
pub use inputs::{Inputs, expand};
pub use workspace::{DocumentResult, Stats, Workspace, check_source};
