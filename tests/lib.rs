//! The integration tests: sopc run as a user runs it.

mod support;

mod cli;
mod examples;
