//! The site of a repository of SOPs: when one build renders several documents, `index.html`
//! lists them all (owner, review cadence and date, size, links to each handbook and its
//! checklists), and `roles/ROLE.html` gathers, for one role id, everything it owns, does, must
//! learn and is measured on in every SOP: the onboarding packet of a new hire.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{PlanItem, training_order};
use super::labels::{self, Labels, Lang, SiteLabels};
use super::output::Output;
use super::templates::{TemplateError, Templates, anchor};
use super::view::{
    DocumentView, DurationView, FeedbackView, KpiView, RefView, RoleView, StageView, TaskView,
};

/// One document of the site: its output name (`sales`, or `sales-en/sales` beside another
/// `sales`) and its view.
#[derive(Debug, Clone, Copy)]
pub struct SiteDocument<'a> {
    /// The output name, relative to the site's root and without suffix: `sales`,
    /// `sales-en/sales`.
    pub name: &'a str,
    /// The document's view, as `NAME.json` holds it.
    pub view: &'a DocumentView,
    /// Whether the SOP's review is overdue on the build's today (as `review-overdue` judges it);
    /// `None` without both `review` and `reviewed`.
    pub overdue: Option<bool>,
}

fn words(lang: Lang) -> &'static SiteLabels {
    lang.site_labels()
}

/// When the SOP was last reviewed (`YYYY-MM-DD`, the header's `reviewed`); `None` without one.
pub fn reviewed(doc: &DocumentView) -> Option<String> {
    doc.sop.reviewed.clone()
}

/// One SOP in the index.
#[derive(Debug, Clone, Serialize)]
pub struct SopEntry {
    pub name: String,
    pub title: String,
    pub version: Option<String>,
    pub owner: Option<RefView>,
    /// The cadence, in words of the site's language.
    pub review: Option<String>,
    pub reviewed: Option<String>,
    pub overdue: Option<bool>,
    pub stages: usize,
    pub tasks: usize,
    pub roles: usize,
    /// Links, relative to the site's root. Made of output names only (letters, digits, `-`, `_`,
    /// `.`, `/`), so templates write them unescaped.
    pub handbook: String,
    pub handbook_md: String,
    /// The first HTML checklist; `None` when the document has no checklist.
    pub checklists: Option<String>,
    /// Every HTML checklist, stages first, in the order of `NAME.checklists/README.md`.
    pub checklist_pages: Vec<ChecklistLink>,
}

/// One role page in the index.
#[derive(Debug, Clone, Serialize)]
pub struct RoleEntry {
    pub id: String,
    /// The role's titles, as the SOPs call it, without repeats.
    pub titles: Vec<String>,
    pub file: String,
    pub sops: usize,
}

#[derive(Debug, Clone, Serialize)]
struct IndexContext<'a> {
    lang: &'static str,
    html_lang: &'static str,
    labels: &'static Labels,
    words: &'static SiteLabels,
    sops: &'a [SopEntry],
    roles: &'a [RoleEntry],
}

/// One HTML checklist of an SOP, as the index links it.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistLink {
    /// `stage` or `role`.
    pub kind: &'static str,
    pub title: String,
    /// The link from the site's root.
    pub file: String,
}

/// What one role is in one SOP, in the SOP's language: the words a filter would give in the
/// page's language are given here in the SOP's (`sla`, `due`, `when_words`, ...).
#[derive(Debug, Clone, Serialize)]
pub struct RoleInSop {
    pub sop: String,
    /// The SOP's language: `en` or `zh`, and as `<section lang=..>` wants it.
    pub lang: &'static str,
    pub html_lang: &'static str,
    /// The link to the SOP's handbook, relative to the role page, and to the role in it.
    pub handbook: String,
    pub labels: &'static Labels,
    /// The site's words in the SOP's language.
    pub words: &'static SiteLabels,
    pub role: RoleView,
    /// Each stage it owns with its pipeline's title and its `sla` in words.
    pub stages: Vec<(String, StageView, Option<String>)>,
    /// Each task it owns (its own, or its stage's) with its stage's title and its `due` in words.
    pub tasks: Vec<(String, TaskView, Option<String>)>,
    pub trainings: Vec<Learn>,
    pub kpis: Vec<Measured>,
    pub feedback: Vec<Session>,
}

/// A training to take, with its `when` and `duration` in the SOP's words.
#[derive(Debug, Clone, Serialize)]
pub struct Learn {
    #[serde(flatten)]
    pub item: PlanItem,
    pub when_words: Option<String>,
    pub duration_words: Option<String>,
}

/// A kpi the role owns, with its target's `per` and its `review` in the SOP's words.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    #[serde(flatten)]
    pub kpi: KpiView,
    pub per_words: Option<String>,
    pub review_words: Option<String>,
}

/// A feedback session the role runs or joins, with its `cadence` in the SOP's words.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    #[serde(flatten)]
    pub feedback: FeedbackView,
    pub cadence_words: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct RoleContext<'a> {
    lang: &'static str,
    html_lang: &'static str,
    labels: &'static Labels,
    words: &'static SiteLabels,
    id: &'a str,
    title: &'a str,
    index: &'static str,
    sops: &'a [RoleInSop],
}

/// The link from the site's root to `name`'s file `suffix` (`.handbook.html`). Output names
/// hold only letters, digits, `-`, `_`, `.` and `/` between folders, so they need no escaping
/// in a URL path.
fn link(name: &str, suffix: &str) -> String {
    format!("{name}{suffix}")
}

/// The index entries of `docs`.
pub fn entries(docs: &[SiteDocument]) -> Vec<SopEntry> {
    docs.iter()
        .map(|d| {
            let v = d.view;
            let reviewed = reviewed(v);
            let stages = v.pipelines.iter().map(|p| p.stages.len()).sum();
            let tasks = (v.pipelines.iter())
                .flat_map(|p| &p.stages)
                .map(|s| s.tasks.len())
                .sum();
            let lists = super::checklists(v);
            let checklist_pages: Vec<ChecklistLink> = ["stage", "role"]
                .iter()
                .flat_map(|&kind| lists.iter().filter(move |c| c.kind == kind))
                .map(|c| ChecklistLink {
                    kind: c.kind,
                    title: c.title.clone(),
                    file: link(d.name, &format!(".checklists/{}.html", c.file)),
                })
                .collect();
            SopEntry {
                name: d.name.to_string(),
                title: v.sop.title.clone(),
                version: v.sop.version.clone(),
                owner: v.sop.owner.clone(),
                review: v.sop.review.clone(),
                overdue: d.overdue,
                reviewed,
                stages,
                tasks,
                roles: v.roles.len(),
                handbook: link(d.name, ".handbook.html"),
                handbook_md: link(d.name, ".handbook.md"),
                checklists: checklist_pages.first().map(|c| c.file.clone()),
                checklist_pages,
            }
        })
        .collect()
}

/// Role `role` in document `d`, seen from `roles/ROLE.html`.
fn role_in(d: &SiteDocument, role: &RoleView) -> RoleInSop {
    let v = d.view;
    let lang = v.lang;
    let mut stages = Vec::new();
    let mut tasks = Vec::new();
    let duration = |d: &Option<DurationView>| d.as_ref().map(|d| labels::duration(lang, &d.text));
    for p in &v.pipelines {
        for s in &p.stages {
            if s.owner.as_ref().is_some_and(|o| o.id == role.id) {
                stages.push((p.title.clone(), s.clone(), duration(&s.sla)));
            }
            for t in &s.tasks {
                if t.owner.as_ref().is_some_and(|o| o.id == role.id) {
                    tasks.push((s.title.clone(), t.clone(), duration(&t.due)));
                }
            }
        }
    }
    let owned = |o: &Option<RefView>| o.as_ref().is_some_and(|o| o.id == role.id);
    let trainings = training_order(v, &role.id)
        .into_iter()
        .map(|item| Learn {
            when_words: (item.training.when.as_deref()).map(|w| labels::training_when(lang, w)),
            duration_words: duration(&item.training.duration),
            item,
        })
        .collect();
    let kpis = (v.kpis.iter())
        .filter(|k| owned(&k.owner))
        .map(|k| Measured {
            per_words: (k.target.as_ref())
                .and_then(|t| t.per.as_deref())
                .map(|p| labels::period(lang, p)),
            review_words: k.review.as_deref().map(|c| labels::cadence(lang, c)),
            kpi: k.clone(),
        })
        .collect();
    let feedback = (v.feedback.iter())
        .filter(|f| owned(&f.owner) || f.with.iter().any(|w| w.id == role.id))
        .map(|f| Session {
            cadence_words: f.cadence.as_deref().map(|c| labels::cadence(lang, c)),
            feedback: f.clone(),
        })
        .collect();
    RoleInSop {
        sop: v.sop.title.clone(),
        lang: lang.code(),
        html_lang: lang.html_code(),
        handbook: format!(
            "../{}#role-{}",
            link(d.name, ".handbook.html"),
            anchor(role.id.clone())
        ),
        labels: lang.labels(),
        words: words(lang),
        role: role.clone(),
        stages,
        tasks,
        trainings,
        kpis,
        feedback,
    }
}

/// `index.html` and one `roles/ROLE.html` per role id met in `docs`, in the language of the
/// first document.
pub fn render_site(
    docs: &[SiteDocument],
    templates: &Templates,
) -> Result<Vec<Output>, TemplateError> {
    let Some(first) = docs.first() else {
        return Ok(Vec::new());
    };
    let lang = first.view.lang;
    let sops = entries(docs);
    // Role ids in order of first appearance (documents by name, roles as declared).
    let mut by_role: BTreeMap<&str, Vec<RoleInSop>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for d in docs {
        for r in &d.view.roles {
            let list = by_role.entry(r.id.as_str()).or_default();
            if list.is_empty() {
                order.push(r.id.as_str());
            }
            list.push(role_in(d, r));
        }
    }
    let mut roles = Vec::new();
    let mut out = Vec::new();
    for id in order {
        let list = &by_role[id];
        let mut titles: Vec<String> = Vec::new();
        for r in list {
            if !titles.contains(&r.role.title) {
                titles.push(r.role.title.clone());
            }
        }
        let file = format!("roles/{}.html", anchor(id.to_string()));
        let page_lang = (docs.iter())
            .find(|d| d.view.roles.iter().any(|r| r.id == id))
            .map_or(lang, |d| d.view.lang);
        let cx = RoleContext {
            lang: page_lang.code(),
            html_lang: page_lang.html_code(),
            labels: page_lang.labels(),
            words: words(page_lang),
            id,
            title: &titles[0],
            index: "../index.html",
            sops: list,
        };
        let text = templates.render("site-role.html", page_lang, &cx)?;
        out.push(Output::new(file.clone(), text));
        roles.push(RoleEntry {
            id: id.to_string(),
            titles,
            file,
            sops: list.len(),
        });
    }
    let cx = IndexContext {
        lang: lang.code(),
        html_lang: lang.html_code(),
        labels: lang.labels(),
        words: words(lang),
        sops: &sops,
        roles: &roles,
    };
    let text = templates.render("site-index.html", lang, &cx)?;
    out.push(Output::new("index.html", text));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
