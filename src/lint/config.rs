//! Levels per check: defaults from the registry, changed by `sopc.yaml`.

use std::collections::HashMap;

use super::registry::{Level, RULES};

/// The levels in force for a file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    rules: HashMap<String, Level>,
}

impl Config {
    pub fn level(&self, rule: &str) -> Level {
        if let Some(l) = self.rules.get(rule) {
            return *l;
        }
        RULES
            .iter()
            .find(|r| r.name == rule)
            .map_or(Level::Error, |r| r.default)
    }
}
