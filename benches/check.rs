//! `cargo bench`: parse, resolve and check speed on a generated document, in MB/s.
//! The repository-scale figures (time and peak memory of the release binary) come from
//! `benches/bench.sh`; see docs/performance.md.

use std::fmt::Write as _;
use std::path::PathBuf;

use divan::counter::BytesCount;

fn main() {
    divan::main();
}

/// A document of `stages` stages in the shape of the sales example.
fn document(stages: usize) -> String {
    let mut text = String::from(
        "sop s \"销售标准操作流程\" { version \"1.0\" owner rep review quarterly lang \"zh\" }\n\
         role rep \"销售代表\" { responsibilities \"客户关系维护\", \"线索开发\" }\n\
         training onboarding \"新员工入职培训\" { for rep when new_hire }\n\
         feedback one_on_one \"一对一面谈\" { cadence weekly owner rep }\n\
         pipeline p \"销售流程\" {\n",
    );
    for i in 0..stages {
        let next = if i + 1 < stages {
            format!("s{}", i + 1)
        } else {
            "won".into()
        };
        write!(
            text,
            "  # stage {i}\n  stage s{i} \"需求分析 {i}\" {{\n    owner rep\n    sla 3d\n    requires onboarding\n    \
             exit \"客户需求已记录\"\n    task t{i} \"访谈客户\" {{\n      due 24h\n      done_when \"访谈纪要已写入 CRM\"\n      \
             guidance \"\"\"\n        Ask about budget, authority, need and timing.\n      \"\"\"\n    }}\n    \
             -> {next} when \"需求明确\"\n    -> lost when \"客户放弃\"\n  }}\n"
        )
        .unwrap();
    }
    text.push_str("  stage won { terminal }\n  stage lost { terminal }\n}\n");
    text
}

#[divan::bench(args = [100, 1000, 10_000])]
fn parse(bencher: divan::Bencher, stages: usize) {
    let text = document(stages);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| sopc::syntax::parse(divan::black_box(&text)).is_ok());
}

/// The whole check of one document through the driver: parse, lower, every check,
/// configuration and suppressions.
#[divan::bench(args = [100, 1000, 10_000])]
fn check(bencher: divan::Bencher, stages: usize) {
    let text = document(stages);
    let path = PathBuf::from("/bench/doc.sop");
    let options = sopc::driver::CheckOptions::default();
    bencher.counter(BytesCount::new(text.len())).bench(|| {
        sopc::driver::check_source(&path, text.as_bytes(), &options)
            .findings
            .len()
    });
}
