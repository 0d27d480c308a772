//! Levels per check: defaults from the registry, changed by `sopc.yaml` at a project root.
//!
//! `extends:` picks a preset, `rules:` sets levels on top of it, and each entry of `overrides:`
//! whose `files` glob matches a file's path (relative to the project root) sets levels on top of
//! that, later entries winning. See `docs/configuration.md`.

mod error;
mod preset;
mod read;
mod yaml;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use globset::GlobSet;

pub use error::{ConfigError, ConfigErrorKind};
pub use preset::Preset;

use super::registry::{Level, RuleId};
use crate::diag::{Diagnostic, FileId};
use crate::files::read as files;
use crate::model::{self, SourceDb};
use crate::syntax::Span;

/// The name of the configuration file.
pub const FILE_NAME: &str = "sopc.yaml";

/// Levels set by name, keyed by the check.
type Levels = HashMap<RuleId, Level>;

/// `rules:` that apply to the files one set of globs matches.
#[derive(Debug, Clone)]
struct Override {
    globs: GlobSet,
    /// The globs one by one, for `unused-override`.
    patterns: Vec<Pattern>,
    rules: Levels,
}

/// One pattern of an override's `files`, with where it is written in `sopc.yaml`.
#[derive(Debug, Clone)]
struct Pattern {
    text: String,
    matcher: globset::GlobMatcher,
    span: Span,
}

/// The levels in force in one project. The default is the registry's default levels.
#[derive(Debug, Clone, Default)]
pub struct Config {
    preset: Preset,
    rules: Levels,
    overrides: Vec<Override>,
}

impl Config {
    /// Reads a configuration from YAML text. Whatever is valid applies; the rest is returned as
    /// errors with their places in `text`.
    pub fn from_yaml(text: &str) -> (Config, Vec<ConfigError>) {
        match yaml::parse(text) {
            Ok((root, duplicates)) => {
                let mut errors: Vec<ConfigError> = duplicates
                    .into_iter()
                    .map(|d| {
                        let kind = ConfigErrorKind::DuplicateKey {
                            key: d.key,
                            first: d.first,
                        };
                        ConfigError::new(kind, d.again)
                    })
                    .collect();
                let config = read::config(&root, &mut errors);
                (config, errors)
            }
            Err(e) => (
                Config::default(),
                vec![ConfigError::new(
                    ConfigErrorKind::Yaml { message: e.message },
                    e.span,
                )],
            ),
        }
    }

    /// The level of `rule` outside every override.
    pub fn level(&self, rule: RuleId) -> Level {
        self.rules
            .get(&rule)
            .copied()
            .unwrap_or_else(|| self.preset.apply(rule.info().default))
    }

    /// The level of `rule` in the file at `path`, relative to the project root.
    pub fn level_for(&self, rule: RuleId, path: &Path) -> Level {
        self.overrides
            .iter()
            .rev()
            .filter(|o| o.globs.is_match(path))
            .find_map(|o| o.rules.get(&rule).copied())
            .unwrap_or_else(|| self.level(rule))
    }
}

/// The configuration of every project root met in a run, each `sopc.yaml` read once.
#[derive(Debug, Default)]
pub struct Configs {
    /// The project root of each file asked about.
    roots: HashMap<FileId, PathBuf>,
    by_root: HashMap<PathBuf, Config>,
    /// The `sopc.yaml` read for each root, in the source database.
    yaml_of: HashMap<PathBuf, FileId>,
    /// `invalid-config` findings, in the `sopc.yaml` files.
    pub diagnostics: Vec<Diagnostic>,
    /// A `sopc.yaml` that exists but could not be read: its path as shown, and why.
    pub unreadable: Vec<(String, String)>,
    /// A configuration file named on the command line (`--config FILE`): it configures every
    /// file, in place of each project root's `sopc.yaml`; override patterns are relative to
    /// its folder.
    forced: Option<PathBuf>,
}

impl Configs {
    /// Configurations that all come from `path` (`--config FILE`) instead of each project
    /// root's `sopc.yaml`.
    pub fn forced(path: PathBuf) -> Configs {
        Configs {
            forced: Some(path),
            ..Configs::default()
        }
    }

    /// Reads the configuration of `file`'s project root unless it was read already. The
    /// `sopc.yaml` is added to `db` and shown beside `file` as the user reached it.
    pub fn load_for(&mut self, db: &mut SourceDb, file: FileId) {
        if self.roots.contains_key(&file) {
            return;
        }
        if let Some(path) = self.forced.clone() {
            let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
            let root = canonical
                .parent()
                .map_or_else(PathBuf::new, Path::to_path_buf);
            self.roots.insert(file, root.clone());
            if self.by_root.contains_key(&root) {
                return;
            }
            let display = path.display().to_string();
            let config = match files::read_regular(&canonical, files::SMALL_LIMIT) {
                Ok(bytes) => self.parse(db, &root, display, canonical, bytes),
                Err(e) => {
                    self.unreadable.push((display, e.to_string()));
                    Config::default()
                }
            };
            self.by_root.insert(root, config);
            return;
        }
        let src = db.get(file);
        let root = model::project_root(&src.canonical);
        self.roots.insert(file, root.clone());
        if self.by_root.contains_key(&root) {
            return;
        }
        let path = root.join(FILE_NAME);
        let config = if path.exists() || db.overlay(&path).is_some() {
            let display = display_beside(&src.display, &src.canonical, &root);
            self.read(db, &root, display)
        } else {
            Config::default()
        };
        self.by_root.insert(root, config);
    }

    fn read(&mut self, db: &mut SourceDb, root: &Path, display: String) -> Config {
        let path = root.join(FILE_NAME);
        // An editor's unsaved text of it.
        if let Some(bytes) = db.overlay(&path) {
            return self.parse(db, root, display, path, bytes.to_vec());
        }
        // A `sopc.yaml` that is a link is read only when it leads to a file of the project:
        // its text is shown in findings, and `/proc/self/environ` is not a configuration.
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        let inside = root
            .canonicalize()
            .is_ok_and(|root| canonical.starts_with(root));
        if !inside {
            let why = files::LinkRefusal::Outside.to_string();
            self.unreadable.push((display, why));
            return Config::default();
        }
        let bytes = match files::read_regular(&canonical, files::SMALL_LIMIT) {
            Ok(b) => b,
            Err(e) => {
                self.unreadable.push((display, e.to_string()));
                return Config::default();
            }
        };
        self.parse(db, root, display, canonical, bytes)
    }

    fn parse(
        &mut self,
        db: &mut SourceDb,
        root: &Path,
        display: String,
        canonical: PathBuf,
        bytes: Vec<u8>,
    ) -> Config {
        let (text, bad_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
            }
        };
        let id = db.add_text(display, canonical, text);
        // Its own findings follow its own levels: `invalid-config: warning` applies to itself.
        self.roots.insert(id, root.to_path_buf());
        self.yaml_of.insert(root.to_path_buf(), id);
        if let Some(at) = bad_utf8 {
            let replacement = '\u{FFFD}'.len_utf8();
            let error = ConfigError::new(ConfigErrorKind::NotUtf8, Span::new(at, at + replacement));
            self.diagnostics.push(error.into_diagnostic(id));
            return Config::default();
        }
        let (config, errors) = Config::from_yaml(&db.get(id).text);
        self.diagnostics
            .extend(errors.into_iter().map(|e| e.into_diagnostic(id)));
        config
    }

    /// The configuration in force for `file` (read with [`Configs::load_for`]), or the defaults.
    pub fn config_of(&self, file: FileId) -> Option<&Config> {
        self.by_root.get(self.roots.get(&file)?)
    }

    /// The level of `rule` for a finding in `file`: its project root's configuration, with the
    /// overrides that match the file's path inside that root. Files never loaded get defaults.
    pub fn level(&self, db: &SourceDb, rule: RuleId, file: FileId) -> Level {
        let Some(root) = self.roots.get(&file) else {
            return Config::default().level(rule);
        };
        let config = &self.by_root[root];
        let canonical = &db.get(file).canonical;
        let relative = canonical.strip_prefix(root).unwrap_or(canonical);
        config.level_for(rule, relative)
    }
}

impl Configs {
    /// An `unused-override` finding for each override pattern that matches none of the `.sop`
    /// files of its project met in the run.
    pub fn unused_overrides(&self, db: &SourceDb) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut roots: Vec<(&PathBuf, &FileId)> = self.yaml_of.iter().collect();
        roots.sort();
        for (root, &yaml) in roots {
            let Some(config) = self.by_root.get(root) else {
                continue;
            };
            let files: Vec<&Path> = self
                .roots
                .iter()
                .filter(|(id, r)| *r == root && db.get(**id).is_sop())
                .map(|(id, _)| {
                    let canonical = &db.get(*id).canonical;
                    canonical.strip_prefix(root).unwrap_or(canonical)
                })
                .collect();
            for pattern in config.overrides.iter().flat_map(|o| &o.patterns) {
                if files.iter().any(|f| pattern.matcher.is_match(f)) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        RuleId::UnusedOverride,
                        crate::diag::Loc::new(yaml, pattern.span),
                        format!("override pattern `{}` matches no checked file", pattern.text),
                    )
                    .with_label("matches nothing")
                    .with_help(
                        "fix the pattern (paths are relative to the folder of `sopc.yaml`), or remove it",
                    )
                    .with_names([pattern.text.clone()]),
                );
            }
        }
        out
    }
}

/// How to show `sopc.yaml` in `root` to a user who reached the file at `canonical` as `display`:
/// `examples/x/sopc.yaml` for `examples/x/a.sop`, `../sopc.yaml` for `a.sop` one folder down.
fn display_beside(display: &str, canonical: &Path, root: &Path) -> String {
    let depth = canonical
        .parent()
        .and_then(|dir| dir.strip_prefix(root).ok())
        .map_or(0, |inside| inside.components().count());
    let mut parts: Vec<Component> = Path::new(display)
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    for _ in 0..depth {
        match parts.last() {
            Some(Component::Normal(_)) => {
                parts.pop();
            }
            Some(Component::CurDir) => {
                parts.pop();
                parts.push(Component::ParentDir);
            }
            Some(Component::RootDir | Component::Prefix(_)) => {}
            Some(Component::ParentDir) | None => parts.push(Component::ParentDir),
        }
    }
    let dir: PathBuf = parts.iter().collect();
    dir.join(FILE_NAME).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        let (config, errors) = Config::from_yaml(text);
        assert!(errors.is_empty(), "{errors:?}");
        config
    }

    #[test]
    fn presets_then_rules_then_overrides() {
        let c = config(
            "extends: strict\nrules:\n  dead-end-stage: info\noverrides:\n  - files: legacy/**\n    rules: { task-without-due: off }\n  - files: [legacy/keep/*.sop]\n    rules: { task-without-due: warning }\n",
        );
        assert_eq!(c.level(RuleId::TaskWithoutDue), Level::Error);
        assert_eq!(c.level(RuleId::DeadEndStage), Level::Info);
        assert_eq!(c.level(RuleId::UnusedDefinition), Level::Info);
        assert_eq!(
            c.level_for(RuleId::TaskWithoutDue, Path::new("legacy/a/b.sop")),
            Level::Off
        );
        assert_eq!(
            c.level_for(RuleId::TaskWithoutDue, Path::new("legacy/keep/b.sop")),
            Level::Warning
        );
        // `*` stays within one folder.
        assert_eq!(
            c.level_for(RuleId::TaskWithoutDue, Path::new("legacy/keep/x/b.sop")),
            Level::Off
        );
        assert_eq!(
            c.level_for(RuleId::TaskWithoutDue, Path::new("a.sop")),
            Level::Error
        );
        let minimal = config("extends: minimal\n");
        assert_eq!(minimal.level(RuleId::TaskWithoutDue), Level::Off);
        assert_eq!(minimal.level(RuleId::UnusedDefinition), Level::Off);
        assert_eq!(minimal.level(RuleId::Syntax), Level::Error);
        assert_eq!(
            Config::default().level(RuleId::TaskWithoutDue),
            Level::Warning
        );
    }

    #[test]
    fn errors_keep_what_is_valid() {
        let text = "rules:\n  task-without-due: error\n  task-withot-done-criteria: off\n  dead-end-stage: loud\nextend: strict\n";
        let (c, errors) = Config::from_yaml(text);
        assert_eq!(c.level(RuleId::TaskWithoutDue), Level::Error);
        let kinds: Vec<_> = errors.iter().map(|e| &e.kind).collect();
        assert!(
            matches!(kinds[0], ConfigErrorKind::UnknownRule { name } if name == "task-withot-done-criteria")
        );
        assert!(matches!(kinds[1], ConfigErrorKind::UnknownLevel { value, .. } if value == "loud"));
        assert!(matches!(kinds[2], ConfigErrorKind::UnknownKey { key, .. } if key == "extend"));
        assert_eq!(&text[errors[2].span.start..errors[2].span.end], "extend");
    }

    #[test]
    fn config_is_shown_beside_the_file() {
        let root = Path::new("/p");
        let show = |d: &str, c: &str| display_beside(d, Path::new(c), root);
        assert_eq!(show("examples/x/a.sop", "/p/a.sop"), "examples/x/sopc.yaml");
        assert_eq!(show("x/sub/a.sop", "/p/sub/a.sop"), "x/sopc.yaml");
        assert_eq!(show("a.sop", "/p/sub/a.sop"), "../sopc.yaml");
        assert_eq!(show("./a.sop", "/p/sub/a.sop"), "../sopc.yaml");
        assert_eq!(show("a.sop", "/p/a.sop"), "sopc.yaml");
        assert_eq!(show("./docs/a.sop", "/p/docs/a.sop"), "./sopc.yaml");
    }
}
