//! The abstract syntax tree: what a `.sop` file says, with byte spans into its text.

use serde::Serialize;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte (exclusive).
    pub end: usize,
}

impl Span {
    /// The span from byte `start` up to, not including, byte `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Whether `other` lies wholly inside this span (equal bounds count).
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte (a position, such as the end of the file).
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// An identifier as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The identifier as written; case-sensitive, may be non-ASCII (`销售代表`).
    pub name: String,
    /// The identifier's bytes in the file.
    pub span: Span,
}

/// A string literal after escapes and indentation stripping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    /// The value: escapes processed for `"..."`, indentation stripped for `"""..."""`.
    pub value: String,
    /// The literal as written, quotes included.
    pub span: Span,
    /// Written as `"""..."""`.
    pub triple: bool,
}

/// A whole source file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceFile {
    /// Imports and top-level blocks, in source order.
    pub items: Vec<Item>,
    /// Every `#` comment of the file, in source order.
    pub comments: Vec<Comment>,
}

impl SourceFile {
    /// A document is a file with a `sop` block (its header); a file without one is a library.
    pub fn is_document(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i, Item::Block(b) if b.kind == BlockKind::Sop))
    }
}

/// A `#` comment, found by a lexical scan after a successful parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, without the line ending.
    pub text: String,
    /// From the `#` to the end of the line, the line ending excluded.
    pub span: Span,
    /// Nothing but whitespace precedes it on its line.
    pub own_line: bool,
}

/// A top-level item of a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `import "path"`.
    Import(Import),
    /// A top-level block: any kind but `stage` and `task`, which only nest.
    Block(Block),
}

/// `import "path"`: pulls the other file's definitions into the importing document.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The path as written, relative to the directory of the importing file.
    pub path: Str,
    /// From `import` to the end of the path string.
    pub span: Span,
}

/// The kinds of block of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// `sop`: the document header; a file with one is a document, one without a library.
    Sop,
    /// `goal`: what the team aims for, as targets on kpis.
    Goal,
    /// `strategy`: how the goals are reached.
    Strategy,
    /// `role`: who does the work.
    Role,
    /// `pipeline`: the flow of work through its stages.
    Pipeline,
    /// `stage`: one step of a pipeline; only inside a `pipeline`.
    Stage,
    /// `task`: one piece of work of a stage; only inside a `stage`.
    Task,
    /// `training`: how people learn the work.
    Training,
    /// `kpi`: how the work is measured.
    Kpi,
    /// `feedback`: a recurring meeting that corrects course.
    Feedback,
}

impl BlockKind {
    /// Every kind of block, in the order the language reference lists them.
    pub const ALL: [BlockKind; 10] = [
        BlockKind::Sop,
        BlockKind::Goal,
        BlockKind::Strategy,
        BlockKind::Role,
        BlockKind::Pipeline,
        BlockKind::Stage,
        BlockKind::Task,
        BlockKind::Training,
        BlockKind::Kpi,
        BlockKind::Feedback,
    ];

    /// The keyword that opens a block of this kind, e.g. `"stage"`.
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
    /// Which keyword opens the block.
    pub kind: BlockKind,
    /// The keyword alone.
    pub keyword_span: Span,
    /// The id other blocks refer to it by; unique in its namespace (language.md §5).
    pub id: Ident,
    /// The quoted title after the id; `None` when absent, and then the id serves as the title.
    pub title: Option<Str>,
    /// Attributes, nested blocks and transitions between the braces, in source order.
    pub entries: Vec<Entry>,
    /// From the keyword to the closing brace.
    pub span: Span,
}

impl Block {
    /// The keyword and id: where diagnostics about the block point.
    pub fn header_span(&self) -> Span {
        self.keyword_span.to(self.id.span)
    }

    /// The block's attributes, in source order.
    pub fn attrs(&self) -> impl Iterator<Item = &Attr> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Attr(a) => Some(a),
            _ => None,
        })
    }

    /// The nested blocks (a pipeline's stages, a stage's tasks), in source order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Block(b) => Some(b),
            _ => None,
        })
    }

    /// The `->` transitions (only a stage has any), in source order.
    pub fn transitions(&self) -> impl Iterator<Item = &Transition> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Transition(t) => Some(t),
            _ => None,
        })
    }
}

/// One thing between a block's braces.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// An attribute: its name and value.
    Attr(Attr),
    /// A nested block: a `stage` in a `pipeline` or a `task` in a `stage`.
    Block(Block),
    /// `-> target when "..."`, in a stage.
    Transition(Transition),
}

impl Entry {
    /// Where the attribute, block or transition stands.
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
    /// The plain id of a stage of the same pipeline.
    pub target: Ident,
    /// The condition after `when`: words for people, never evaluated; `None` without one.
    pub when: Option<Str>,
    /// From `->` to the end of its last token.
    pub span: Span,
}

/// Attribute names of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttrKey {
    /// `version` of `sop`: the SOP's version string, e.g. `"1.0"`.
    Version,
    /// `owner`: the role accountable for a `sop`, goal, strategy, stage, task, kpi or feedback.
    Owner,
    /// `review`: how often a `sop` or a kpi is reviewed (a cadence).
    Review,
    /// `reviewed` of `sop`: the date of the SOP's last review.
    Reviewed,
    /// `lang` of `sop`: the language of generated labels, `"en"` (default) or `"zh"`.
    Lang,
    /// `summary` of `sop`: a short statement of what the SOP covers.
    Summary,
    /// `description`: free text, accepted by every block.
    Description,
    /// `guidance` of a stage or task: how-to text for the handbook.
    Guidance,
    /// `target`: a goal's `KPI CMP NUMBER [UNIT] [by DATE]` (repeatable), or a kpi's
    /// `CMP NUMBER [UNIT] [per PERIOD]`.
    Target,
    /// `region` of a goal: the region it applies to.
    Region,
    /// `product` of a goal: the product it applies to.
    Product,
    /// `supports` of a strategy: the goals it serves.
    Supports,
    /// `responsibilities` of a role: what it is responsible for.
    Responsibilities,
    /// `skills` of a role: the skills it needs.
    Skills,
    /// `reports_to` of a role: the role it reports to.
    ReportsTo,
    /// `start` of a pipeline: the stage where work enters; default the first stage.
    Start,
    /// `case` of a pipeline: what one item flowing through it is called.
    Case,
    /// `sla` of a stage: the longest work is expected to stay in it.
    Sla,
    /// `requires`: trainings a stage's owner must have taken, or a training's prerequisites.
    Requires,
    /// `entry` of a stage: what is true when work enters it.
    Entry,
    /// `exit` of a stage: what must be true before work leaves it.
    Exit,
    /// `terminal` flag of a stage: it ends the pipeline.
    Terminal,
    /// `due` of a task: the time allowed, counted from when work enters the stage.
    Due,
    /// `done_when` of a task: its completion standard.
    DoneWhen,
    /// `for` of a training: the roles that take it.
    For,
    /// `when` of a training: `new_hire`, `ongoing` or a cadence.
    When,
    /// `topics` of a training: what it covers.
    Topics,
    /// `format` of a training: free identifiers such as `classroom`, `role_play`.
    Format,
    /// `duration` of a training: how long it takes.
    Duration,
    /// `assessment` of a training: how completion is assessed.
    Assessment,
    /// `kind` of a kpi: `quantitative` or `qualitative`.
    Kind,
    /// `measure` of a kpi: what the audit computes (conversion, count, amount, duration).
    Measure,
    /// `unit` of a kpi: the unit it is measured in, e.g. `CNY`.
    Unit,
    /// `source` of a kpi: where its figures come from.
    Source,
    /// `stage` of a kpi: the stage whose outcome it measures.
    Stage,
    /// `cadence` of a feedback: how often it takes place.
    Cadence,
    /// `with` of a feedback: the roles taking part.
    With,
    /// `covers` of a feedback: the kpis discussed.
    Covers,
}

impl AttrKey {
    /// The attribute's name as written, e.g. `"reports_to"`.
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
    /// Which attribute.
    pub key: AttrKey,
    /// The attribute's name alone.
    pub key_span: Span,
    /// What follows the name.
    pub value: Value,
    /// From the name to the end of the value.
    pub span: Span,
}

/// What an attribute holds after its name; which variant depends on the attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A flag such as `terminal`.
    Flag,
    /// One identifier: `owner`, `reports_to`, `start` or `unit`.
    Ident(Ident),
    /// A comma-separated identifier list, even of one: `supports`, `requires`, `for`, `format`,
    /// `with`, `covers`.
    Idents(Vec<Ident>),
    /// One string: `version`, `lang`, `summary`, `description`, `guidance`, `region`, ...
    Str(Str),
    /// A comma-separated string list: `responsibilities`, `skills`, `entry`, `exit`, `topics`.
    Strings(Vec<Str>),
    /// `sla`, `due` or a training's `duration`.
    Duration(Duration),
    /// `review` or a feedback's `cadence`.
    Cadence(Cadence),
    /// `new_hire`, `ongoing` or a cadence.
    TrainingWhen(TrainingWhen),
    /// A kpi's `kind`, with the span of its `quantitative` or `qualitative`.
    KpiKind(KpiKind, Span),
    /// `conversion`, `count`, `amount` or `duration` after `measure`.
    Measure(Measure, Span),
    /// A date such as `2026-06-30` (after `reviewed`).
    Date(Date),
    /// A goal's `target`.
    GoalTarget(GoalTarget),
    /// A kpi's `target`.
    KpiTarget(KpiTarget),
    /// `stage` or `pipeline.stage`.
    StagePath(StagePath),
}

/// The unit letter written right after a duration's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DurationUnit {
    /// `m`: minutes (not months).
    #[serde(rename = "m")]
    Minutes,
    /// `h`: hours.
    #[serde(rename = "h")]
    Hours,
    /// `d`: days.
    #[serde(rename = "d")]
    Days,
    /// `w`: weeks.
    #[serde(rename = "w")]
    Weeks,
}

impl DurationUnit {
    /// The letter written after the number: `m`, `h`, `d` or `w`.
    pub fn suffix(self) -> char {
        match self {
            DurationUnit::Minutes => 'm',
            DurationUnit::Hours => 'h',
            DurationUnit::Days => 'd',
            DurationUnit::Weeks => 'w',
        }
    }

    /// How many minutes one unit is (a week is 10 080).
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
    /// The whole number before the unit letter.
    pub amount: Option<u64>,
    /// The unit letter.
    pub unit: DurationUnit,
    /// The duration as written, e.g. `24h`.
    pub text: String,
    /// The number and its unit letter.
    pub span: Span,
}

/// A cadence written as a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NamedCadence {
    /// `daily`.
    Daily,
    /// `weekly`.
    Weekly,
    /// `biweekly`: every two weeks.
    Biweekly,
    /// `monthly`.
    Monthly,
    /// `quarterly`.
    Quarterly,
    /// `yearly`.
    Yearly,
}

impl NamedCadence {
    /// How it is written, e.g. `"biweekly"`.
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

/// How often something recurs: `review`, a feedback's `cadence`, a training's `when`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    /// `daily` ... `yearly`, with the span of the word.
    Named(NamedCadence, Span),
    /// `every DURATION`, with the span from `every` to the end of the duration.
    Every(Duration, Span),
}

impl Cadence {
    /// The whole cadence as written, `every` included.
    pub fn span(&self) -> Span {
        match self {
            Cadence::Named(_, s) | Cadence::Every(_, s) => *s,
        }
    }
}

/// A training's `when`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingWhen {
    /// `new_hire`: taken at onboarding; the span of the word.
    NewHire(Span),
    /// `ongoing`: taken continuously; the span of the word.
    Ongoing(Span),
    /// On a schedule: `monthly`, `every 2w`, ...
    Cadence(Cadence),
}

/// A kpi's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KpiKind {
    /// `quantitative`: measured as a number.
    Quantitative,
    /// `qualitative`: assessed by judgement.
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
    /// Every measure, in the order of the variants.
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
    /// `>=`: at least.
    #[serde(rename = ">=")]
    Ge,
    /// `<=`: at most.
    #[serde(rename = "<=")]
    Le,
    /// `>`: more than.
    #[serde(rename = ">")]
    Gt,
    /// `<`: less than.
    #[serde(rename = "<")]
    Lt,
    /// `=`: exactly.
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
    /// The number without `_` and `%` (`30%` gives `30.0`); infinite if it does not parse.
    pub value: f64,
    /// Written with `%`; the value must then lie between 0 and 100 (`invalid-value`).
    pub percent: bool,
    /// The number and its `%`, without the unit.
    pub number_span: Span,
    /// The unit identifier after the number, e.g. `CNY`; `None` when absent.
    pub unit: Option<Ident>,
}

/// A calendar date as written; validity is checked later (`invalid-value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    /// The `YYYY` part.
    pub year: u32,
    /// The `MM` part, 1-based as written; not yet checked to be a month.
    pub month: u32,
    /// The `DD` part, not yet checked against the month.
    pub day: u32,
    /// The date as written, `YYYY-MM-DD`.
    pub text: String,
    /// The date's bytes in the file.
    pub span: Span,
}

/// `target revenue >= 5_000_000 CNY by 2026-09-30` in a goal.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalTarget {
    /// The id of the kpi the target is on: the first word after `target`.
    pub kpi: Ident,
    /// How the kpi's value must compare with the quantity.
    pub comparator: Comparator,
    /// The number or percentage to reach, with its optional unit.
    pub quantity: Quantity,
    /// The deadline after `by`; `None` without one (`goal-without-deadline` if no target has one).
    pub by: Option<Date>,
}

/// The period after `per` in a kpi's `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// `per day`.
    Day,
    /// `per week`.
    Week,
    /// `per month`.
    Month,
    /// `per quarter`.
    Quarter,
    /// `per year`.
    Year,
}

impl Period {
    /// Every period, shortest first.
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
    /// How the kpi's value must compare with the quantity.
    pub comparator: Comparator,
    /// The number or percentage to reach, with its optional unit.
    pub quantity: Quantity,
    /// The period after `per`, with the span of its word; `None` when absent.
    pub per: Option<(Period, Span)>,
}

/// A kpi's `stage`: `stage` or `pipeline.stage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePath {
    /// The `pipeline.` part; `None` for a plain id (then one pipeline only may have that stage).
    pub pipeline: Option<Ident>,
    /// The stage id (after the dot, if any).
    pub stage: Ident,
    /// The whole path as written.
    pub span: Span,
}
