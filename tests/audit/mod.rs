//! `sopc audit`: figures checked by hand, input formats, the JSON shape, gates and properties.

mod figures;
pub mod hostile;
mod input;
mod kpi_measure;
mod presets;
mod props;
mod report_page;
mod report_roles;
mod review_fixes;
mod roles;
mod scale;
mod shape;
mod sql;
mod unknown;
mod view;
mod xes;

use crate::support::{Project, Run};

/// The SOP the hand-checked tests audit against: lead → (nurture →) qualify → propose → won,
/// with `lost` reachable from qualify and propose and `propose -> qualify` going back.
pub const DEMO_SOP: &str = include_str!("demo.sop");

/// A project holding the demo SOP and a log.
pub fn project(log_name: &str, log: &str) -> Project {
    Project::new()
        .file("demo.sop", DEMO_SOP)
        .file(log_name, log)
}

/// Runs `sopc audit demo.sop LOG --format json` plus `extra` arguments.
pub fn audit_json(project: &Project, log_name: &str, extra: &[&str]) -> Run {
    let mut args = vec!["audit", "demo.sop", log_name, "--format", "json"];
    args.extend_from_slice(extra);
    project.run_any(&args)
}
