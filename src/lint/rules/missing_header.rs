//! The `missing-header` check (error by default): reports a file named on the command line that
//! defines a `pipeline` but has no `sop` header.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a file named on the command line (or found in a folder that was) that defines a
    /// `pipeline` but has no `sop` header. Files that are only imported may define pipelines
    /// without one: they are libraries.
    ///
    /// ## Why it matters
    ///
    /// The header says what the procedure is, who owns it and when it is reviewed. A process
    /// without one has no accountable owner and no version, and cannot be built into a handbook.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales "Sales procedure" { version "1.0" review quarterly }
    /// role rep { responsibilities "Sell" }
    /// training basics { for rep when new_hire }
    /// feedback weekly { cadence weekly owner rep with rep }
    /// pipeline sales {
    ///   stage lead { owner rep exit "Qualified" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static MISSING_HEADER = "missing-header", Error,
        "a document defines a pipeline but has no `sop` header", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if !cx.given || cx.is_document() {
        return;
    }
    let Some(pipeline) = cx.model.pipelines.iter().find(|p| cx.model.is_own(&p.def)) else {
        return;
    };
    out.push(
        Diagnostic::new(
            RuleId::MissingHeader,
            pipeline.def.loc,
            format!("pipeline `{}` is in a file without a `sop` header", pipeline.def.id),
        )
        .with_label("pipeline defined here")
        .with_help("start the file with a header, e.g. `sop my_process \"Title\" { version \"1.0\" owner ROLE review quarterly }`")
        .with_names([pipeline.def.id.clone()]),
    );
}
