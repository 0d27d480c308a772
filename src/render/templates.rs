//! The minijinja templates: embedded in the binary, each overridable by a file of the same name in
//! a user's folder (`--templates DIR`), the way mdBook's theme folder works.

use crate::text::ShowPath;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use super::escape;
use super::labels::{self, Lang};
use crate::files::read;

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
    ("audit.html", include_str!("../../templates/audit.html")),
    (
        "site-index.html",
        include_str!("../../templates/site-index.html"),
    ),
    (
        "site-role.html",
        include_str!("../../templates/site-role.html"),
    ),
    ("site.css", include_str!("../../templates/site.css")),
];

/// A template that failed to load, compile or render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template's file name (`handbook.md`).
    pub template: String,
    /// Where the template came from: the override file's path, or `None` when built in.
    pub path: Option<PathBuf>,
    /// The 1-based line in the template where it failed, when the template engine knows it.
    pub line: Option<usize>,
    /// What went wrong, as the template engine says it.
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}", p.shown())?,
            None => write!(f, "{} (built in)", self.template)?,
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for TemplateError {}

/// The fuel of one render: minijinja's budget of work (about one unit per instruction and per
/// 64 bytes of data a template creates), so a template cannot loop forever or fill memory. The
/// heaviest built-in template, `handbook.html`, uses 4.2 million for a generated 1.2 MB SOP
/// (0.6 million for 0.37 MB): 24 times less. The budget also bounds what a template builds in
/// memory: a string doubled in a loop reached 12 GB under a budget of 300 million.
pub const FUEL: u64 = 100_000_000;

/// The most text one render may write: `handbook.html` of a generated 1.2 MB SOP is 75 MB,
/// mostly its diagram.
pub const OUTPUT_LIMIT: usize = 1024 * 1024 * 1024;

/// Where templates come from, and how much one render may do.
#[derive(Debug, Clone)]
pub struct Templates {
    dir: Option<TemplateDir>,
    fuel: u64,
    output_limit: usize,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::embedded()
    }
}

/// A folder of override templates.
#[derive(Debug, Clone)]
struct TemplateDir {
    /// As the user gave it, for messages.
    given: PathBuf,
    /// Resolved: every template read must resolve inside it.
    canonical: PathBuf,
}

/// Why a `--templates` folder cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDirError(pub String);

impl fmt::Display for TemplateDirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Templates {
    /// Only the built-in templates.
    pub fn embedded() -> Self {
        Templates {
            dir: None,
            fuel: FUEL,
            output_limit: OUTPUT_LIMIT,
        }
    }

    /// The same templates with other bounds on one render: `fuel` (see [`FUEL`]) and the
    /// most bytes it may write (see [`OUTPUT_LIMIT`]).
    #[must_use]
    pub fn with_limits(mut self, fuel: u64, output_limit: usize) -> Self {
        self.fuel = fuel;
        self.output_limit = output_limit;
        self
    }

    /// The built-in templates, each replaced by the file of the same name in `dir` if there is one.
    pub fn with_dir(dir: impl Into<PathBuf>) -> Self {
        let given: PathBuf = dir.into();
        let canonical = given.canonicalize().unwrap_or_else(|_| given.clone());
        Templates {
            dir: Some(TemplateDir { given, canonical }),
            ..Templates::embedded()
        }
    }

    /// Like [`Templates::with_dir`], but first makes sure `dir` is a folder.
    pub fn from_dir(dir: &Path) -> Result<Self, TemplateDirError> {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => Ok(Templates::with_dir(dir)),
            Ok(_) => Err(TemplateDirError(format!(
                "`--templates {0}`: `{0}` is a file, not a folder; give the folder that holds your templates",
                dir.shown()
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(TemplateDirError(format!(
                "templates folder `{}` does not exist",
                dir.shown()
            ))),
            Err(e) => Err(TemplateDirError(format!(
                "cannot read the templates folder `{}`: {e}",
                dir.shown()
            ))),
        }
    }

    /// The override file for `name` as shown to the user, if there is one.
    fn shown_path(&self, name: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        plain(name).then(|| dir.given.join(name))
    }

    /// The override file for `name`, resolved, if there is one. Anything at that path is an
    /// override: a link that leads out of the folder (itself or through a linked folder), a
    /// FIFO or a device is an error, never silently the built-in template.
    fn override_file(&self, name: &str) -> Result<Option<PathBuf>, String> {
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        // Only plain relative names: `..` or an absolute path never reach outside the folder.
        if !plain(name) {
            return Ok(None);
        }
        let path = dir.canonical.join(name);
        let shown = dir.given.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(format!("cannot read `{}`: {e}", shown.shown())),
        }
        let resolved = path
            .canonicalize()
            .map_err(|e| format!("cannot read `{}`: {e}", shown.shown()))?;
        if !resolved.starts_with(&dir.canonical) {
            return Err(format!(
                "`{}` leads outside the templates folder `{}` (through a symbolic link); copy the file into the folder instead",
                shown.shown(),
                dir.given.shown()
            ));
        }
        Ok(Some(resolved))
    }

    fn load(&self, name: &str) -> Result<Option<String>, String> {
        if let Some(path) = self.override_file(name)? {
            let shown = self.shown_path(name).unwrap_or(path.clone());
            let bytes = read::read_regular(&path, read::SMALL_LIMIT)
                .map_err(|e| format!("cannot read `{}`: {e}", shown.shown()))?;
            return String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| format!("`{}` is not UTF-8 text", shown.shown()));
        }
        Ok(EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| (*text).to_string()))
    }

    /// Renders the template `name` with `context`, for documents in `lang`.
    pub fn render<C: Serialize>(
        &self,
        name: &str,
        lang: Lang,
        context: &C,
    ) -> Result<String, TemplateError> {
        let refused: Refused = Arc::default();
        let env = self.environment(lang, &refused);
        let error = |e: &minijinja::Error| {
            let mut error = self.error(name, e, &|| field_names(context));
            if let Some(why) = refused.lock().ok().and_then(|mut r| r.take()) {
                error.message = why;
            }
            error
        };
        let template = env.get_template(name).map_err(|e| error(&e))?;
        let mut out = Capped::new(self.output_limit);
        match template.render_captured_to(Value::from(Serde(context)), &mut out) {
            Ok(_) => String::from_utf8(out.bytes).map_err(|_| TemplateError {
                template: name.to_string(),
                path: self.shown_path(name).filter(|_| self.is_override(name)),
                line: None,
                message: "the output is not UTF-8 text".into(),
            }),
            Err(e) => {
                let mut error = error(&e);
                if out.overflowed {
                    error.message = format!(
                        "the output is larger than {}, the most sopc writes for one template; look for a loop that repeats without end",
                        read::size(self.output_limit as u64)
                    );
                }
                Err(error)
            }
        }
    }

    fn is_override(&self, name: &str) -> bool {
        matches!(self.override_file(name), Ok(Some(_)) | Err(_))
    }

    /// The error of a render, said for the person who wrote the template: the file and line,
    /// the value, filter or syntax at fault, the closest name when one is close (`fields` gives
    /// the names of the context's fields, asked only for an undefined value), where the fields
    /// are listed.
    fn error(
        &self,
        requested: &str,
        e: &minijinja::Error,
        fields: &dyn Fn() -> Vec<String>,
    ) -> TemplateError {
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
        let message = if e.kind() == ErrorKind::OutOfFuel || at.kind() == ErrorKind::OutOfFuel {
            format!(
                "the template does too much work (more than {} units of fuel); look for loops nested too deep or repeating without end",
                self.fuel
            )
        } else {
            let source = self.load(&template).ok().flatten();
            explain(at, source.as_deref(), fields)
        };
        TemplateError {
            path: self
                .shown_path(&template)
                .filter(|_| self.is_override(&template)),
            line: at.line(),
            template,
            message,
        }
    }

    /// The environment of one render; the loader records in `refused` why it refused a file.
    fn environment(&self, lang: Lang, refused: &Refused) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // An error then names the undefined value (`stage.ownr`) and the failing expression's
        // place; it costs nothing until a render fails.
        env.set_debug(true);
        env.set_fuel(Some(self.fuel));
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
        let refused = Arc::clone(refused);
        env.set_loader(move |name| {
            this.load(name).map_err(|message| {
                if let Ok(mut r) = refused.lock() {
                    r.get_or_insert(message.clone());
                }
                minijinja::Error::new(ErrorKind::InvalidOperation, message)
            })
        });
        add_filters(&mut env, lang);
        env
    }
}

/// Where a template's author finds what the templates can use.
const FIELDS_HELP: &str =
    "the fields each template sees are listed in docs/build.md, \"What templates see\"";

/// The filters a template can use: minijinja's own and sopc's (see [`add_filters`]).
const FILTERS: &[&str] = &[
    "abs",
    "attr",
    "batch",
    "bool",
    "capitalize",
    "chain",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "first",
    "float",
    "format",
    "groupby",
    "indent",
    "int",
    "items",
    "join",
    "last",
    "length",
    "lines",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "reject",
    "rejectattr",
    "replace",
    "reverse",
    "round",
    "safe",
    "select",
    "selectattr",
    "slice",
    "sort",
    "split",
    "string",
    "sum",
    "title",
    "trim",
    "unique",
    "upper",
    "zip",
    "md",
    "md_cell",
    "md_text",
    "md_quote",
    "md_link",
    "anchor",
    "number",
    "cmp",
    "css_string",
    "cadence",
    "when",
    "duration",
    "period",
    "kind",
];

/// What went wrong at `e`, a message with a help line: the undefined value or unknown filter by
/// name with the closest known one, the syntax error with the template's line. `source` is the
/// template's text, when it can be read.
fn explain(e: &minijinja::Error, source: Option<&str>, fields: &dyn Fn() -> Vec<String>) -> String {
    // The text of the failing expression, on one line.
    let expr = e
        .range()
        .zip(source)
        .and_then(|(r, src)| src.get(r))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    let line_text = e
        .line()
        .zip(source)
        .and_then(|(n, src)| src.lines().nth(n - 1))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let quoted = |t: &str| crate::text::visible(&shorten(t)).into_owned();
    let named = e.detail().and_then(backticked);
    match e.kind() {
        ErrorKind::UndefinedError => {
            let name = named.or(expr.clone());
            let Some(name) = name else {
                return format!("undefined value\nhelp: {FIELDS_HELP}");
            };
            let (parent, field) = match name.rsplit_once('.') {
                Some((p, f)) => (Some(p), f),
                None => (None, name.as_str()),
            };
            let names = fields();
            let close =
                crate::suggest::did_you_mean(field, names.iter().map(String::as_str)).map(|f| {
                    match parent {
                        Some(p) => format!("{p}.{f}"),
                        None => f,
                    }
                });
            let mut out = format!("undefined value `{}`", quoted(&name));
            if let Some(line) = line_text {
                out.push_str(&format!(" in `{}`", quoted(line)));
            }
            match close {
                Some(c) => out.push_str(&format!(
                    "\nhelp: did you mean `{}`? {FIELDS_HELP}",
                    quoted(&c)
                )),
                None => out.push_str(&format!("\nhelp: {FIELDS_HELP}")),
            }
            out
        }
        ErrorKind::UnknownFilter => {
            let name = expr
                .or_else(|| {
                    e.detail()
                        .and_then(|d| d.strip_prefix("filter "))
                        .and_then(|d| d.strip_suffix(" is unknown"))
                        .map(str::to_string)
                })
                .unwrap_or_default();
            let mut out = format!("unknown filter `{}`", quoted(&name));
            if let Some(line) = line_text {
                out.push_str(&format!(" in `{}`", quoted(line)));
            }
            match crate::suggest::did_you_mean(&name, FILTERS.iter().copied()) {
                Some(c) => out.push_str(&format!(
                    "\nhelp: did you mean `{c}`? the filters are minijinja's own and those listed in docs/build.md"
                )),
                None => out.push_str(
                    "\nhelp: the filters are minijinja's own and those listed in docs/build.md",
                ),
            }
            out
        }
        ErrorKind::SyntaxError => {
            let mut out = format!(
                "syntax error: {}",
                crate::text::visible(e.detail().unwrap_or("the template does not parse"))
            );
            if let Some(line) = line_text {
                out.push_str(&format!(" in `{}`", quoted(line)));
            }
            out
        }
        kind => {
            let mut out = match e.detail() {
                Some(d) => format!("{kind}: {}", crate::text::visible(d)),
                None => kind.to_string(),
            };
            if let Some(x) = expr {
                out.push_str(&format!(" in `{}`", quoted(&x)));
            }
            out
        }
    }
}

/// The first text between backticks of `detail` (minijinja's "`stage.ownr` is undefined").
fn backticked(detail: &str) -> Option<String> {
    let (_, rest) = detail.split_once('`')?;
    let (name, _) = rest.split_once('`')?;
    (!name.is_empty()).then(|| name.to_string())
}

/// At most 80 characters of `text`, an ellipsis standing for the rest.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 80 {
        return text.to_string();
    }
    let mut out: String = text.chars().take(79).collect();
    out.push('…');
    out
}

/// Every key of an object anywhere in `context`, once each, sorted: the names a template's
/// author may have meant.
fn field_names<C: Serialize>(context: &C) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut stack = match serde_json::to_value(context) {
        Ok(v) => vec![v],
        Err(_) => return Vec::new(),
    };
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    stack.push(v);
                    out.insert(k);
                }
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out.into_iter().collect()
}

/// Why the loader refused a template file, if it did: the message to show as it is.
type Refused = Arc<Mutex<Option<String>>>;

/// A relative path of plain names: no `..`, no root.
fn plain(name: &str) -> bool {
    !name.is_empty()
        && Path::new(name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// A buffer that refuses to grow past a limit: the render fails instead of exhausting memory.
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
    overflowed: bool,
}

impl Capped {
    fn new(limit: usize) -> Self {
        Capped {
            bytes: Vec::new(),
            limit,
            overflowed: false,
        }
    }
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            self.overflowed = true;
            return Err(std::io::Error::other("output too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn add_filters(env: &mut Environment<'static>, lang: Lang) {
    env.add_filter("md", |s: String| escape::md_inline(&s));
    env.add_filter("md_cell", |s: String| escape::md_cell(&s));
    env.add_filter("md_text", |s: String| escape::md_text(&s));
    env.add_filter("md_quote", |s: String| md_quote(&s));
    env.add_filter("md_link", |s: String| escape::md_link(&s));
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

/// A long text as a Markdown block quote that keeps its line breaks, as the HTML handbook shows
/// it (a box with a rule on the left, `white-space: pre-line`): each line a hard break,
/// paragraphs kept apart.
fn md_quote(s: &str) -> String {
    let text = escape::md_text(s.trim_matches('\n'));
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim().is_empty() {
            out.push('>');
            continue;
        }
        out.push_str("> ");
        out.push_str(line);
        let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
        if !next_blank {
            out.push('\\');
        }
    }
    out
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
    fn a_quote_keeps_its_lines() {
        assert_eq!(
            md_quote("one\ntwo\n\nthree\n"),
            "> one\\\n> two\n>\n> three"
        );
        assert_eq!(md_quote("<b>"), "> &lt;b>");
    }

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
