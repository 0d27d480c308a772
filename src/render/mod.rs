//! Rendering: a resolved model becomes a typed [`DocumentView`], and renderers turn that view into
//! output files: `NAME.json`, the handbook in Markdown and HTML, and the checklists. Templates are
//! minijinja files embedded in the binary ([`Templates`]). Nothing here writes to disk or prints.

mod context;
pub mod escape;
mod from_model;
pub mod graph;
pub mod labels;
pub mod layout;
mod output;
mod site;
pub mod svg;
mod templates;
mod view;

use std::path::PathBuf;

pub use context::{
    Checklist, ChecklistContext, ChecklistIndexContext, HandbookContext, checklists, training_order,
};
pub use labels::Lang;
pub use output::Output;
pub use site::{SiteDocument, render_site};
pub use templates::{EMBEDDED, FUEL, OUTPUT_LIMIT, TemplateDirError, TemplateError, Templates};
pub use view::*;

/// Turns a document into output files.
pub trait Renderer {
    /// The files for the document called `name` (the file stem of its source).
    fn render(&self, doc: &DocumentView, name: &str) -> Result<Vec<Output>, TemplateError>;
}

/// `NAME.json`: the view itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn render(&self, doc: &DocumentView, name: &str) -> Result<Vec<Output>, TemplateError> {
        Ok(vec![Output::new(format!("{name}.json"), to_json(doc))])
    }
}

/// The document as pretty-printed JSON with a final newline.
pub fn to_json(doc: &DocumentView) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("the view serializes");
    text.push('\n');
    text
}

/// The JSON Schema of `NAME.json`, generated from [`DocumentView`].
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(DocumentView);
    let mut text = serde_json::to_string_pretty(&schema).expect("the schema serializes");
    text.push('\n');
    text
}

/// `NAME.handbook.md` and `NAME.handbook.html`.
#[derive(Debug, Clone)]
pub struct HandbookRenderer<'t> {
    /// The templates to render with: the embedded ones, some replaced from `--templates`.
    pub templates: &'t Templates,
}

impl Renderer for HandbookRenderer<'_> {
    fn render(&self, doc: &DocumentView, name: &str) -> Result<Vec<Output>, TemplateError> {
        let lists = checklists(doc);
        let cx = HandbookContext::new(doc, name, &lists);
        let mut out = Vec::new();
        for ext in ["md", "html"] {
            let text = self
                .templates
                .render(&format!("handbook.{ext}"), doc.lang, &cx)?;
            out.push(Output::new(format!("{name}.handbook.{ext}"), text));
        }
        Ok(out)
    }
}

/// `NAME.checklists/`: one Markdown and one HTML checklist per stage and per role, and a
/// `README.md` listing them.
#[derive(Debug, Clone)]
pub struct ChecklistRenderer<'t> {
    /// The templates to render with: the embedded ones, some replaced from `--templates`.
    pub templates: &'t Templates,
}

impl Renderer for ChecklistRenderer<'_> {
    fn render(&self, doc: &DocumentView, name: &str) -> Result<Vec<Output>, TemplateError> {
        let dir = PathBuf::from(format!("{name}.checklists"));
        let lists = checklists(doc);
        let mut out = Vec::new();
        let index = ChecklistIndexContext::new(doc, name, &lists);
        let text = self.templates.render("checklists.md", doc.lang, &index)?;
        out.push(Output::new(dir.join("README.md"), text));
        let doc_value = minijinja::Value::from(minijinja::value::Serde(doc));
        for list in &lists {
            let cx = ChecklistContext::new(doc, &doc_value, name, list);
            for ext in ["md", "html"] {
                let text = self
                    .templates
                    .render(&format!("checklist.{ext}"), doc.lang, &cx)?;
                out.push(Output::new(dir.join(format!("{}.{ext}", list.file)), text));
            }
        }
        Ok(out)
    }
}

/// Every output of one document, sorted by path.
pub fn render_document(
    doc: &DocumentView,
    name: &str,
    templates: &Templates,
) -> Result<Vec<Output>, TemplateError> {
    let renderers: [&dyn Renderer; 3] = [
        &JsonRenderer,
        &HandbookRenderer { templates },
        &ChecklistRenderer { templates },
    ];
    let mut out = Vec::new();
    for r in renderers {
        out.extend(r.render(doc, name)?);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
