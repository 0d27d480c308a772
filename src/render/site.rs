//! The site of a repository of SOPs: when one build renders several documents, `index.html`
//! lists them all (owner, review cadence and date, size, links to each handbook and its
//! checklists), and `roles/ROLE.html` gathers, for one role id, everything it owns, does, must
//! learn and is measured on in every SOP: the onboarding packet of a new hire.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{PlanItem, training_order};
use super::labels::{Labels, Lang};
use super::output::Output;
use super::templates::{TemplateError, Templates, anchor};
use super::view::{DocumentView, FeedbackView, KpiView, RefView, RoleView, StageView, TaskView};

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

/// The words of the site pages that the handbook does not have.
#[derive(Debug, Clone, Serialize)]
pub struct SiteWords {
    pub sops: &'static str,
    pub sop: &'static str,
    pub reviewed: &'static str,
    pub overdue: &'static str,
    pub on_time: &'static str,
    pub unknown: &'static str,
    pub handbook_html: &'static str,
    pub handbook_md: &'static str,
    pub onboarding: &'static str,
    pub role_pages: &'static str,
    pub in_sops: &'static str,
    pub does: &'static str,
    pub learns: &'static str,
    pub measured_on: &'static str,
    pub runs: &'static str,
}

const EN: SiteWords = SiteWords {
    sops: "Standard operating procedures",
    sop: "SOP",
    reviewed: "Last reviewed",
    overdue: "review overdue",
    on_time: "on time",
    unknown: "not recorded",
    handbook_html: "handbook",
    handbook_md: "Markdown",
    onboarding: "Onboarding packet",
    role_pages: "Roles across all SOPs",
    in_sops: "SOPs",
    does: "What this role does",
    learns: "What to learn, in order",
    measured_on: "Measured on",
    runs: "Runs",
};

const ZH: SiteWords = SiteWords {
    sops: "标准操作流程",
    sop: "SOP",
    reviewed: "上次复审",
    overdue: "复审已逾期",
    on_time: "按期",
    unknown: "未记录",
    handbook_html: "手册",
    handbook_md: "Markdown",
    onboarding: "入职资料",
    role_pages: "各角色(汇总所有 SOP)",
    in_sops: "SOP 数",
    does: "本角色要做的事",
    learns: "培训(按顺序)",
    measured_on: "考核指标",
    runs: "主持",
};

fn words(lang: Lang) -> &'static SiteWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
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
    /// `None` when the document has no checklist.
    pub checklists: Option<String>,
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
    words: &'static SiteWords,
    sops: &'a [SopEntry],
    roles: &'a [RoleEntry],
}

/// What one role is in one SOP.
#[derive(Debug, Clone, Serialize)]
pub struct RoleInSop {
    pub sop: String,
    /// The link to the SOP's handbook, relative to the role page, and to the role in it.
    pub handbook: String,
    pub labels: &'static Labels,
    pub role: RoleView,
    /// Each stage it owns with its pipeline's title.
    pub stages: Vec<(String, StageView)>,
    /// Each task it owns (its own, or its stage's) with its stage's title.
    pub tasks: Vec<(String, TaskView)>,
    pub trainings: Vec<PlanItem>,
    pub kpis: Vec<KpiView>,
    pub feedback: Vec<FeedbackView>,
}

#[derive(Debug, Clone, Serialize)]
struct RoleContext<'a> {
    lang: &'static str,
    html_lang: &'static str,
    labels: &'static Labels,
    words: &'static SiteWords,
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
                checklists: (!super::checklists(v).is_empty())
                    .then(|| link(d.name, ".checklists/README.md")),
            }
        })
        .collect()
}

/// Role `role` in document `d`, seen from `roles/ROLE.html`.
fn role_in(d: &SiteDocument, role: &RoleView) -> RoleInSop {
    let v = d.view;
    let mut stages = Vec::new();
    let mut tasks = Vec::new();
    for p in &v.pipelines {
        for s in &p.stages {
            if s.owner.as_ref().is_some_and(|o| o.id == role.id) {
                stages.push((p.title.clone(), s.clone()));
            }
            for t in &s.tasks {
                if t.owner.as_ref().is_some_and(|o| o.id == role.id) {
                    tasks.push((s.title.clone(), t.clone()));
                }
            }
        }
    }
    let owned = |o: &Option<RefView>| o.as_ref().is_some_and(|o| o.id == role.id);
    RoleInSop {
        sop: v.sop.title.clone(),
        handbook: format!(
            "../{}#role-{}",
            link(d.name, ".handbook.html"),
            anchor(role.id.clone())
        ),
        labels: v.lang.labels(),
        role: role.clone(),
        stages,
        tasks,
        trainings: training_order(v, &role.id),
        kpis: v.kpis.iter().filter(|k| owned(&k.owner)).cloned().collect(),
        feedback: (v.feedback.iter())
            .filter(|f| owned(&f.owner) || f.with.iter().any(|w| w.id == role.id))
            .cloned()
            .collect(),
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
