//! Pipeline diagrams as text: Mermaid (for Markdown) and Graphviz DOT. Node ids are generated, so
//! no stage name can clash with a keyword of either format (`end` in Mermaid); titles are labels.

use std::fmt::Write;

use super::escape::{dot_string, mermaid_text};
use super::view::PipelineView;

/// The Mermaid node id of a stage: a running number, plus the stage id when it is plain ASCII
/// (`s3_proposal`), so the source stays readable and a stage called `end` cannot break it.
fn mermaid_id(n: usize, local_id: &str) -> String {
    let ascii: String = local_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if ascii.is_empty() {
        format!("s{n}")
    } else {
        format!("s{n}_{ascii}")
    }
}

/// Pipelines as one Mermaid flowchart (a subgraph per pipeline when there are several).
pub fn mermaid(pipelines: &[PipelineView]) -> String {
    let mut out = String::from("flowchart TD\n");
    let several = pipelines.len() > 1;
    let mut n = 0;
    let mut starts = Vec::new();
    for (pi, p) in pipelines.iter().enumerate() {
        let indent = if several { "    " } else { "  " };
        if several {
            let _ = writeln!(
                out,
                "  subgraph p{}[\"{}\"]",
                pi + 1,
                mermaid_text(&p.title)
            );
        }
        let ids: Vec<String> = (p.stages.iter())
            .map(|s| {
                n += 1;
                mermaid_id(n, &s.local_id)
            })
            .collect();
        for (s, id) in p.stages.iter().zip(&ids) {
            let label = mermaid_text(&s.title);
            if s.terminal {
                let _ = writeln!(out, "{indent}{id}([\"{label}\"]):::terminal");
            } else {
                let _ = writeln!(out, "{indent}{id}[\"{label}\"]");
            }
            if s.start {
                starts.push(id.clone());
            }
        }
        for (s, from) in p.stages.iter().zip(&ids) {
            for t in &s.transitions {
                let Some(to) = stage_position(p, &t.to.id).map(|i| &ids[i]) else {
                    continue;
                };
                match &t.when {
                    Some(w) => {
                        let _ = writeln!(out, "{indent}{from} -->|\"{}\"| {to}", mermaid_text(w));
                    }
                    None => {
                        let _ = writeln!(out, "{indent}{from} --> {to}");
                    }
                }
            }
        }
        if several {
            out.push_str("  end\n");
        }
    }
    out.push_str("  classDef terminal fill:#eeeeee,stroke:#333333,stroke-width:3px\n");
    if !starts.is_empty() {
        out.push_str("  classDef start stroke-width:3px\n");
        let _ = writeln!(out, "  class {} start", starts.join(","));
    }
    out
}

fn stage_position(p: &PipelineView, qualified: &str) -> Option<usize> {
    p.stages.iter().position(|s| s.id == qualified)
}

/// Pipelines as one Graphviz digraph called `name` (a cluster per pipeline when there are
/// several). Node ids are the qualified stage ids, quoted.
pub fn dot(name: &str, pipelines: &[PipelineView]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", dot_string(name));
    out.push_str("  rankdir=TB;\n");
    out.push_str("  node [shape=box, style=rounded, fontname=\"Noto Sans CJK SC,sans-serif\"];\n");
    out.push_str("  edge [fontname=\"Noto Sans CJK SC,sans-serif\", fontsize=10];\n");
    let several = pipelines.len() > 1;
    for p in pipelines {
        let indent = if several { "    " } else { "  " };
        if several {
            let _ = writeln!(
                out,
                "  subgraph {} {{",
                dot_string(&format!("cluster_{}", p.id))
            );
        }
        let _ = writeln!(out, "{indent}label={};", dot_string(&p.title));
        for s in &p.stages {
            let mut attrs = vec![format!("label={}", dot_string(&s.title))];
            if s.terminal {
                attrs.push("style=\"rounded,filled\"".into());
                attrs.push("fillcolor=\"#eeeeee\"".into());
                attrs.push("peripheries=2".into());
            }
            if s.start {
                attrs.push("penwidth=2".into());
            }
            let _ = writeln!(out, "{indent}{} [{}];", dot_string(&s.id), attrs.join(", "));
        }
        for s in &p.stages {
            for t in &s.transitions {
                let label = match &t.when {
                    Some(w) => format!(" [label={}]", dot_string(w)),
                    None => String::new(),
                };
                let _ = writeln!(
                    out,
                    "{indent}{} -> {}{label};",
                    dot_string(&s.id),
                    dot_string(&t.to.id)
                );
            }
        }
        if several {
            out.push_str("  }\n");
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_ids_and_text_are_safe() {
        assert_eq!(mermaid_id(3, "end"), "s3_end");
        assert_eq!(mermaid_id(1, "线索获取"), "s1");
        assert_eq!(
            mermaid_text("a \"b\" <c> #1"),
            "a #34;b#34; #60;c#62; #35;1"
        );
    }

    #[test]
    fn dot_strings_are_quoted() {
        assert_eq!(dot_string("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
    }
}
