//! The keywords of the language as the language reference (`docs/language.md`) describes them:
//! the attributes each kind of block takes, with their type and meaning, read from its tables
//! so that hover and completion say what the reference says.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::syntax::BlockKind;

const REFERENCE: &str = include_str!("../../docs/language.md");

/// One attribute of one kind of block.
#[derive(Debug, Clone)]
pub struct AttrDoc {
    pub name: String,
    pub value: String,
    pub meaning: String,
}

/// One kind of block: its heading's words and its attributes.
#[derive(Debug, Clone, Default)]
pub struct BlockDoc {
    pub summary: String,
    pub attrs: Vec<AttrDoc>,
}

pub const BLOCK_KINDS: [BlockKind; 10] = BlockKind::ALL;

pub fn block_kind(word: &str) -> Option<BlockKind> {
    BLOCK_KINDS.into_iter().find(|k| k.keyword() == word)
}

fn reference() -> &'static HashMap<&'static str, BlockDoc> {
    static DOCS: OnceLock<HashMap<&'static str, BlockDoc>> = OnceLock::new();
    DOCS.get_or_init(|| parse(REFERENCE))
}

fn parse(text: &str) -> HashMap<&'static str, BlockDoc> {
    let mut out: HashMap<&'static str, BlockDoc> = HashMap::new();
    let mut current: Option<&'static str> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### `") {
            current = h.split_once('`').and_then(|(kw, rest)| {
                let kind = block_kind(kw)?;
                let summary = rest.trim_start_matches([' ', '—', '-']).trim().to_string();
                out.entry(kind.keyword()).or_default().summary = summary;
                Some(kind.keyword())
            });
            continue;
        }
        if line.starts_with("## ") || line.starts_with("### ") {
            current = None;
            continue;
        }
        let Some(kind) = current else { continue };
        let Some(row) = line.strip_prefix("| `") else {
            continue;
        };
        let cells: Vec<&str> = row.split(" | ").collect();
        let Some((name, rest)) = cells[0].split_once('`') else {
            continue;
        };
        if !rest.is_empty() || cells.len() < 4 || name.starts_with("->") {
            continue;
        }
        out.entry(kind).or_default().attrs.push(AttrDoc {
            name: name.to_string(),
            value: cells[1].replace("\\|", "|"),
            meaning: cells[cells.len() - 1]
                .trim_end_matches(" |")
                .trim()
                .to_string(),
        });
    }
    out
}

/// What the reference says about a kind of block.
pub fn block(kind: BlockKind) -> Option<&'static BlockDoc> {
    reference().get(kind.keyword())
}

/// The attributes of a kind of block, in the reference's order.
pub fn attrs(kind: BlockKind) -> &'static [AttrDoc] {
    block(kind).map_or(&[], |b| b.attrs.as_slice())
}

/// What attribute `name` means in a block of `kind`; in any block when `kind` is unknown.
pub fn attr(kind: Option<BlockKind>, name: &str) -> Option<&'static AttrDoc> {
    if let Some(k) = kind
        && let Some(a) = attrs(k).iter().find(|a| a.name == name)
    {
        return Some(a);
    }
    BLOCK_KINDS
        .into_iter()
        .flat_map(attrs)
        .find(|a| a.name == name)
}

/// The snippet that writes a new block of `kind`.
pub fn snippet(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Sop => {
            "sop ${1:id} \"${2:title}\" {\n  version \"${3:1.0}\"\n  owner ${4:role}\n  review ${5:quarterly}\n}"
        }
        BlockKind::Goal => {
            "goal ${1:id} \"${2:title}\" {\n  target ${3:kpi} >= ${4:100} by ${5:2026-12-31}\n  owner ${6:role}\n}"
        }
        BlockKind::Strategy => {
            "strategy ${1:id} \"${2:title}\" {\n  supports ${3:goal}\n  owner ${4:role}\n}"
        }
        BlockKind::Role => {
            "role ${1:id} \"${2:title}\" {\n  responsibilities \"${3:what this role does}\"\n  reports_to ${4:role}\n}"
        }
        BlockKind::Pipeline => {
            "pipeline ${1:id} \"${2:title}\" {\n  start ${3:first}\n\n  stage ${3:first} \"${4:title}\" {\n    owner ${5:role}\n    exit \"${6:what is true when it is done}\"\n    -> ${7:next}\n  }\n}"
        }
        BlockKind::Stage => {
            "stage ${1:id} \"${2:title}\" {\n  owner ${3:role}\n  sla ${4:2d}\n  exit \"${5:what is true when it is done}\"\n  -> ${6:next}\n}"
        }
        BlockKind::Task => {
            "task ${1:id} \"${2:title}\" {\n  due ${3:1d}\n  done_when \"${4:what is true when it is done}\"\n}"
        }
        BlockKind::Training => {
            "training ${1:id} \"${2:title}\" {\n  for ${3:role}\n  when ${4:new_hire}\n  duration ${5:4h}\n}"
        }
        BlockKind::Kpi => {
            "kpi ${1:id} \"${2:title}\" {\n  kind ${3:quantitative}\n  target >= ${4:100}\n  owner ${5:role}\n}"
        }
        BlockKind::Feedback => {
            "feedback ${1:id} \"${2:title}\" {\n  cadence ${3:weekly}\n  owner ${4:role}\n  with ${5:role}\n  covers ${6:kpi}\n}"
        }
    }
}

/// The kinds of block that can be written inside a block of `kind` (`None`: the top level).
pub fn nested(kind: Option<BlockKind>) -> &'static [BlockKind] {
    match kind {
        None => &[
            BlockKind::Sop,
            BlockKind::Goal,
            BlockKind::Strategy,
            BlockKind::Role,
            BlockKind::Pipeline,
            BlockKind::Training,
            BlockKind::Kpi,
            BlockKind::Feedback,
        ],
        Some(BlockKind::Pipeline) => &[BlockKind::Stage],
        Some(BlockKind::Stage) => &[BlockKind::Task],
        Some(_) => &[],
    }
}

/// The cadences written as one word.
pub const CADENCES: [&str; 6] = crate::syntax::NAMED_CADENCES;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_gives_each_block_its_attributes() {
        let names = |k| attrs(k).iter().map(|a| a.name.as_str()).collect::<Vec<_>>();
        assert!(names(BlockKind::Stage).contains(&"sla"));
        assert!(names(BlockKind::Stage).contains(&"terminal"));
        assert!(!names(BlockKind::Stage).contains(&"for"));
        assert!(names(BlockKind::Training).contains(&"for"));
        assert!(names(BlockKind::Kpi).contains(&"stage"));
        for k in BLOCK_KINDS {
            assert!(!attrs(k).is_empty(), "{k:?}");
            assert!(attrs(k).iter().all(|a| !a.name.contains(' ')), "{k:?}");
        }
        let sla = attr(Some(BlockKind::Stage), "sla").unwrap();
        assert!(sla.meaning.contains("longest"), "{sla:?}");
    }
}
