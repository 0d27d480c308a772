//! What the templates see: the document view plus what the documents derive from it (labels, the
//! diagrams, each role's training plan in order, the checklists).

use serde::Serialize;

use super::labels::{Labels, Lang};
use super::templates::anchor;
use super::view::{DocumentView, DurationView, PipelineView, RefView, TrainingView};
use super::{graph, svg};

/// The context of `handbook.md` and `handbook.html`.
#[derive(Debug, Clone, Serialize)]
pub struct HandbookContext<'a> {
    /// The document as the templates read it.
    pub doc: &'a DocumentView,
    /// The headings and words of the document's language.
    pub labels: &'static Labels,
    /// `en` or `zh`.
    pub lang: &'static str,
    /// For `<html lang>`: `en` or `zh-CN`.
    pub html_lang: &'static str,
    /// The output name: `NAME` of `NAME.handbook.md`.
    pub name: &'a str,
    /// One per pipeline, in order.
    pub diagrams: Vec<Diagram>,
    /// One per role, in declaration order.
    pub training_plan: Vec<RolePlan>,
    /// The document's checklists, to list and link from the handbook.
    pub checklists: &'a [Checklist],
}

/// A pipeline's diagram in both forms.
#[derive(Debug, Clone, Serialize)]
pub struct Diagram {
    pub pipeline: String,
    pub mermaid: String,
    /// An `<svg>` element; every text in it is escaped already.
    pub svg: String,
    /// For a picture taller than a printed page: `<svg>` elements showing it a page at a time.
    pub slices: Vec<String>,
}

/// The trainings one role takes, in the order to take them.
#[derive(Debug, Clone, Serialize)]
pub struct RolePlan {
    pub role: RefView,
    pub trainings: Vec<PlanItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    pub training: TrainingView,
    /// Not `for` the role, but a prerequisite of a training that is.
    pub prerequisite_only: bool,
}

/// The context of `checklist.md` and `checklist.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistContext<'a> {
    /// The document, made a template value once for all the checklists: serialising it again
    /// for each would make a pipeline's checklists cost stages².
    pub doc: minijinja::Value,
    /// The headings and words of the document's language.
    pub labels: &'static Labels,
    /// `en` or `zh`.
    pub lang: &'static str,
    /// For `<html lang>`: `en` or `zh-CN`.
    pub html_lang: &'static str,
    /// The output name: `NAME` of `NAME.checklists/`.
    pub name: &'a str,
    /// The checklist this page shows.
    pub checklist: &'a Checklist,
    /// The label of the row naming a stage's pipeline.
    pub pipeline_label: &'static str,
}

/// The context of `checklists.md`, the index of a document's checklists.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistIndexContext<'a> {
    /// The document as the templates read it.
    pub doc: &'a DocumentView,
    /// The headings and words of the document's language.
    pub labels: &'static Labels,
    /// `en` or `zh`.
    pub lang: &'static str,
    /// The output name: `NAME` of `NAME.checklists/`.
    pub name: &'a str,
    /// Every checklist of the document, stages first (in document order), then roles.
    pub checklists: &'a [Checklist],
}

/// One checklist: for a stage, or for a role.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    /// `stage` or `role`.
    pub kind: &'static str,
    /// The file name without extension, inside `NAME.checklists/`.
    pub file: String,
    /// The stage's or role's id (qualified for a stage).
    pub id: String,
    /// The stage's or role's title, the checklist's heading.
    pub title: String,
    /// The stage's pipeline, for a stage.
    pub pipeline: Option<RefView>,
    /// For a stage: the word for one item going through its pipeline (see `case_word`), the
    /// label of the field to write which one the checklist is for.
    pub case: Option<String>,
    /// The stage's `owner`, for a stage; `None` for a role.
    pub owner: Option<RefView>,
    /// The stage's `sla`, for a stage; `None` for a role.
    pub sla: Option<DurationView>,
    /// The groups of items: a stage's entry criteria, tasks and exit criteria; a role's tasks per
    /// stage and trainings. Never empty.
    pub sections: Vec<ChecklistSection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistSection {
    pub heading: String,
    pub items: Vec<ChecklistItem>,
}

/// `- [ ] task — due 24h — done when ...`
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    pub text: String,
    pub due: Option<String>,
    pub done_when: Option<String>,
    /// For a training: how it is assessed.
    pub assessment: Option<String>,
    pub owner: Option<RefView>,
}

impl<'a> HandbookContext<'a> {
    /// Derives the handbook's diagrams and training plans from `doc`.
    pub fn new(doc: &'a DocumentView, name: &'a str, checklists: &'a [Checklist]) -> Self {
        HandbookContext {
            doc,
            labels: doc.lang.labels(),
            lang: doc.lang.code(),
            html_lang: doc.lang.html_code(),
            name,
            diagrams: (doc.pipelines.iter().enumerate())
                .map(|(i, p)| {
                    let drawing = svg::drawing(p, i + 1);
                    Diagram {
                        pipeline: p.id.clone(),
                        mermaid: graph::mermaid(std::slice::from_ref(p)),
                        svg: drawing.svg,
                        slices: drawing.slices,
                    }
                })
                .collect(),
            training_plan: doc
                .roles
                .iter()
                .map(|r| RolePlan {
                    role: RefView {
                        id: r.id.clone(),
                        title: r.title.clone(),
                    },
                    trainings: training_order(doc, &r.id),
                })
                .collect(),
            checklists,
        }
    }
}

/// The trainings `for` a role and, before each, its prerequisites: a topological order that
/// puts `new_hire` trainings first and otherwise keeps declaration order.
pub fn training_order(doc: &DocumentView, role: &str) -> Vec<PlanItem> {
    let index = |id: &str| doc.trainings.iter().position(|t| t.id == id);
    let direct: Vec<usize> = (0..doc.trainings.len())
        .filter(|&i| doc.trainings[i].for_roles.iter().any(|r| r.id == role))
        .collect();
    // Everything needed: the direct trainings and their prerequisites, transitively.
    let mut needed = vec![false; doc.trainings.len()];
    let mut todo = direct.clone();
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut needed[i], true) {
            continue;
        }
        todo.extend(
            doc.trainings[i]
                .requires
                .iter()
                .filter_map(|r| index(&r.id)),
        );
    }
    let mut done = vec![false; doc.trainings.len()];
    let mut order = Vec::new();
    loop {
        let ready = (0..doc.trainings.len())
            .filter(|&i| needed[i] && !done[i])
            .filter(|&i| {
                (doc.trainings[i].requires.iter())
                    .filter_map(|r| index(&r.id))
                    .all(|p| done[p] || !needed[p])
            })
            .min_by_key(|&i| (doc.trainings[i].when.as_deref() != Some("new_hire"), i));
        // A cycle (only when `training-cycle` is turned off): the rest in declaration order.
        let next = ready.or_else(|| (0..doc.trainings.len()).find(|&i| needed[i] && !done[i]));
        let Some(i) = next else { break };
        done[i] = true;
        order.push(PlanItem {
            training: doc.trainings[i].clone(),
            prerequisite_only: !direct.contains(&i),
        });
    }
    order
}

/// The word for one item going through pipeline `p` (a deal, a ticket, a guest's order), as a
/// stage checklist's field to fill in: the pipeline's `case`, else the language's default, `case` or `事项`.
pub fn case_word(p: &PipelineView, lang: Lang) -> String {
    if let Some(word) = &p.case {
        return word.clone();
    }
    match lang {
        Lang::En => "case",
        Lang::Zh => "事项",
    }
    .to_string()
}

/// The label of a stage checklist's row naming its pipeline.
fn pipeline_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Pipeline",
        Lang::Zh => "流程",
    }
}

fn item_for_task(t: &super::view::TaskView) -> ChecklistItem {
    ChecklistItem {
        text: t.title.clone(),
        due: t.due.as_ref().map(|d| d.text.clone()),
        done_when: t.done_when.clone(),
        assessment: None,
        owner: t.owner.clone(),
    }
}

fn criterion(text: &str) -> ChecklistItem {
    ChecklistItem {
        text: text.to_string(),
        due: None,
        done_when: None,
        assessment: None,
        owner: None,
    }
}

/// One checklist per stage and per role, leaving out those with nothing to tick (an end stage
/// without tasks, a role that owns nothing and takes no training). Stage checklists are numbered
/// in document order, without gaps for the stages left out.
pub fn checklists(doc: &DocumentView) -> Vec<Checklist> {
    let labels = doc.lang.labels();
    let mut out = Vec::new();
    let mut n = 0;
    for p in &doc.pipelines {
        for s in &p.stages {
            let mut sections = Vec::new();
            let mut push = |heading: &str, items: Vec<ChecklistItem>| {
                if !items.is_empty() {
                    sections.push(ChecklistSection {
                        heading: heading.to_string(),
                        items,
                    });
                }
            };
            push(
                labels.before_starting,
                s.entry.iter().map(|e| criterion(e)).collect(),
            );
            push(labels.tasks, s.tasks.iter().map(item_for_task).collect());
            push(
                labels.before_leaving,
                s.exit.iter().map(|e| criterion(e)).collect(),
            );
            if sections.is_empty() {
                continue;
            }
            n += 1;
            out.push(Checklist {
                kind: "stage",
                file: format!("stage-{n:02}-{}", anchor(s.local_id.clone())),
                id: s.id.clone(),
                title: s.title.clone(),
                pipeline: Some(RefView {
                    id: p.id.clone(),
                    title: p.title.clone(),
                }),
                case: Some(case_word(p, doc.lang)),
                owner: s.owner.clone(),
                sla: s.sla.clone(),
                sections,
            });
        }
    }
    for r in &doc.roles {
        let mut sections = Vec::new();
        for p in &doc.pipelines {
            for s in &p.stages {
                let items: Vec<ChecklistItem> = (s.tasks.iter())
                    .filter(|t| t.owner.as_ref().is_some_and(|o| o.id == r.id))
                    .map(item_for_task)
                    .collect();
                if !items.is_empty() {
                    sections.push(ChecklistSection {
                        heading: format!("{}: {}", labels.stage, s.title),
                        items,
                    });
                }
            }
        }
        let trainings: Vec<ChecklistItem> = training_order(doc, &r.id)
            .into_iter()
            .map(|p| ChecklistItem {
                text: p.training.title.clone(),
                due: None,
                done_when: None,
                assessment: p.training.assessment.clone(),
                owner: None,
            })
            .collect();
        if !trainings.is_empty() {
            sections.push(ChecklistSection {
                heading: labels.trainings_to_complete.to_string(),
                items: trainings,
            });
        }
        if sections.is_empty() {
            continue;
        }
        out.push(Checklist {
            kind: "role",
            file: format!("role-{}", anchor(r.id.clone())),
            id: r.id.clone(),
            title: r.title.clone(),
            pipeline: None,
            case: None,
            owner: None,
            sla: None,
            sections,
        });
    }
    out
}

impl<'a> ChecklistContext<'a> {
    /// `doc_value` is `doc` as a template value, made once.
    pub fn new(
        doc: &'a DocumentView,
        doc_value: &minijinja::Value,
        name: &'a str,
        checklist: &'a Checklist,
    ) -> Self {
        ChecklistContext {
            doc: doc_value.clone(),
            labels: doc.lang.labels(),
            lang: doc.lang.code(),
            html_lang: doc.lang.html_code(),
            name,
            checklist,
            pipeline_label: pipeline_label(doc.lang),
        }
    }
}

impl<'a> ChecklistIndexContext<'a> {
    /// The index page of `checklists`, the checklists of `doc`.
    pub fn new(doc: &'a DocumentView, name: &'a str, checklists: &'a [Checklist]) -> Self {
        ChecklistIndexContext {
            doc,
            labels: doc.lang.labels(),
            lang: doc.lang.code(),
            name,
            checklists,
        }
    }
}
