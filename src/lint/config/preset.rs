//! The presets `extends:` names: a starting level for every check.

use crate::lint::registry::Level;

/// A starting point for `rules:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// The registry's default levels.
    #[default]
    Recommended,
    /// Every warning becomes an error; infos stay infos.
    Strict,
    /// Errors only: warnings and infos are off.
    Minimal,
}

impl Preset {
    /// The preset names `extends` accepts, in the order of [`Preset`]'s variants.
    pub const NAMES: [&'static str; 3] = ["recommended", "strict", "minimal"];

    /// The preset named `s` in `extends`; `None` for an unknown name.
    pub fn parse(s: &str) -> Option<Preset> {
        Some(match s {
            "recommended" => Preset::Recommended,
            "strict" => Preset::Strict,
            "minimal" => Preset::Minimal,
            _ => return None,
        })
    }

    /// The level this preset gives a check whose registry default is `default`.
    pub fn apply(self, default: Level) -> Level {
        match (self, default) {
            (Preset::Strict, Level::Warning) => Level::Error,
            (Preset::Minimal, Level::Warning | Level::Info) => Level::Off,
            (_, level) => level,
        }
    }
}
