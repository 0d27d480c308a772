//! Parser table tests: input -> a compact dump of the AST; syntax errors -> message and place.

use sopc::syntax::{self, Attr, Block, Entry, Item, LineIndex, Value};

fn dump_value(v: &Value) -> String {
    match v {
        Value::Flag => String::new(),
        Value::Ident(i) => i.name.clone(),
        Value::Idents(ids) => ids
            .iter()
            .map(|i| i.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Str(s) => format!("{:?}", s.value),
        Value::Strings(v) => v
            .iter()
            .map(|s| format!("{:?}", s.value))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Duration(d) => format!("{:?}{}", d.amount, d.unit.suffix()),
        Value::Cadence(c) => {
            format!("{c:?}").split('(').next().unwrap_or("").to_string() + &cadence(c)
        }
        Value::TrainingWhen(w) => match w {
            syntax::TrainingWhen::NewHire(_) => "new_hire".into(),
            syntax::TrainingWhen::Ongoing(_) => "ongoing".into(),
            syntax::TrainingWhen::Cadence(c) => cadence(c),
        },
        Value::KpiKind(k, _) => format!("{k:?}"),
        Value::Measure(m, _) => m.keyword().to_string(),
        Value::Date(d) => d.text.clone(),
        Value::GoalTarget(t) => format!(
            "{} {} {}{}{}{}",
            t.kpi.name,
            t.comparator.symbol(),
            t.quantity.value,
            if t.quantity.percent { "%" } else { "" },
            t.quantity
                .unit
                .as_ref()
                .map(|u| format!(" [{}]", u.name))
                .unwrap_or_default(),
            t.by.as_ref()
                .map(|d| format!(" by {}", d.text))
                .unwrap_or_default()
        ),
        Value::KpiTarget(t) => format!(
            "{} {}{}{}{}",
            t.comparator.symbol(),
            t.quantity.value,
            if t.quantity.percent { "%" } else { "" },
            t.quantity
                .unit
                .as_ref()
                .map(|u| format!(" [{}]", u.name))
                .unwrap_or_default(),
            t.per
                .map(|(p, _)| format!(" per {p:?}"))
                .unwrap_or_default()
        ),
        Value::StagePath(p) => match &p.pipeline {
            Some(pl) => format!("{}.{}", pl.name, p.stage.name),
            None => p.stage.name.clone(),
        },
    }
}

fn cadence(c: &syntax::Cadence) -> String {
    match c {
        syntax::Cadence::Named(n, _) => format!("({})", n.keyword()),
        syntax::Cadence::Every(d, _) => format!("(every {})", d.text),
    }
}

fn dump_attr(a: &Attr) -> String {
    let v = dump_value(&a.value);
    if v.is_empty() {
        a.key.keyword().to_string()
    } else {
        format!("{}={v}", a.key.keyword())
    }
}

fn dump_block(b: &Block) -> String {
    let mut parts = Vec::new();
    for e in &b.entries {
        parts.push(match e {
            Entry::Attr(a) => dump_attr(a),
            Entry::Block(inner) => dump_block(inner),
            Entry::Transition(t) => match &t.when {
                Some(w) => format!("->{} when {:?}", t.target.name, w.value),
                None => format!("->{}", t.target.name),
            },
        });
    }
    let title = b
        .title
        .as_ref()
        .map(|t| format!(" {:?}", t.value))
        .unwrap_or_default();
    format!(
        "{} {}{title} {{{}}}",
        b.kind.keyword(),
        b.id.name,
        parts.join("; ")
    )
}

fn dump(text: &str) -> String {
    match syntax::parse(text) {
        Ok(file) => file
            .items
            .iter()
            .map(|i| match i {
                Item::Import(imp) => format!("import {:?}", imp.path.value),
                Item::Block(b) => dump_block(b),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => {
            let lc = LineIndex::new(text).line_col(text, e.span.start);
            format!("error {}:{}: {}", lc.line, lc.column, e.message())
        }
    }
}

#[test]
fn parses_every_construct() {
    let table: &[(&str, &str)] = &[
        ("", ""),
        ("# only a comment\n", ""),
        (
            r#"import "shared/roles.sop""#,
            r#"import "shared/roles.sop""#,
        ),
        (
            r#"sop sales "销售" { version "1.0" owner director review quarterly lang "zh" }"#,
            r#"sop sales "销售" {version="1.0"; owner=director; review=Named(quarterly); lang="zh"}"#,
        ),
        (
            "sop s { review every 2w }",
            "sop s {review=Every(every 2w)}",
        ),
        (
            "goal g { target revenue >= 5_000_000 CNY by 2026-09-30 target csat > 90% }",
            "goal g {target=revenue >= 5000000 [CNY] by 2026-09-30; target=csat > 90%}",
        ),
        (
            "goal g { target revenue >= 5 region \"华南\" }",
            "goal g {target=revenue >= 5; region=\"华南\"}",
        ),
        ("strategy s { supports a, b }", "strategy s {supports=a, b}"),
        (
            r#"role sales_rep "销售代表" { responsibilities "a", "b" skills "c" reports_to m }"#,
            r#"role sales_rep "销售代表" {responsibilities="a", "b"; skills="c"; reports_to=m}"#,
        ),
        (
            "pipeline p { start a stage a { owner r sla 2d requires t1, t2 entry \"in\" exit \"out\" -> b when \"ok\" -> c } stage b { terminal } }",
            "pipeline p {start=a; stage a {owner=r; sla=Some(2)d; requires=t1, t2; entry=\"in\"; exit=\"out\"; ->b when \"ok\"; ->c}; stage b {terminal}}",
        ),
        (
            "pipeline p { stage 线索获取 { task 登记 \"在 CRM 中登记\" { owner 销售代表 due 24h done_when \"完成\" } } }",
            "pipeline p {stage 线索获取 {task 登记 \"在 CRM 中登记\" {owner=销售代表; due=Some(24)h; done_when=\"完成\"}}}",
        ),
        (
            "training t { for a, b when new_hire topics \"x\" format classroom, role_play duration 5d requires c assessment \"y\" }",
            "training t {for=a, b; when=new_hire; topics=\"x\"; format=classroom, role_play; duration=Some(5)d; requires=c; assessment=\"y\"}",
        ),
        ("training t { when monthly }", "training t {when=(monthly)}"),
        (
            "kpi k { kind quantitative unit CNY target >= 4.5 per quarter owner m source \"crm\" review monthly stage p.s }",
            "kpi k {kind=Quantitative; unit=CNY; target=>= 4.5 per Quarter; owner=m; source=\"crm\"; review=Named(monthly); stage=p.s}",
        ),
        (
            "kpi k { target = 30% stage s }",
            "kpi k {target== 30%; stage=s}",
        ),
        (
            "feedback f { cadence weekly owner m with a, b covers k1, k2 }",
            "feedback f {cadence=Named(weekly); owner=m; with=a, b; covers=k1, k2}",
        ),
        (
            "role r { description \"tab\\t quote\\\" back\\\\ nl\\n \\u{4E2D}\" }",
            "role r {description=\"tab\\t quote\\\" back\\\\ nl\\n 中\"}",
        ),
        (
            "role r { description \"\"\"\n    first\n      second\n    \"\"\" }",
            "role r {description=\"first\\n  second\"}",
        ),
        (
            "role r {\r\n  skills \"x\"\r\n}\r\n",
            "role r {skills=\"x\"}",
        ),
        ("\u{FEFF}role r {}", "role r {}"),
        (
            "role when { reports_to owner }",
            "role when {reports_to=owner}",
        ),
    ];
    for (input, expected) in table {
        assert_eq!(dump(input), *expected, "input: {input:?}");
    }
}

#[test]
fn syntax_errors_say_what_was_expected_and_where() {
    let table: &[(&str, &str)] = &[
        (
            "pipeline p {\n  stage s {\n    ownr x\n  }\n}",
            "error 3:5: expected `}` or an attribute such as `owner`, `task` or `->`, found `ownr`",
        ),
        (
            "role r {",
            "error 1:1: `role r` is not closed: its `}` is missing",
        ),
        (
            "stage s {}",
            "error 1:1: expected a block such as `sop`, `pipeline` or `role`, or `import`, found `stage`",
        ),
        (
            "role r { skills \"a }",
            "error 1:17: unterminated string: a `\"` string must end on the line it starts",
        ),
        (
            "role r { skills \"a\\qb\" }",
            "error 1:19: unknown escape `\\q`",
        ),
        (
            "role r { skills \"\\u{D800}\" }",
            "error 1:18: `\\u{D800}` is not a Unicode character",
        ),
        (
            "pipeline p { stage s { sla 0x } }",
            "error 1:28: expected a duration such as `24h` or `3d`, found `0x`",
        ),
        (
            "goal g { target r >= 5 by 2026-1-1 }",
            "error 1:27: expected a date such as `2026-09-30`, found `2026-1-1`",
        ),
        (
            "kpi k { target >= 5 per decade }",
            "error 1:25: expected `day`, `week`, `month`, `quarter` or `year`, found `decade`",
        ),
        (
            "pipeline p { stage s { -> t when } }",
            "error 1:34: expected a string, found `}`",
        ),
        (
            "role r { description \"\"\" never closed",
            "error 1:22: unterminated string: this `\"\"\"` is never closed",
        ),
        ("role r \"t\" x {}", "error 1:12: expected `{`, found `x`"),
        (
            "training t { when sometimes }",
            "error 1:19: expected `new_hire`, `ongoing` or a cadence such as `weekly` or `every 2w`, found `sometimes`",
        ),
        (
            "role r { responsibilities \"a\", }",
            "error 1:32: expected a string, found `}`",
        ),
        // Columns count characters, not bytes, and CRLF ends a line.
        (
            "role 销售代表 \"销售\" {\r\n  职责 \"x\"\r\n}",
            "error 2:3: expected `}` or an attribute such as `responsibilities`, `skills` or `reports_to`, found `职责`",
        ),
        (
            "\u{FEFF}rol r {}",
            "error 1:1: expected a block such as `sop`, `pipeline` or `role`, or `import`, found `rol`",
        ),
    ];
    for (input, expected) in table {
        assert_eq!(dump(input), *expected, "input: {input:?}");
    }
}

#[test]
fn misspelt_attribute_gets_a_suggestion() {
    let err = syntax::parse("role r { responsibilites \"x\" }").unwrap_err();
    assert_eq!(
        err.help().as_deref(),
        Some("did you mean `responsibilities`?")
    );
    let err = syntax::parse("pipeline p {\n  stage s { owner x\n  tsk t {} } }").unwrap_err();
    assert_eq!(err.help().as_deref(), Some("did you mean `task`?"));
    let err = syntax::parse("role r { skills \"a\"，\"b\" }").unwrap_err();
    assert_eq!(
        err.help().as_deref(),
        Some("write the ASCII `,` instead of the full-width `，`")
    );
}
