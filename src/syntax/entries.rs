//! What each kind of block takes between its braces, read from the grammar itself
//! (`grammar/sop.pest`): the one table behind the syntax errors' lists of attributes and their
//! judgement of which block may hold which.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::ast::BlockKind;

const GRAMMAR: &str = include_str!("../../grammar/sop.pest");

/// One thing a block (or the file) may hold, by the keyword that starts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The keyword as written: `owner`, `->`, `task`.
    pub keyword: String,
    /// Whether it is a block of its own (`stage` in a pipeline, `task` in a stage, every
    /// block at the top of a file) rather than an attribute.
    pub block: bool,
}

struct Table {
    /// By block keyword; `""` is the top of a file.
    holds: HashMap<String, Vec<Entry>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| read(GRAMMAR))
}

/// The rules of the grammar written on one line, by name: their bodies.
fn rules(text: &str) -> HashMap<&str, &str> {
    let mut out = HashMap::new();
    for line in text.lines() {
        let Some((name, body)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let body = body.trim().trim_start_matches(['_', '@', '$']);
        if let Some(inner) = body
            .strip_prefix('{')
            .and_then(|b| b.trim_end().strip_suffix('}'))
        {
            out.insert(name, inner.trim());
        }
    }
    out
}

/// The text a rule starts with: its first literal, following the rules it starts with.
fn first_literal<'a>(rules: &HashMap<&str, &'a str>, rule: &str) -> Option<&'a str> {
    let mut rule = rule;
    for _ in 0..8 {
        let body = rules.get(rule)?;
        let first = body.split_whitespace().next()?;
        if let Some(literal) = first.strip_prefix('"') {
            return literal.split('"').next();
        }
        rule = first.trim_start_matches('(');
    }
    None
}

fn read(text: &str) -> Table {
    let rules = rules(text);
    let entries_of = |rule: &str| -> Vec<Entry> {
        let Some(body) = rules.get(rule) else {
            return Vec::new();
        };
        body.split('|')
            .map(str::trim)
            .filter_map(|alt| {
                Some(Entry {
                    keyword: first_literal(&rules, alt)?.to_string(),
                    block: alt.ends_with("_block"),
                })
            })
            .collect()
    };
    let mut holds = HashMap::new();
    let mut top = entries_of("item");
    // `import` is no block, but like one it stands only at the top of a file.
    for e in &mut top {
        e.block = true;
    }
    holds.insert(String::new(), top);
    for name in rules.keys().filter(|n| n.ends_with("_block")) {
        if let Some(keyword) = first_literal(&rules, name) {
            let attrs = format!("{}_attr", name.trim_end_matches("_block"));
            holds.insert(keyword.to_string(), entries_of(&attrs));
        }
    }
    Table { holds }
}

/// What a block of `kind` holds, or the top of a file for `None`.
pub(crate) fn held_by(kind: Option<BlockKind>) -> &'static [Entry] {
    let key = kind.map_or("", BlockKind::keyword);
    table().holds.get(key).map_or(&[], Vec::as_slice)
}

/// Whether `word` is an attribute keyword of some block.
pub(crate) fn is_attribute(word: &str) -> bool {
    table()
        .holds
        .iter()
        .filter(|(block, _)| !block.is_empty())
        .flat_map(|(_, entries)| entries)
        .any(|e| !e.block && e.keyword == word && word != "->")
}

/// Whether `word` starts a block (or an import) somewhere: a keyword that may stand only
/// where such blocks do.
pub(crate) fn is_block_keyword(word: &str) -> bool {
    table()
        .holds
        .values()
        .flatten()
        .any(|e| e.block && e.keyword == word)
}

/// Whether a block whose keyword is `container` (the top of a file for `""`) may hold a
/// `word` block.
pub(crate) fn holds_block(container: &str, word: &str) -> bool {
    table()
        .holds
        .get(container)
        .is_some_and(|held| held.iter().any(|e| e.block && e.keyword == word))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attribute keywords (and `->`) a block of `kind` takes, without the blocks it holds.
    fn attrs(kind: BlockKind) -> Vec<&'static str> {
        held_by(Some(kind))
            .iter()
            .filter(|e| !e.block)
            .map(|e| e.keyword.as_str())
            .collect()
    }

    #[test]
    fn read_from_the_grammar() {
        assert_eq!(
            attrs(BlockKind::Role),
            ["responsibilities", "skills", "reports_to", "description"]
        );
        let stage = attrs(BlockKind::Stage);
        assert!(stage.contains(&"->") && stage.contains(&"terminal"));
        assert!(!stage.contains(&"when") && !stage.contains(&"task"));
        assert!(attrs(BlockKind::Training).contains(&"when"));
        assert!(!attrs(BlockKind::Goal).contains(&"by"));
        assert!(!attrs(BlockKind::Kpi).contains(&"per"));
        assert!(attrs(BlockKind::Kpi).contains(&"stage"));
        assert!(holds_block("stage", "task"));
        assert!(holds_block("pipeline", "stage"));
        assert!(!holds_block("stage", "stage") && !holds_block("role", "role"));
        assert!(holds_block("", "role") && holds_block("", "import"));
        assert!(!holds_block("", "stage"));
        for kind in BlockKind::ALL {
            assert!(!attrs(kind).is_empty(), "{kind:?} takes nothing");
        }
        assert!(is_attribute("reports_to") && is_attribute("terminal"));
        assert!(!is_attribute("by") && !is_attribute("per") && !is_attribute("->"));
        assert!(is_block_keyword("task") && !is_block_keyword("owner"));
    }
}
