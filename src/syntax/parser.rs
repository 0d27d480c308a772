//! pest pairs to AST. The only module that sees pest.

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::*;
use super::errors::{SyntaxError, SyntaxErrorKind};
use super::grammar::{Rule, SopParser, block_of};
use super::strings::{trim_indent, unescape};
use super::translate::from_pest;

/// Parses one file. On failure, the first syntax error.
pub fn parse(text: &str) -> Result<SourceFile, SyntaxError> {
    let mut pairs = match SopParser::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(_) => return Err(explain_failure(text)),
    };
    let file = pairs.next().expect("the file rule always yields one pair");
    let mut items = Vec::new();
    for pair in file.into_inner() {
        match pair.as_rule() {
            Rule::import => {
                let span = tight_span(&pair);
                let path = string(pair.into_inner().nth(1).expect("import path"))?;
                items.push(Item::Import(Import { path, span }));
            }
            Rule::EOI => {}
            _ => items.push(Item::Block(block(pair)?)),
        }
    }
    let comments = super::comments::scan(text);
    Ok(SourceFile { items, comments })
}

/// Parses a file known not to parse again, this time tracking what was expected where, which
/// costs time on every file if always on. The flag is global to pest, so one thread at a time.
fn explain_failure(text: &str) -> SyntaxError {
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = SopParser::parse(Rule::file, text);
    pest::set_error_detail(false);
    // The explanation may parse variants of the text (the fix of full-width punctuation), which
    // need no detail and no lock.
    drop(guard);
    match result {
        Err(e) => from_pest(text, e),
        // Cannot happen: the same text failed a moment ago.
        Ok(_) => SyntaxError {
            span: Span::new(0, 0),
            kind: super::errors::SyntaxErrorKind::TooComplex,
        },
    }
}

fn span_of(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// From the rule's start to the end of its last token. pest counts the whitespace (and comments)
/// skipped before an optional or repeated part that then failed as part of the rule.
fn tight_span(pair: &Pair<Rule>) -> Span {
    let input = pair.as_span().get_input();
    let start = pair.as_span().start();
    let mut end = pair.as_span().end();
    let mut current = pair.clone();
    while let Some(last) = current.clone().into_inner().next_back() {
        let gap = input[last.as_span().end()..end].trim_start();
        if !(gap.is_empty() || gap.starts_with('#')) {
            break;
        }
        end = last.as_span().end();
        current = last;
    }
    Span::new(start, end)
}

fn block(pair: Pair<Rule>) -> Result<Block, SyntaxError> {
    let kind = block_of(pair.as_rule()).expect("only block rules reach here");
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let keyword_span = span_of(&inner.next().expect("keyword"));
    let id = ident(inner.next().expect("id"));
    let mut title = None;
    let mut entries = Vec::new();
    for p in inner {
        match p.as_rule() {
            Rule::title => title = Some(string(p.into_inner().next().expect("title"))?),
            Rule::transition => entries.push(Entry::Transition(transition(p)?)),
            Rule::stage_block | Rule::task_block => entries.push(Entry::Block(block(p)?)),
            _ => entries.push(Entry::Attr(attr(p)?)),
        }
    }
    Ok(Block {
        kind,
        keyword_span,
        id,
        title,
        entries,
        span,
    })
}

fn transition(pair: Pair<Rule>) -> Result<Transition, SyntaxError> {
    let span = tight_span(&pair);
    let mut inner = pair.into_inner();
    inner.next(); // ->
    let target = ident(inner.next().expect("target"));
    let when = match (inner.next(), inner.next()) {
        (Some(_kw), Some(s)) => Some(string(s)?),
        _ => None,
    };
    Ok(Transition { target, when, span })
}

fn attr_key(rule: Rule) -> AttrKey {
    use AttrKey as K;
    match rule {
        Rule::version_attr => K::Version,
        Rule::owner_attr => K::Owner,
        Rule::review_attr => K::Review,
        Rule::reviewed_attr => K::Reviewed,
        Rule::lang_attr => K::Lang,
        Rule::summary_attr => K::Summary,
        Rule::description_attr => K::Description,
        Rule::guidance_attr => K::Guidance,
        Rule::goal_target_attr | Rule::kpi_target_attr => K::Target,
        Rule::region_attr => K::Region,
        Rule::product_attr => K::Product,
        Rule::supports_attr => K::Supports,
        Rule::responsibilities_attr => K::Responsibilities,
        Rule::skills_attr => K::Skills,
        Rule::reports_to_attr => K::ReportsTo,
        Rule::start_attr => K::Start,
        Rule::case_attr => K::Case,
        Rule::sla_attr => K::Sla,
        Rule::requires_attr => K::Requires,
        Rule::entry_attr => K::Entry,
        Rule::exit_attr => K::Exit,
        Rule::terminal_attr => K::Terminal,
        Rule::due_attr => K::Due,
        Rule::done_when_attr => K::DoneWhen,
        Rule::for_attr => K::For,
        Rule::training_when_attr => K::When,
        Rule::topics_attr => K::Topics,
        Rule::format_attr => K::Format,
        Rule::duration_attr => K::Duration,
        Rule::assessment_attr => K::Assessment,
        Rule::kind_attr => K::Kind,
        Rule::measure_attr => K::Measure,
        Rule::unit_attr => K::Unit,
        Rule::source_attr => K::Source,
        Rule::kpi_stage_attr => K::Stage,
        Rule::cadence_attr => K::Cadence,
        Rule::with_attr => K::With,
        Rule::covers_attr => K::Covers,
        other => unreachable!("not an attribute rule: {other:?}"),
    }
}

fn attr(pair: Pair<Rule>) -> Result<Attr, SyntaxError> {
    let rule = pair.as_rule();
    let key = attr_key(rule);
    let span = tight_span(&pair);
    let mut inner = pair.into_inner();
    let key_span = span_of(&inner.next().expect("keyword"));
    let value = match rule {
        Rule::terminal_attr => Value::Flag,
        Rule::goal_target_attr => {
            let kpi = ident(inner.next().expect("kpi"));
            let comparator = comparator(inner.next().expect("comparator"));
            let quantity = quantity(inner.next().expect("quantity"));
            let by = inner.nth(1).map(date);
            Value::GoalTarget(GoalTarget {
                kpi,
                comparator,
                quantity,
                by,
            })
        }
        Rule::kpi_target_attr => {
            let comparator = comparator(inner.next().expect("comparator"));
            let quantity = quantity(inner.next().expect("quantity"));
            let per = inner.nth(1).map(|p| (period(p.as_str()), span_of(&p)));
            Value::KpiTarget(KpiTarget {
                comparator,
                quantity,
                per,
            })
        }
        Rule::kind_attr => {
            let p = inner.next().expect("kind");
            let kind = if p.as_rule() == Rule::kw_quantitative {
                KpiKind::Quantitative
            } else {
                KpiKind::Qualitative
            };
            Value::KpiKind(kind, span_of(&p))
        }
        Rule::measure_attr => {
            let p = inner.next().expect("measure");
            let measure = Measure::from_keyword(p.as_str()).unwrap_or(Measure::Count);
            Value::Measure(measure, span_of(&p))
        }
        Rule::training_when_attr => {
            let p = inner.next().expect("when");
            Value::TrainingWhen(match p.as_rule() {
                Rule::kw_new_hire => TrainingWhen::NewHire(span_of(&p)),
                Rule::kw_ongoing => TrainingWhen::Ongoing(span_of(&p)),
                _ => TrainingWhen::Cadence(cadence(p)),
            })
        }
        _ => value(inner.next().expect("value"))?,
    };
    Ok(Attr {
        key,
        key_span,
        value,
        span,
    })
}

fn value(pair: Pair<Rule>) -> Result<Value, SyntaxError> {
    Ok(match pair.as_rule() {
        Rule::ident => Value::Ident(ident(pair)),
        Rule::string => Value::Str(string(pair)?),
        Rule::ident_list => Value::Idents(pair.into_inner().map(ident).collect()),
        Rule::string_list => Value::Strings(
            pair.into_inner()
                .map(string)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Rule::duration => Value::Duration(duration(pair)),
        Rule::cadence => Value::Cadence(cadence(pair)),
        Rule::date => Value::Date(date(pair)),
        Rule::stage_path => {
            let span = span_of(&pair);
            let mut parts: Vec<Ident> = pair.into_inner().map(ident).collect();
            let stage = parts.pop().expect("stage");
            Value::StagePath(StagePath {
                pipeline: parts.pop(),
                stage,
                span,
            })
        }
        other => unreachable!("not a value rule: {other:?}"),
    })
}

fn ident(pair: Pair<Rule>) -> Ident {
    Ident {
        name: pair.as_str().to_string(),
        span: span_of(&pair),
    }
}

fn string(pair: Pair<Rule>) -> Result<Str, SyntaxError> {
    let span = span_of(&pair);
    let inner = pair.into_inner().next().expect("string body");
    let triple = inner.as_rule() == Rule::triple_string;
    let text = inner.into_inner().next().expect("string text");
    let raw = text.as_str();
    let value = if triple {
        trim_indent(raw)
    } else {
        unescape(raw).map_err(|e| {
            let start = text.as_span().start() + e.offset;
            SyntaxError {
                span: Span::new(start, start + e.len),
                kind: SyntaxErrorKind::InvalidEscape { code: e.code },
            }
        })?
    };
    Ok(Str {
        value,
        span,
        triple,
    })
}

fn duration(pair: Pair<Rule>) -> Duration {
    let text = pair.as_str();
    let (digits, unit) = text.split_at(text.len() - 1);
    let unit = match unit {
        "m" => DurationUnit::Minutes,
        "h" => DurationUnit::Hours,
        "d" => DurationUnit::Days,
        _ => DurationUnit::Weeks,
    };
    Duration {
        amount: digits.parse().ok(),
        unit,
        text: text.to_string(),
        span: span_of(&pair),
    }
}

fn cadence(pair: Pair<Rule>) -> Cadence {
    let span = span_of(&pair);
    let inner = pair.into_inner().next().expect("cadence");
    match inner.as_rule() {
        Rule::every_cadence => {
            let d = inner.into_inner().nth(1).expect("duration");
            Cadence::Every(duration(d), span)
        }
        _ => {
            let named = match inner.as_str() {
                "daily" => NamedCadence::Daily,
                "weekly" => NamedCadence::Weekly,
                "biweekly" => NamedCadence::Biweekly,
                "monthly" => NamedCadence::Monthly,
                "quarterly" => NamedCadence::Quarterly,
                _ => NamedCadence::Yearly,
            };
            Cadence::Named(named, span)
        }
    }
}

fn comparator(pair: Pair<Rule>) -> Comparator {
    Comparator::from_symbol(pair.as_str()).unwrap_or(Comparator::Eq)
}

fn quantity(pair: Pair<Rule>) -> Quantity {
    let mut inner = pair.into_inner();
    let number = inner.next().expect("number");
    let text = number.as_str().to_string();
    let percent = text.ends_with('%');
    let digits: String = text.chars().filter(|c| *c != '_' && *c != '%').collect();
    Quantity {
        value: digits.parse().unwrap_or(f64::INFINITY),
        percent,
        number_span: span_of(&number),
        text,
        unit: inner.next().map(ident),
    }
}

fn date(pair: Pair<Rule>) -> Date {
    let text = pair.as_str();
    let num = |r: std::ops::Range<usize>| text[r].parse().unwrap_or(0);
    Date {
        year: num(0..4),
        month: num(5..7),
        day: num(8..10),
        text: text.to_string(),
        span: span_of(&pair),
    }
}

fn period(text: &str) -> Period {
    Period::from_keyword(text).unwrap_or(Period::Year)
}
