//! The minijinja templates: embedded in the binary, each overridable by a file of the same name in
//! a user's folder (`--templates DIR`), the way mdBook's theme folder works.

use std::fmt;
use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use super::escape;
use super::labels::{self, Lang};

/// The templates built into sopc, by file name.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("handbook.md", include_str!("../../templates/handbook.md")),
    (
        "handbook.html",
        include_str!("../../templates/handbook.html"),
    ),
    ("handbook.css", include_str!("../../templates/handbook.css")),
    ("checklist.md", include_str!("../../templates/checklist.md")),
    (
        "checklist.html",
        include_str!("../../templates/checklist.html"),
    ),
    (
        "checklist.css",
        include_str!("../../templates/checklist.css"),
    ),
    (
        "checklists.md",
        include_str!("../../templates/checklists.md"),
    ),
];

/// A template that failed to load, compile or render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template's file name (`handbook.md`).
    pub template: String,
    /// Where the template came from: the override file's path, or `None` when built in.
    pub path: Option<PathBuf>,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}", p.display())?,
            None => write!(f, "{} (built in)", self.template)?,
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for TemplateError {}

/// Where templates come from.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    dir: Option<PathBuf>,
}

impl Templates {
    /// Only the built-in templates.
    pub fn embedded() -> Self {
        Templates { dir: None }
    }

    /// The built-in templates, each replaced by the file of the same name in `dir` if there is one.
    pub fn with_dir(dir: impl Into<PathBuf>) -> Self {
        Templates {
            dir: Some(dir.into()),
        }
    }

    /// The override file for `name`, if there is one.
    fn override_path(&self, name: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        // Only plain relative names: a template cannot reach outside the folder.
        let safe = Path::new(name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        let path = dir.join(name);
        (safe && path.is_file()).then_some(path)
    }

    /// Renders the template `name` with `context`, for documents in `lang`.
    pub fn render<C: Serialize>(
        &self,
        name: &str,
        lang: Lang,
        context: &C,
    ) -> Result<String, TemplateError> {
        let env = self.environment(lang);
        let result = env
            .get_template(name)
            .and_then(|t| t.render(Value::from(Serde(context))));
        result.map_err(|e| self.error(name, &e))
    }

    fn error(&self, requested: &str, e: &minijinja::Error) -> TemplateError {
        // The innermost error that knows its template says best where the problem is.
        let mut at: &minijinja::Error = e;
        let mut cur: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
        while let Some(s) = cur {
            if let Some(inner) = s.downcast_ref::<minijinja::Error>()
                && inner.name().is_some()
            {
                at = inner;
            }
            cur = s.source();
        }
        let template = at.name().unwrap_or(requested).to_string();
        let message = match at.detail() {
            Some(d) => format!("{}: {d}", at.kind()),
            None => at.kind().to_string(),
        };
        TemplateError {
            path: self.override_path(&template),
            line: at.line(),
            template,
            message,
        }
    }

    fn environment(&self, lang: Lang) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        if let Ok(syntax) = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".svg") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        let this = self.clone();
        env.set_loader(move |name| {
            if let Some(path) = this.override_path(name) {
                return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                    minijinja::Error::new(
                        ErrorKind::InvalidOperation,
                        format!("cannot read {}: {e}", path.display()),
                    )
                });
            }
            Ok(EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_string()))
        });
        add_filters(&mut env, lang);
        env
    }
}

fn add_filters(env: &mut Environment<'static>, lang: Lang) {
    env.add_filter("md", |s: String| escape::md_inline(&s));
    env.add_filter("md_cell", |s: String| escape::md_cell(&s));
    env.add_filter("md_text", |s: String| escape::md_text(&s));
    env.add_filter("anchor", anchor);
    env.add_filter("number", number);
    env.add_filter("cmp", |c: String| match c.as_str() {
        ">=" => "≥".to_string(),
        "<=" => "≤".to_string(),
        _ => c,
    });
    env.add_filter("css_string", |s: String| {
        Value::from_safe_string(css_string(&s))
    });
    env.add_filter("cadence", move |s: String| labels::cadence(lang, &s));
    env.add_filter("when", move |s: String| labels::training_when(lang, &s));
    env.add_filter("duration", move |s: String| labels::duration(lang, &s));
    env.add_filter("period", move |s: String| labels::period(lang, &s));
    env.add_filter("kind", move |s: String| labels::kind(lang, &s));
}

/// An id usable as an HTML id, a URL fragment and a file name: letters, digits, `_` and `-`.
pub fn anchor(s: String) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `5_000_000` -> `5,000,000`.
fn number(s: String) -> String {
    s.replace('_', ",")
}

/// A CSS string literal (quotes included) that cannot end the string or the `<style>` element:
/// everything but letters, digits, spaces and a few safe marks is a hex escape.
pub fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | '-' | '_' | ':') {
            out.push(c);
        } else if !c.is_control() {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("a\"</style>"), "\"a\\22 \\3c \\2f style\\3e \"");
        assert_eq!(css_string("销售 1.0"), "\"销售 1.0\"");
    }

    #[test]
    fn a_template_error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("handbook.md"), "line one\n{{ nope( }}\n").unwrap();
        let t = Templates::with_dir(dir.path());
        let e = t.render("handbook.md", Lang::En, &()).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert_eq!(e.path, Some(dir.path().join("handbook.md")));
        assert!(e.to_string().contains("handbook.md:2: "), "{e}");
    }
}
