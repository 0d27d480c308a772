//! `sopc graph FILE --format mermaid|dot`: the pipelines of one document, as text.

use crate::text::ShowPath;
use std::io::{self, Write};

use super::check::report_inputs;
use super::cli::{GraphArgs, GraphFormat};
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, human};
use crate::diag::Severity;
use crate::driver::{CheckOptions, PathError, check_paths};
use crate::render::{DocumentView, graph};

pub(super) fn run(args: GraphArgs) -> u8 {
    let outcome = match check_paths(
        std::slice::from_ref(&args.file),
        &CheckOptions {
            keep_models: true,
            ..super::check_options()
        },
    ) {
        Ok(o) => o,
        Err(PathError(message)) => {
            say!("error: {message}");
            return EXIT_USAGE;
        }
    };
    report_inputs(&outcome);
    if outcome.count(Severity::Error) > 0 {
        // The graph goes to stdout; the reasons there is none go to stderr.
        let _ = human::write(&mut io::stderr().lock(), &outcome, false, None);
        return EXIT_FAIL;
    }
    if !outcome.unreadable.is_empty() {
        return EXIT_USAGE;
    }
    let Some(model) = outcome.models.iter().find(|m| !m.pipelines.is_empty()) else {
        say!("error: `{}` has no pipeline", args.file.shown());
        return EXIT_USAGE;
    };
    let view = DocumentView::from_model(model, None);
    let text = match args.format {
        GraphFormat::Mermaid => graph::mermaid(&view.pipelines),
        GraphFormat::Dot => {
            let name = if view.sop.id.is_empty() {
                &view.pipelines[0].id
            } else {
                &view.sop.id
            };
            graph::dot(name, &view.pipelines)
        }
    };
    let mut stdout = io::stdout().lock();
    if stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return EXIT_USAGE;
    }
    EXIT_OK
}
