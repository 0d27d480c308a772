//! The abstract syntax tree: what a `.sop` file says, with byte spans into its text.

use serde::Serialize;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// An identifier as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal after escapes and indentation stripping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
    /// Written as `"""..."""`.
    pub triple: bool,
}

/// A whole source file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceFile {
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
}

/// A `#` comment, found by a lexical scan after a successful parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, without the line ending.
    pub text: String,
    pub span: Span,
    /// Nothing but whitespace precedes it on its line.
    pub own_line: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Import(Import),
    Block(Block),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub path: Str,
    pub span: Span,
}

/// The kinds of block of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Sop,
    Goal,
    Strategy,
    Role,
    Pipeline,
    Stage,
    Task,
    Training,
    Kpi,
    Feedback,
}

impl BlockKind {
    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Sop => "sop",
            BlockKind::Goal => "goal",
            BlockKind::Strategy => "strategy",
            BlockKind::Role => "role",
            BlockKind::Pipeline => "pipeline",
            BlockKind::Stage => "stage",
            BlockKind::Task => "task",
            BlockKind::Training => "training",
            BlockKind::Kpi => "kpi",
            BlockKind::Feedback => "feedback",
        }
    }
}

/// `KEYWORD id "Title"? { entries }`
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub keyword_span: Span,
    pub id: Ident,
    pub title: Option<Str>,
    pub entries: Vec<Entry>,
    /// From the keyword to the closing brace.
    pub span: Span,
}

impl Block {
    /// The keyword and id: where diagnostics about the block point.
    pub fn header_span(&self) -> Span {
        self.keyword_span.to(self.id.span)
    }

    pub fn attrs(&self) -> impl Iterator<Item = &Attr> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Attr(a) => Some(a),
            _ => None,
        })
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Block(b) => Some(b),
            _ => None,
        })
    }

    pub fn transitions(&self) -> impl Iterator<Item = &Transition> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Transition(t) => Some(t),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Attr(Attr),
    Block(Block),
    Transition(Transition),
}

impl Entry {
    pub fn span(&self) -> Span {
        match self {
            Entry::Attr(a) => a.span,
            Entry::Block(b) => b.span,
            Entry::Transition(t) => t.span,
        }
    }
}

/// `-> target when "condition"`
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub target: Ident,
    pub when: Option<Str>,
    pub span: Span,
}

/// Attribute names of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttrKey {
    Version,
    Owner,
    Review,
    Reviewed,
    Lang,
    Summary,
    Description,
    Guidance,
    Target,
    Region,
    Product,
    Supports,
    Responsibilities,
    Skills,
    ReportsTo,
    Start,
    Case,
    Sla,
    Requires,
    Entry,
    Exit,
    Terminal,
    Due,
    DoneWhen,
    For,
    When,
    Topics,
    Format,
    Duration,
    Assessment,
    Kind,
    Measure,
    Unit,
    Source,
    Stage,
    Cadence,
    With,
    Covers,
}

impl AttrKey {
    pub fn keyword(self) -> &'static str {
        use AttrKey::*;
        match self {
            Version => "version",
            Owner => "owner",
            Review => "review",
            Reviewed => "reviewed",
            Lang => "lang",
            Summary => "summary",
            Description => "description",
            Guidance => "guidance",
            Target => "target",
            Region => "region",
            Product => "product",
            Supports => "supports",
            Responsibilities => "responsibilities",
            Skills => "skills",
            ReportsTo => "reports_to",
            Start => "start",
            Case => "case",
            Sla => "sla",
            Requires => "requires",
            Entry => "entry",
            Exit => "exit",
            Terminal => "terminal",
            Due => "due",
            DoneWhen => "done_when",
            For => "for",
            When => "when",
            Topics => "topics",
            Format => "format",
            Duration => "duration",
            Assessment => "assessment",
            Kind => "kind",
            Measure => "measure",
            Unit => "unit",
            Source => "source",
            Stage => "stage",
            Cadence => "cadence",
            With => "with",
            Covers => "covers",
        }
    }

    /// Whether giving the attribute twice adds to a list instead of being a duplicate.
    pub fn is_list(self) -> bool {
        use AttrKey::*;
        matches!(
            self,
            Target
                | Supports
                | Responsibilities
                | Skills
                | Requires
                | Entry
                | Exit
                | For
                | Topics
                | Format
                | With
                | Covers
        )
    }
}

/// One attribute: its name and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub key: AttrKey,
    pub key_span: Span,
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A flag such as `terminal`.
    Flag,
    Ident(Ident),
    Idents(Vec<Ident>),
    Str(Str),
    Strings(Vec<Str>),
    Duration(Duration),
    Cadence(Cadence),
    /// `new_hire`, `ongoing` or a cadence.
    TrainingWhen(TrainingWhen),
    KpiKind(KpiKind, Span),
    /// `conversion`, `count`, `amount` or `duration` after `measure`.
    Measure(Measure, Span),
    /// A date such as `2026-06-30` (after `reviewed`).
    Date(Date),
    GoalTarget(GoalTarget),
    KpiTarget(KpiTarget),
    /// `stage` or `pipeline.stage`.
    StagePath(StagePath),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DurationUnit {
    #[serde(rename = "m")]
    Minutes,
    #[serde(rename = "h")]
    Hours,
    #[serde(rename = "d")]
    Days,
    #[serde(rename = "w")]
    Weeks,
}

impl DurationUnit {
    pub fn suffix(self) -> char {
        match self {
            DurationUnit::Minutes => 'm',
            DurationUnit::Hours => 'h',
            DurationUnit::Days => 'd',
            DurationUnit::Weeks => 'w',
        }
    }

    pub fn minutes(self) -> u64 {
        match self {
            DurationUnit::Minutes => 1,
            DurationUnit::Hours => 60,
            DurationUnit::Days => 60 * 24,
            DurationUnit::Weeks => 60 * 24 * 7,
        }
    }
}

/// `24h`. `amount` is `None` when the digits overflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duration {
    pub amount: Option<u64>,
    pub unit: DurationUnit,
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NamedCadence {
    Daily,
    Weekly,
    Biweekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl NamedCadence {
    pub fn keyword(self) -> &'static str {
        match self {
            NamedCadence::Daily => "daily",
            NamedCadence::Weekly => "weekly",
            NamedCadence::Biweekly => "biweekly",
            NamedCadence::Monthly => "monthly",
            NamedCadence::Quarterly => "quarterly",
            NamedCadence::Yearly => "yearly",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    Named(NamedCadence, Span),
    Every(Duration, Span),
}

impl Cadence {
    pub fn span(&self) -> Span {
        match self {
            Cadence::Named(_, s) | Cadence::Every(_, s) => *s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingWhen {
    NewHire(Span),
    Ongoing(Span),
    Cadence(Cadence),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KpiKind {
    Quantitative,
    Qualitative,
}

/// What the audit computes for a kpi: `measure conversion | count | amount | duration`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// The share of cases that reach the kpi's stage.
    Conversion,
    /// How many cases reach it.
    Count,
    /// A sum of money.
    Amount,
    /// The median time from a case's first event to its first entry into the kpi's stage.
    Duration,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::Conversion,
        Measure::Count,
        Measure::Amount,
        Measure::Duration,
    ];

    /// How it is written after `measure`.
    pub fn keyword(self) -> &'static str {
        match self {
            Measure::Conversion => "conversion",
            Measure::Count => "count",
            Measure::Amount => "amount",
            Measure::Duration => "duration",
        }
    }

    /// The measure written `keyword`.
    pub fn from_keyword(keyword: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.keyword() == keyword)
    }
}

/// How a value compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub enum Comparator {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
}

impl Comparator {
    /// Every comparator, longest symbol first (so `>=` is tried before `>`).
    pub const ALL: [Comparator; 5] = [
        Comparator::Ge,
        Comparator::Le,
        Comparator::Gt,
        Comparator::Lt,
        Comparator::Eq,
    ];

    /// The comparator written `symbol`.
    pub fn from_symbol(symbol: &str) -> Option<Comparator> {
        Comparator::ALL.into_iter().find(|c| c.symbol() == symbol)
    }

    /// How it is written: `>=`, `<=`, `>`, `<` or `=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Ge => ">=",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Lt => "<",
            Comparator::Eq => "=",
        }
    }
}

/// `5_000_000 CNY`, `30%`, `4.5`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The number as written, with `_` and `%`.
    pub text: String,
    pub value: f64,
    pub percent: bool,
    pub number_span: Span,
    pub unit: Option<Ident>,
}

/// A calendar date as written; validity is checked later (`invalid-value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub text: String,
    pub span: Span,
}

/// `target revenue >= 5_000_000 CNY by 2026-09-30` in a goal.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalTarget {
    pub kpi: Ident,
    pub comparator: Comparator,
    pub quantity: Quantity,
    pub by: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Period {
    pub const ALL: [Period; 5] = [
        Period::Day,
        Period::Week,
        Period::Month,
        Period::Quarter,
        Period::Year,
    ];

    /// The period written `keyword` after `per`.
    pub fn from_keyword(keyword: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.keyword() == keyword)
    }

    /// How it is written after `per`: `day`, `week`, `month`, `quarter` or `year`.
    pub fn keyword(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
}

/// `target >= 5_000_000 per quarter` in a kpi.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiTarget {
    pub comparator: Comparator,
    pub quantity: Quantity,
    pub per: Option<(Period, Span)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePath {
    pub pipeline: Option<Ident>,
    pub stage: Ident,
    pub span: Span,
}
