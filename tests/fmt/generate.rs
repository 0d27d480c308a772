//! Random `.sop` documents for the formatter's property test: every block kind and attribute,
//! comments and blank lines in every place, tabs and CRLF, Unicode ids and strings, escapes and
//! triple-quoted strings. Each document is read off a tape of choices, so proptest shrinks a
//! failing one toward a small, plain document: choice 0 is always the simplest, and past the
//! end of the tape every choice is 0.

pub fn document(tape: &[u8]) -> String {
    let mut g = Gen {
        tape,
        at: 0,
        out: String::new(),
    };
    if g.pick(8) == 0 {
        g.out.push('\u{FEFF}');
    }
    if g.pick(3) == 0 {
        let c = g.comment();
        g.push(&format!("{c}\n\n"));
    }
    let items = g.pick(6);
    for k in 0..items {
        let kind = g.pick(9);
        if k > 0 {
            // A suppression comment goes above a block only: above a line that starts with an
            // import and has a block after it, it would apply to that block, and no longer once
            // the block is on its own line. The formatter refuses such a file.
            g.between(kind > 0);
        }
        g.item(kind);
    }
    match g.pick(4) {
        0 => g.push("\n"),
        1 => {}
        2 => {
            let c = g.comment();
            g.push(&format!(" {c}\n\n{c}\n"));
        }
        _ => g.push("\n\n\n"),
    }
    let crlf = g.pick(4) == 0;
    if crlf {
        g.out.replace('\n', "\r\n")
    } else {
        g.out
    }
}

struct Gen<'a> {
    tape: &'a [u8],
    at: usize,
    out: String,
}

const IDS: &[&str] = &[
    "a",
    "lead_capture",
    "销售代表",
    "客户筛选",
    "_x1",
    "review",
    "stage",
    "when",
    "Ünïcödé",
    "q3",
];

const COMMENTS: &[&str] = &[
    "# c",
    "#",
    "# 中文注释：阶段说明",
    "# trailing spaces   ",
    "#no space \"quoted\" {x} -> y",
    "#\ttab",
    "## twice",
];

const STRINGS: &[&str] = &[
    "\"x\"",
    "\"线索包含来源、联系人、公司规模\"",
    r#""a \"quoted\" \\ back\nslash\t""#,
    r#""\u{4E2D}\u{6587} # not a comment \u{D}""#,
    "\"raw\ttab and émoji 🎉\"",
    "\"\"",
    "\"\"\"C:\\new\"\"\"",
    "\"\"\"   \"\"\"",
];

impl Gen<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let v = self.tape.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(v) % n
    }

    fn one(&mut self, options: &[&str]) -> String {
        options[self.pick(options.len())].to_string()
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn comment(&mut self) -> String {
        self.one(COMMENTS)
    }

    /// Whitespace between two tokens of one line, maybe with comments in it.
    fn space(&mut self) {
        let s = match self.pick(14) {
            0..=5 => " ".to_string(),
            6 => "\t".to_string(),
            7 => "\n      ".to_string(),
            8 => "   ".to_string(),
            9 => format!(" {}\n  ", self.comment()),
            10 => format!("\n{}\n\t", self.comment()),
            11 => "\r\n\t".to_string(),
            12 => format!("\n\n  {}\n\n", self.comment()),
            _ => format!(" {}\n{}\n ", self.comment(), self.comment()),
        };
        self.push(&s);
    }

    /// Whitespace between two entries of a block (or two items of the file, or a brace and an
    /// entry), maybe with comments and blank lines.
    fn between(&mut self, before_block: bool) {
        let s = match self.pick(11) {
            0..=3 => "\n  ".to_string(),
            4 => " ".to_string(),
            5 => "\n\n\n    ".to_string(),
            6 => format!(" {}\n  ", self.comment()),
            7 => format!("\n  {}\n  ", self.comment()),
            8 => format!("\n\n\t{}\n\n  {}\n ", self.comment(), self.comment()),
            9 => format!(" {}\n\n{}\n", self.comment(), self.comment()),
            _ if before_block => "\n# sopc: allow(task-without-due) -- why\n".to_string(),
            _ => "\n".to_string(),
        };
        self.push(&s);
    }

    fn ident(&mut self) -> String {
        self.one(IDS)
    }

    fn string(&mut self) -> String {
        if self.pick(5) > 0 {
            return self.one(STRINGS);
        }
        let indent = self.one(&["  ", "    ", "\t", ""]);
        let closing = self.one(&["", "  ", "\t\t"]);
        let first = self.one(&["", "  "]);
        let body = match self.pick(3) {
            0 => format!("{indent}one line"),
            1 => format!(
                "{indent}line one\n\n{indent}  indented # not a comment\n{indent}said \"hi\""
            ),
            _ => format!("{indent}第一行\n{indent}\t第二行 \\n stays"),
        };
        format!("\"\"\"{first}\n{body}\n{closing}\"\"\"")
    }

    fn list(&mut self, item: fn(&mut Self) -> String) {
        let n = 1 + self.pick(3);
        for k in 0..n {
            if k > 0 {
                if self.pick(3) == 0 {
                    self.space();
                }
                self.push(",");
                self.space();
            }
            let s = item(self);
            self.push(&s);
        }
    }

    fn duration(&mut self) -> String {
        self.one(&["2d", "24h", "90m", "1w", "007d"])
    }

    fn cadence(&mut self) {
        if self.pick(3) == 0 {
            self.push("every");
            self.space();
            let d = self.duration();
            self.push(&d);
        } else {
            let c = self.one(&["weekly", "quarterly", "daily", "biweekly"]);
            self.push(&c);
        }
    }

    fn quantity(&mut self) {
        let cmp = self.one(&[">=", "<=", ">", "<", "="]);
        self.push(&cmp);
        self.space();
        let n = self.one(&["5_000_000", "30%", "4.5", "0", "92.5%"]);
        self.push(&n);
        if self.pick(2) == 0 {
            self.space();
            let u = self.one(&["CNY", "客户", "deals"]);
            self.push(&u);
        }
    }

    fn item(&mut self, kind: usize) {
        match kind {
            0 => {
                self.push("import");
                self.space();
                let s = self.one(&["\"shared/roles.sop\"", "\"共享/角色.sop\""]);
                self.push(&s);
            }
            k => {
                let kind = [
                    "role", "sop", "goal", "strategy", "pipeline", "training", "kpi", "feedback",
                ][k - 1];
                self.block(kind, 0);
            }
        }
    }

    fn block(&mut self, kind: &str, depth: usize) {
        self.push(kind);
        self.space();
        let id = self.ident();
        self.push(&id);
        if self.pick(2) == 0 {
            self.space();
            let t = self.string();
            self.push(&t);
        }
        if self.pick(3) > 0 {
            self.space();
        }
        self.push("{");
        let n = self.pick(if depth < 2 { 6 } else { 3 });
        for _ in 0..n {
            let nested = match kind {
                "pipeline" if self.pick(2) == 0 => Some("stage"),
                "stage" if depth < 2 && self.pick(4) == 0 => Some("task"),
                _ => None,
            };
            self.between(nested.is_some());
            match nested {
                Some(k) => self.block(k, depth + 1),
                None => self.attr(kind),
            }
        }
        if n > 0 || self.pick(2) == 0 {
            self.between(false);
        }
        self.push("}");
    }

    fn keyword(&mut self, kw: &str) {
        self.push(kw);
        self.space();
    }

    fn attr(&mut self, kind: &str) {
        let keys: &[&str] = match kind {
            "sop" => &[
                "version",
                "owner",
                "review",
                "lang",
                "summary",
                "description",
            ],
            "goal" => &["target", "region", "product", "owner", "description"],
            "strategy" => &["supports", "owner", "description"],
            "role" => &["responsibilities", "skills", "reports_to", "description"],
            "pipeline" => &["start", "description"],
            "stage" => &[
                "->",
                "owner",
                "sla",
                "requires",
                "entry",
                "exit",
                "terminal",
                "guidance",
                "description",
                "->",
            ],
            "task" => &["owner", "due", "done_when", "guidance", "description"],
            "training" => &[
                "for",
                "when",
                "topics",
                "format",
                "duration",
                "requires",
                "assessment",
                "description",
            ],
            "kpi" => &[
                "kind",
                "unit",
                "target",
                "owner",
                "source",
                "review",
                "stage",
                "description",
            ],
            _ => &["cadence", "owner", "with", "covers", "description"],
        };
        let key = self.one(keys);
        if key == "terminal" {
            return self.push("terminal");
        }
        self.keyword(&key);
        match (kind, key.as_str()) {
            (_, "->") => {
                let id = self.ident();
                self.push(&id);
                if self.pick(2) == 0 {
                    self.space();
                    self.keyword("when");
                    let s = self.string();
                    self.push(&s);
                }
            }
            ("goal", "target") => {
                let id = self.ident();
                self.push(&id);
                self.space();
                self.quantity();
                if self.pick(2) == 0 {
                    self.space();
                    self.keyword("by");
                    self.push("2026-09-30");
                }
            }
            ("kpi", "target") => {
                self.quantity();
                if self.pick(2) == 0 {
                    self.space();
                    self.keyword("per");
                    let p = self.one(&["quarter", "day", "week", "month", "year"]);
                    self.push(&p);
                }
            }
            ("kpi", "kind") => {
                let k = self.one(&["quantitative", "qualitative"]);
                self.push(&k);
            }
            ("kpi", "stage") => {
                let p = self.one(&["a", "p.b", "销售流程.客户筛选"]);
                self.push(&p);
            }
            ("training", "when") => match self.pick(3) {
                0 => self.push("new_hire"),
                1 => self.push("ongoing"),
                _ => self.cadence(),
            },
            (_, "review" | "cadence") => self.cadence(),
            (_, "sla" | "due" | "duration") => {
                let d = self.duration();
                self.push(&d);
            }
            (_, "owner" | "reports_to" | "start" | "unit") => {
                let id = self.ident();
                self.push(&id);
            }
            (_, "supports" | "requires" | "for" | "format" | "with" | "covers") => {
                self.list(Self::ident);
            }
            (_, "responsibilities" | "skills" | "entry" | "exit" | "topics") => {
                self.list(Self::string);
            }
            _ => {
                let s = self.string();
                self.push(&s);
            }
        }
    }
}
