//! The integration tests: sopc run as a user runs it.

mod support;

mod audit;
mod build;
mod checks;
mod ci;
mod cli;
mod config;
mod documents;
mod driver;
mod examples;
mod fmt;
mod fuzz_regressions;
mod hostile_checks;
mod hostile_output;
mod hostile_reads;
mod hostile_writes;
mod json;
mod lsp;
mod lsp_client;
mod lsp_nvim;
mod lsp_workspace;
mod mangled;
mod parser;
mod pathological;
mod pathological_audit;
mod pathological_output;
mod rule_ids;
mod rules_docs;
mod sarif;
mod suppress;
mod tidy;
