//! The YAML tree of `sopc.yaml` to a [`Config`]: what is valid is kept, what is not is reported.

use globset::{GlobBuilder, GlobSetBuilder};

use super::error::{ConfigError, ConfigErrorKind, OVERRIDE_KEYS, TOP_KEYS};
use super::yaml::{Node, NodeKind};
use super::{Config, Levels, Override, Pattern, Preset};
use crate::lint::registry::{Level, RuleId};

/// Reads a whole document. Errors do not stop reading: every valid setting still applies.
pub(super) fn config(root: &Node, errors: &mut Vec<ConfigError>) -> Config {
    let mut config = Config::default();
    let entries = match &root.kind {
        NodeKind::Null => return config,
        NodeKind::Map(entries) => entries,
        other => {
            errors.push(expected(
                "a mapping with `extends`, `rules` or `overrides`",
                other,
                root,
            ));
            return config;
        }
    };
    for (key, value) in entries {
        match text(key).as_str() {
            "extends" => {
                if let Some(preset) = preset(value, errors) {
                    config.preset = preset;
                }
            }
            "rules" => config.rules = levels(value, errors),
            "overrides" => config.overrides = overrides(value, errors),
            other => errors.push(unknown_key(other, &TOP_KEYS, key)),
        }
    }
    config
}

fn preset(node: &Node, errors: &mut Vec<ConfigError>) -> Option<Preset> {
    let NodeKind::Scalar(value) = &node.kind else {
        errors.push(expected("a preset name", &node.kind, node));
        return None;
    };
    let preset = Preset::parse(value);
    if preset.is_none() {
        errors.push(ConfigError::new(
            ConfigErrorKind::UnknownPreset {
                value: value.clone(),
            },
            node.span,
        ));
    }
    preset
}

/// A mapping of check names to levels.
fn levels(node: &Node, errors: &mut Vec<ConfigError>) -> Levels {
    let mut out = Levels::new();
    let entries = match &node.kind {
        NodeKind::Null => return out,
        NodeKind::Map(entries) => entries,
        other => {
            errors.push(expected("a mapping of checks to levels", other, node));
            return out;
        }
    };
    for (key, value) in entries {
        let name = text(key);
        let Some(rule) = RuleId::from_name(&name) else {
            errors.push(ConfigError::new(
                ConfigErrorKind::UnknownRule { name },
                key.span,
            ));
            continue;
        };
        match &value.kind {
            NodeKind::Scalar(word) => match Level::parse(word) {
                Some(level) => {
                    out.insert(rule, level);
                }
                None => errors.push(ConfigError::new(
                    ConfigErrorKind::UnknownLevel {
                        rule: name,
                        value: word.clone(),
                    },
                    value.span,
                )),
            },
            NodeKind::Null => errors.push(ConfigError::new(
                ConfigErrorKind::MissingLevel { rule: name },
                key.span,
            )),
            other => errors.push(expected("a level", other, value)),
        }
    }
    out
}

fn overrides(node: &Node, errors: &mut Vec<ConfigError>) -> Vec<Override> {
    let items = match &node.kind {
        NodeKind::Null => return Vec::new(),
        NodeKind::Seq(items) => items,
        other => {
            errors.push(expected("a list of `files:`/`rules:` entries", other, node));
            return Vec::new();
        }
    };
    items
        .iter()
        .filter_map(|item| one_override(item, errors))
        .collect()
}

fn one_override(node: &Node, errors: &mut Vec<ConfigError>) -> Option<Override> {
    let NodeKind::Map(entries) = &node.kind else {
        errors.push(expected(
            "a mapping with `files` and `rules`",
            &node.kind,
            node,
        ));
        return None;
    };
    let mut globs = None;
    let mut rules = Levels::new();
    for (key, value) in entries {
        match text(key).as_str() {
            "files" => globs = Some(glob_set(value, errors)),
            "rules" => rules = levels(value, errors),
            other => errors.push(unknown_key(other, &OVERRIDE_KEYS, key)),
        }
    }
    let Some(globs) = globs else {
        errors.push(ConfigError::new(ConfigErrorKind::MissingFiles, node.span));
        return None;
    };
    let (globs, patterns) = globs?;
    Some(Override {
        globs,
        patterns,
        rules,
    })
}

/// One glob or a list of globs, with each pattern on its own; `None` (reported) when any is
/// invalid or there is none.
fn glob_set(
    node: &Node,
    errors: &mut Vec<ConfigError>,
) -> Option<(globset::GlobSet, Vec<Pattern>)> {
    let patterns: Vec<&Node> = match &node.kind {
        NodeKind::Scalar(_) => vec![node],
        NodeKind::Seq(items) if !items.is_empty() => items.iter().collect(),
        other => {
            errors.push(expected("a glob or a list of globs", other, node));
            return None;
        }
    };
    let mut builder = GlobSetBuilder::new();
    let mut each = Vec::new();
    let mut ok = true;
    for p in patterns {
        let NodeKind::Scalar(pattern) = &p.kind else {
            errors.push(expected("a glob", &p.kind, p));
            ok = false;
            continue;
        };
        match GlobBuilder::new(pattern).literal_separator(true).build() {
            Ok(glob) => {
                each.push(Pattern {
                    text: pattern.clone(),
                    matcher: glob.compile_matcher(),
                    span: p.span,
                });
                builder.add(glob);
            }
            Err(e) => {
                errors.push(ConfigError::new(
                    ConfigErrorKind::BadGlob {
                        glob: pattern.clone(),
                        reason: e.kind().to_string(),
                    },
                    p.span,
                ));
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    Some((builder.build().ok()?, each))
}

/// A key as text: keys that are not scalars show as written.
fn text(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar(s) => s.clone(),
        other => other.describe().to_string(),
    }
}

fn unknown_key(key: &str, allowed: &'static [&'static str], node: &Node) -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::UnknownKey {
            key: key.to_string(),
            allowed,
        },
        node.span,
    )
}

fn expected(what: &'static str, found: &NodeKind, node: &Node) -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::Expected {
            what,
            found: found.describe(),
        },
        node.span,
    )
}
