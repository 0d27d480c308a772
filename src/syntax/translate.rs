//! A pest failure into a [`SyntaxError`]: the expected tokens and the rule being parsed at the
//! failure become phrases a user knows. pest's rule names never reach the user.

use pest::error::InputLocation;

use super::ast::{BlockKind, Span};
use super::entries;
use super::errors::{SyntaxError, SyntaxErrorKind, or_list};
use super::fullwidth::ascii_for;
use super::grammar::{Rule, block_of};

/// The attributes named in "an attribute such as ..." for each block.
fn typical_attributes(kind: BlockKind) -> &'static [&'static str] {
    match kind {
        BlockKind::Sop => &["version", "owner", "review"],
        BlockKind::Goal => &["target", "region", "product"],
        BlockKind::Strategy => &["supports", "description"],
        BlockKind::Role => &["responsibilities", "skills", "reports_to"],
        BlockKind::Pipeline => &["stage", "start"],
        BlockKind::Stage => &["owner", "task", "->"],
        BlockKind::Task => &["owner", "due", "done_when"],
        BlockKind::Training => &["for", "when", "topics"],
        BlockKind::Kpi => &["target", "owner", "unit"],
        BlockKind::Feedback => &["cadence", "owner", "with"],
    }
}

/// The phrase for a value the grammar wanted, by the rule that was reading it.
fn value_phrase(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::ident_list | Rule::stage_path => "a name",
        Rule::unit => "a unit",
        Rule::string | Rule::string_list | Rule::plain_string | Rule::triple_string => "a string",
        Rule::title => "a title string",
        Rule::duration => super::errors::DURATION,
        Rule::date => "a date such as `2026-09-30`",
        Rule::number | Rule::quantity => "a number",
        Rule::comparator => "a comparison such as `>=`",
        Rule::cadence | Rule::named_cadence | Rule::every_cadence => {
            "a cadence such as `weekly` or `every 2w`"
        }
        Rule::period => "`day`, `week`, `month`, `quarter` or `year`",
        Rule::measure => "`conversion`, `count`, `amount` or `duration`",
        _ => return None,
    })
}

/// The phrase for the value an attribute keyword takes, when the grammar's trace names none
/// (a duration that fails on its last letter, `2days`).
fn value_after(keyword: &str) -> Option<&'static str> {
    match keyword {
        "sla" | "due" | "duration" | "every" => value_phrase(Rule::duration),
        "reviewed" | "by" => value_phrase(Rule::date),
        _ => None,
    }
}

/// The word that ends just before `pos`, spaces skipped.
fn previous_word(text: &str, pos: usize) -> &str {
    let before = text[..pos].trim_end();
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(before.len(), |(i, _)| i);
    &before[start..]
}

/// The cadences written as one word (`named_cadence` in the grammar).
pub const NAMED_CADENCES: [&str; 6] = [
    "daily",
    "weekly",
    "biweekly",
    "monthly",
    "quarterly",
    "yearly",
];

const KEYWORDS_AT_TOP: &[&str] = &[
    "import", "sop", "goal", "strategy", "role", "pipeline", "training", "kpi", "feedback",
];

pub(crate) fn from_pest(text: &str, err: pest::error::Error<Rule>) -> SyntaxError {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let Some(attempts) = err.parse_attempts() else {
        return SyntaxError {
            span: Span::new(pos, pos),
            kind: SyntaxErrorKind::TooComplex,
        };
    };
    let pos = attempts.max_position.max(pos).min(text.len());
    let rules: Vec<Rule> = attempts
        .call_stacks()
        .iter()
        .filter_map(|s| s.deepest.get_rule().copied().or(s.parent))
        .collect();
    let tokens: Vec<String> = attempts
        .expected_tokens()
        .into_iter()
        .map(|t| t.to_string())
        // Character ranges and built-in classes say nothing a user can act on.
        .filter(|t| t != "BUILTIN_RULE" && !(t.len() > 2 && t.contains("..")))
        .filter(|t| !matches!(t.as_str(), " " | "\t" | "\n" | "\r" | "#"))
        .collect();

    let rest = &text[pos..];
    // A string that ran into the end of its line.
    if rules.contains(&Rule::plain_text) {
        let open = string_start(text, pos);
        let span = open.map_or(Span::new(pos, pos), |s| Span::new(s, pos));
        if text[..pos].ends_with('\\') && !rest.is_empty() && !rest.starts_with(['\n', '\r']) {
            let start = pos - 1;
            if let Some(first) = invalid_escape_before(text, open, start) {
                return first;
            }
            let len = 1 + rest.chars().next().map_or(0, char::len_utf8);
            return SyntaxError {
                span: Span::new(start, start + len),
                kind: SyntaxErrorKind::UnknownEscape {
                    escape: text[start..start + len].to_string(),
                },
            };
        }
        // `\u{}`, `\u{1234567}`: the escape is malformed, the string is not unterminated.
        let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        if let Some(at) = text[line_start..pos].rfind("\\u") {
            let start = line_start + at;
            let after = &text[start + 2..];
            let hex = after
                .strip_prefix('{')
                .map(|a| a.chars().take_while(char::is_ascii_hexdigit).count());
            let end = match hex {
                Some(n) if after[1 + n..].starts_with('}') => start + 2 + 1 + n + 1,
                Some(n) => start + 2 + 1 + n,
                None => start + 2,
            };
            if pos <= end {
                if let Some(first) = invalid_escape_before(text, open, start) {
                    return first;
                }
                return SyntaxError {
                    span: Span::new(start, end),
                    kind: SyntaxErrorKind::MalformedUnicodeEscape {
                        escape: text[start..end].to_string(),
                    },
                };
            }
        }
        return SyntaxError {
            span,
            kind: SyntaxErrorKind::UnterminatedString,
        };
    }
    if rules.contains(&Rule::triple_text)
        || (rules.contains(&Rule::triple_string) && rest.is_empty())
    {
        let start = text[..pos].rfind("\"\"\"").unwrap_or(pos);
        return SyntaxError {
            span: Span::new(start, (start + 3).min(text.len())),
            kind: SyntaxErrorKind::UnterminatedTripleString,
        };
    }

    // A missing `}`: point at the block that is not closed.
    if rest.trim_matches([' ', '\t', '\n', '\r']).is_empty()
        && tokens.iter().any(|t| t == "}")
        && let Some((start, end)) = unclosed_block(text)
    {
        let header = &text[start..end];
        let mut words = header.split_whitespace();
        let keyword = words.next().unwrap_or_default();
        if let Some(block) = KEYWORDS_AT_TOP
            .iter()
            .chain(&["stage", "task"])
            .find(|k| **k == keyword)
        {
            return SyntaxError {
                span: Span::new(start, end),
                kind: SyntaxErrorKind::UnclosedBlock {
                    block: block.to_string(),
                    id: words.next().unwrap_or_default().to_string(),
                },
            };
        }
    }
    // `lead-capture`: a name with a hyphen.
    if let Some(span) = hyphenated_name(text, pos) {
        return SyntaxError {
            span,
            kind: SyntaxErrorKind::HyphenInName {
                name: text[span.start..span.end].to_string(),
            },
        };
    }
    // `owner: r`, a habit from YAML.
    if rest.starts_with(':') && !text[..pos].ends_with(char::is_whitespace) {
        let attribute = previous_word(text, pos);
        if entries::is_attribute(attribute) {
            return SyntaxError {
                span: Span::new(pos, pos + 1),
                kind: SyntaxErrorKind::AttributeColon {
                    attribute: attribute.to_string(),
                },
            };
        }
    }

    let word_len = found_len(rest);
    let found_word = &rest[..word_len];
    let context = rules.iter().rev().find_map(|r| block_of(*r));
    let top_level = rules.contains(&Rule::file) && context.is_none();

    // `kpi k { target >= 5 by 2026-01-01 }`: a deadline is a goal's.
    if rules.contains(&Rule::unit) || (context == Some(BlockKind::Kpi) && found_word == "by") {
        let by_at = if found_word == "by" {
            Some(pos)
        } else if previous_word(text, pos) == "by" && !text[..pos].ends_with(char::is_whitespace) {
            Some(pos - 2)
        } else {
            None
        };
        if let Some(at) = by_at {
            return SyntaxError {
                span: Span::new(at, at + 2),
                kind: SyntaxErrorKind::DeadlineInKpi,
            };
        }
    }
    let keywords: Vec<String> = tokens
        .iter()
        .filter(|t| t.chars().all(|c| c.is_alphabetic() || c == '_'))
        .cloned()
        .collect();
    let mut expected = Vec::new();
    let mut allowed = Vec::new();
    if top_level && keywords.iter().any(|k| k == "sop") {
        expected.push("a block such as `sop`, `pipeline` or `role`, or `import`".to_string());
        allowed = KEYWORDS_AT_TOP.iter().map(|s| s.to_string()).collect();
    } else if let (Some(kind), true) = (context, tokens.iter().any(|t| t == "}")) {
        if let Some(err) = unclosed_before(text, pos, kind, found_word) {
            return err;
        }
        // What the block takes, as the grammar says: not the words that could continue the
        // attribute before (`by` after a goal's target, `when` after `-> s`).
        let held = entries::held_by(Some(kind));
        let attrs: Vec<String> = tokens
            .iter()
            .filter(|t| held.iter().any(|e| e.keyword == **t))
            .cloned()
            .collect();
        if attrs.is_empty() {
            expected.push("`}`".to_string());
        } else {
            let typical: Vec<String> = typical_attributes(kind)
                .iter()
                .filter(|a| attrs.iter().any(|t| t == *a))
                .map(|a| format!("`{a}`"))
                .collect();
            if tokens.iter().any(|t| t == ",") {
                expected.push("`,`".to_string());
            }
            // A word that would continue the attribute before: `by` after a goal's target.
            for t in &tokens {
                let word = t.chars().all(|c| c.is_alphabetic() || c == '_')
                    && t.chars().any(char::is_alphabetic);
                if word && !held.iter().any(|e| e.keyword == *t) {
                    push_unique(&mut expected, format!("`{t}`"));
                }
            }
            expected.push("`}`".to_string());
            expected.push(format!("an attribute such as {}", or_list(&typical)));
            allowed = attrs;
        }
    } else {
        for keyword in ["new_hire", "ongoing"] {
            if tokens.iter().any(|t| t == keyword) {
                push_unique(&mut expected, format!("`{keyword}`"));
            }
        }
        if tokens.iter().any(|t| t == "weekly") {
            push_unique(
                &mut expected,
                value_phrase(Rule::cadence).unwrap_or_default().to_string(),
            );
        }
        for rule in &rules {
            if let Some(p) = value_phrase(*rule) {
                push_unique(&mut expected, p.to_string());
            }
        }
        // Letters inside a value (the `h` of `24h`, the words of a cadence) are named by its phrase.
        let value_named = !expected.is_empty();
        for t in &tokens {
            let phrase = match t.as_str() {
                "\"" | "\"\"\"" => "a string".to_string(),
                _ if t.chars().all(|c| c.is_ascii_digit()) => continue,
                _ if value_named && t.chars().all(|c| c.is_alphabetic() || c == '_') => continue,
                other => format!("`{other}`"),
            };
            push_unique(&mut expected, phrase);
        }
        // Point at the whole word when the value went wrong inside it (`0x`, `2026-13`).
        let word_start = text[..pos]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '-' | '%'))
            .last()
            .map_or(pos, |(i, _)| i);
        // A character typed in place of ASCII right after a word (`销售代表｛`) is the one to name.
        let odd_char = ascii_for(&rest[..found_len(rest)]).is_some();
        if word_start < pos
            && !odd_char
            && let Some(err) = keyword_prefix(text, word_start, pos)
        {
            return err;
        }
        if word_start < pos && !odd_char {
            if expected.is_empty()
                && let Some(phrase) = value_after(previous_word(text, word_start))
            {
                expected.push(phrase.to_string());
            }
            // `>= 30%x`: the number of a comparison.
            if expected.is_empty() && text[..word_start].trim_end().ends_with(['=', '>', '<']) {
                expected.push(value_phrase(Rule::number).unwrap_or_default().to_string());
            }
            if expected.is_empty() {
                expected.push("something else".to_string());
            }
            let len: usize = text[word_start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '%' | '.'))
                .map(char::len_utf8)
                .sum();
            return unexpected(text, word_start, len, expected, None, Vec::new());
        }
        if rules.contains(&Rule::title) {
            expected.retain(|e| e != "a string");
        }
        if expected.is_empty() {
            expected.push("something else".to_string());
        }
    }
    if top_level
        && let Some(parent) = match found_word {
            "stage" => Some("pipeline"),
            "task" => Some("stage"),
            _ => None,
        }
    {
        let mut err = unexpected(text, pos, word_len, expected, None, allowed);
        if let SyntaxErrorKind::Unexpected { suggestion, .. } = &mut err.kind {
            *suggestion = None;
        }
        err.kind = match err.kind {
            SyntaxErrorKind::Unexpected {
                expected, found, ..
            } => SyntaxErrorKind::Misplaced {
                expected,
                found,
                belongs_in: parent.to_string(),
            },
            other => other,
        };
        return err;
    }
    let suggestion = if ascii_for(found_word).is_some() {
        super::fullwidth::repair(text, Span::new(pos, pos + word_len))
    } else if found_word.chars().all(|c| c.is_alphanumeric() || c == '_') && !found_word.is_empty()
    {
        crate::suggest::did_you_mean(found_word, allowed.iter().map(String::as_str))
    } else {
        None
    };
    let mut err = unexpected(
        text,
        pos,
        word_len,
        expected,
        if top_level { None } else { context },
        allowed,
    );
    if let SyntaxErrorKind::Unexpected { suggestion: s, .. } = &mut err.kind {
        *s = suggestion;
    }
    err
}

/// A word that starts with a keyword and goes on (`slaa`, `exitt`, `owners`): the grammar read
/// the keyword and failed on the letter after it, so its trace says what may follow the keyword,
/// not what may stand where the word is. The text is read again with the word taken out, which
/// fails where the word starts and names what the block takes there; the error is then about
/// the word, with the keyword it is closest to.
fn keyword_prefix(text: &str, start: usize, pos: usize) -> Option<SyntaxError> {
    let prefix = &text[start..pos];
    if !prefix.chars().all(|c| c.is_alphabetic() || c == '_')
        || !text[pos..].starts_with(unicode_ident::is_xid_continue)
    {
        return None;
    }
    let len = found_len(&text[start..]);
    let word = &text[start..start + len];
    // A character no rule of the grammar starts with, and no odd character the translation
    // names on its own.
    let mut variant = String::with_capacity(text.len());
    variant.push_str(&text[..start]);
    variant.push('\u{0}');
    variant.push_str(&text[start + len..]);
    let mut err = super::parser::parse(&variant).err()?;
    if err.span.start != start {
        return None;
    }
    let SyntaxErrorKind::Unexpected {
        expected,
        found,
        allowed,
        suggestion,
        ..
    } = &mut err.kind
    else {
        return None;
    };
    if expected.iter().any(|e| e == "something else") {
        return None;
    }
    *found = format!("`{word}`");
    // The attributes the block takes; in a value, the keywords it may be (`new_hire`, `weekly`).
    let mut words: Vec<String> = allowed.clone();
    if words.is_empty() {
        for e in expected.iter() {
            if let Some(w) = e.strip_prefix('`').and_then(|e| e.strip_suffix('`'))
                && w.chars().all(|c| c.is_alphabetic() || c == '_')
            {
                words.push(w.to_string());
            }
        }
        if expected
            .iter()
            .any(|e| Some(e.as_str()) == value_phrase(Rule::cadence))
        {
            words.extend(NAMED_CADENCES.iter().map(|c| c.to_string()));
        }
    }
    *suggestion = crate::suggest::did_you_mean(word, words.iter().map(String::as_str));
    err.span = Span::new(start, start + len);
    Some(err)
}

fn unexpected(
    text: &str,
    pos: usize,
    len: usize,
    expected: Vec<String>,
    context: Option<BlockKind>,
    allowed: Vec<String>,
) -> SyntaxError {
    let found = if pos >= text.len() {
        "end of file".to_string()
    } else {
        format!("`{}`", &text[pos..pos + len])
    };
    SyntaxError {
        span: Span::new(pos, pos + len),
        kind: SyntaxErrorKind::Unexpected {
            expected,
            found,
            context,
            allowed,
            suggestion: None,
        },
    }
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The length of the token at the start of `rest`: a word, or one character.
fn found_len(rest: &str) -> usize {
    let word: usize = rest
        .chars()
        .take_while(|c| unicode_ident::is_xid_continue(*c))
        .map(char::len_utf8)
        .sum();
    if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    }
}

/// The first `\u{...}` naming no Unicode character in the `"` string opened at `open`, before
/// `end` (a later bad escape, which the grammar sees first, is the second error in the string).
fn invalid_escape_before(text: &str, open: Option<usize>, end: usize) -> Option<SyntaxError> {
    let body = open? + 1;
    let e = super::strings::unescape(text.get(body..end)?).err()?;
    let start = body + e.offset;
    Some(SyntaxError {
        span: Span::new(start, start + e.len),
        kind: SyntaxErrorKind::InvalidEscape { code: e.code },
    })
}

/// Where the `"` string that contains `pos` opened, on the same line.
fn string_start(text: &str, pos: usize) -> Option<usize> {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..pos];
    let mut open = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if open.is_some() => {
                chars.next();
            }
            '"' => {
                open = if open.is_some() {
                    None
                } else {
                    Some(line_start + i)
                }
            }
            '#' if open.is_none() => break,
            _ => {}
        }
    }
    open
}

/// The header (`stage s`, from its keyword to its id) of the block whose `}` is missing in a
/// file that ends inside a block: the first one closed by a `}` indented less than its own line
/// (the brace of an outer block), else the innermost still open at the end.
fn unclosed_block(text: &str) -> Option<(usize, usize)> {
    let indent_at = |pos: usize| {
        let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..];
        (
            line_start,
            line.len() - line.trim_start_matches([' ', '\t']).len(),
        )
    };
    let mut open: Vec<usize> = Vec::new();
    let mut mismatched = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' | '"' => skip_comment_or_string(text, i, c, &mut chars),
            '{' => open.push(i),
            '}' => {
                if let Some(opener) = open.pop() {
                    let (start, own) = indent_at(opener);
                    let (_, closing) = indent_at(i);
                    let first_on_line = text[..i].ends_with([' ', '\t', '\n'])
                        && text[..i].trim_end_matches([' ', '\t']).ends_with('\n');
                    if mismatched.is_none() && first_on_line && closing < own {
                        mismatched = Some(start + own);
                    }
                }
            }
            _ => {}
        }
    }
    let start = match mismatched {
        Some(s) => s,
        None => {
            let (line_start, own) = indent_at(*open.last()?);
            line_start + own
        }
    };
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    // The keyword and the id: up to the end of the second word.
    let mut end = 0;
    for (n, word) in line.split_whitespace().take(2).enumerate() {
        let at = line[end..].find(word).map_or(end, |a| end + a);
        end = at + word.len();
        if n == 1 {
            end = at + word.find('{').unwrap_or(word.len());
        }
    }
    Some((start, start + end))
}

/// A block keyword (`found`) where an attribute of the `kind` block was expected, which that
/// block cannot hold but a block around it (or the file) can: the block is not closed before
/// it. The error points at the block's header.
fn unclosed_before(text: &str, pos: usize, kind: BlockKind, found: &str) -> Option<SyntaxError> {
    if !entries::is_block_keyword(found) || entries::holds_block(kind.keyword(), found) {
        return None;
    }
    let open = open_headers(&text[..pos]);
    let (innermost, around) = open.split_last()?;
    let header = innermost.as_ref()?;
    if header.keyword != kind.keyword() {
        return None;
    }
    let outer_holds = around
        .iter()
        .map(|h| h.as_ref().map_or("", |h| h.keyword.as_str()))
        .chain([""])
        .any(|container| entries::holds_block(container, found));
    if !outer_holds {
        return None;
    }
    let lines = super::source::LineIndex::new(text);
    Some(SyntaxError {
        span: Span::new(header.start, header.end),
        kind: SyntaxErrorKind::UnclosedBefore {
            block: header.keyword.clone(),
            id: header.id.clone(),
            line: lines.line_of(header.start) + 1,
            found: found.to_string(),
            before: lines.line_of(pos) + 1,
        },
    })
}

/// Steps `chars` over the comment or string that starts with `c` at `i` (`#`, `"` or `"""`): to
/// the end of the line, the closing quote or the end of the text.
fn skip_comment_or_string(
    text: &str,
    i: usize,
    c: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
) {
    if c == '#' {
        while chars.next_if(|(_, c)| !matches!(c, '\n' | '\r')).is_some() {}
    } else if text[i..].starts_with("\"\"\"") {
        let end = text[i + 3..]
            .find("\"\"\"")
            .map_or(text.len(), |e| i + 6 + e);
        while chars.next_if(|(j, _)| *j < end).is_some() {}
    } else {
        while let Some((_, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' | '\n' | '\r' => break,
                _ => {}
            }
        }
    }
}

/// The header of a block: its keyword and its id, and where they are written.
struct Header {
    start: usize,
    end: usize,
    keyword: String,
    id: String,
}

/// The blocks open at the end of `text`, the outermost first: each `{` not yet closed, with the
/// header before it when it has the shape `KEYWORD id "title"? {`. Strings and comments skipped.
fn open_headers(text: &str) -> Vec<Option<Header>> {
    enum Token {
        Word(usize, usize),
        Str,
        Other,
    }
    let mut open: Vec<Option<Header>> = Vec::new();
    let mut recent: Vec<Token> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => skip_comment_or_string(text, i, c, &mut chars),
            '"' => {
                skip_comment_or_string(text, i, c, &mut chars);
                recent.push(Token::Str);
            }
            '{' => {
                let words = match recent.as_slice() {
                    [.., Token::Word(ks, ke), Token::Word(is, ie), Token::Str]
                    | [.., Token::Word(ks, ke), Token::Word(is, ie)] => Some((*ks, *ke, *is, *ie)),
                    _ => None,
                };
                open.push(words.map(|(ks, ke, is, ie)| Header {
                    start: ks,
                    end: ie,
                    keyword: text[ks..ke].to_string(),
                    id: text[is..ie].to_string(),
                }));
                recent.clear();
            }
            '}' => {
                open.pop();
                recent.clear();
            }
            c if unicode_ident::is_xid_continue(c) => {
                let mut end = i + c.len_utf8();
                while let Some((j, d)) = chars.next_if(|(_, d)| unicode_ident::is_xid_continue(*d))
                {
                    end = j + d.len_utf8();
                }
                recent.push(Token::Word(i, end));
            }
            c if c.is_whitespace() => {}
            _ => recent.push(Token::Other),
        }
    }
    open
}

/// The span of a name written with a hyphen (`lead-capture`) when the parse stopped at or inside
/// it: a word that starts like a name and joins its parts with `-` (not `->`).
fn hyphenated_name(text: &str, pos: usize) -> Option<Span> {
    let part = |c: char| unicode_ident::is_xid_continue(c) || c == '-';
    let start = text[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| part(*c))
        .last()
        .map_or(pos, |(i, _)| i);
    let len: usize = text[start..]
        .chars()
        .take_while(|c| part(*c))
        .map(char::len_utf8)
        .sum();
    let word = text[start..start + len].trim_end_matches('-');
    let first = word.chars().next()?;
    let joined = word.contains('-')
        && !word.contains("--")
        && (unicode_ident::is_xid_start(first) || first == '_')
        && !text[start + word.len()..].starts_with('>')
        && pos <= start + word.len();
    joined.then(|| Span::new(start, start + word.len()))
}
