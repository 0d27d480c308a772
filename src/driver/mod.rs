//! The driver: from paths (or texts held in memory) to models and findings, for every front end.
//!
//! `sopc check`, `build`, `graph` and `audit` call [`check_paths`]; the fuzz targets, the tests
//! and the benches call [`check_source`]; a front end that checks the same files again and again
//! (a language server) keeps a [`Workspace`]. All three run the one pipeline in `check.rs`:
//! reading, imports, lowering, the checks, configuration, suppressions. The driver sits below
//! the front ends (`app/`, `audit/`) and never calls them; output formats and exit codes are
//! theirs. See `docs/architecture.md`.

mod baseline;
mod check;
mod inputs;
mod workspace;

pub use baseline::{BASELINE_VERSION, Baseline, fingerprints};
pub use check::{CheckOptions, CheckOutcome, Finding, check_paths, reads, syntax_diagnostic};
pub use inputs::{Inputs, PathError, expand};
pub use workspace::{DocumentResult, Stats, Workspace, check_source};
