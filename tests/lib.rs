//! The integration tests: sopc run as a user runs it.

mod support;

mod cli;
mod examples;
mod json;
mod mangled;
mod parser;
mod rules_docs;
