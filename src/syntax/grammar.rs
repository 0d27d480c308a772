//! The grammar (`grammar/sop.pest`) as pest's parser and its [`Rule`]s, below both the reading
//! of a file into an AST (`parser.rs`) and the explanation of a failure (`translate.rs`).

use super::ast::BlockKind;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/sop.pest"]
pub(crate) struct SopParser;

/// The block a rule reads, if it reads one.
pub(super) fn block_of(rule: Rule) -> Option<BlockKind> {
    Some(match rule {
        Rule::sop_block => BlockKind::Sop,
        Rule::goal_block => BlockKind::Goal,
        Rule::strategy_block => BlockKind::Strategy,
        Rule::role_block => BlockKind::Role,
        Rule::pipeline_block => BlockKind::Pipeline,
        Rule::stage_block => BlockKind::Stage,
        Rule::task_block => BlockKind::Task,
        Rule::training_block => BlockKind::Training,
        Rule::kpi_block => BlockKind::Kpi,
        Rule::feedback_block => BlockKind::Feedback,
        _ => return None,
    })
}
