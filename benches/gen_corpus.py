#!/usr/bin/env python3
"""Writes a realistic SOP repository of a given size, the same bytes for the same seed.

    python3 benches/gen_corpus.py OUT_DIR --mb 100 [--docs 1000] [--seed 1]
    python3 benches/gen_corpus.py OUT_DIR --single-mb 10      # one large document

Documents have headers, goals, strategies, pipelines of tens to hundreds of stages with branches
and loops, tasks, trainings, KPIs and feedback; they import shared role and training libraries;
text is Chinese and English, with comments and triple-quoted guidance. Every document checks
without errors (warnings may appear), so the benchmark measures the whole pipeline.
"""

import argparse
import os
import random

ZH_STAGES = ["线索获取", "客户筛选", "需求分析", "方案制定", "报价与谈判", "签订合同", "售后服务", "回访", "续约", "升级"]
EN_WORDS = ["lead", "qualify", "discover", "propose", "negotiate", "contract", "onboard", "review", "renew", "expand"]
ZH_TEXT = ["客户信息完整", "预算与决策人已确认", "方案已发送", "报价已获批准", "合同已签署", "回访记录已写入 CRM"]
EN_TEXT = ["Contact details complete", "Budget and decision maker confirmed", "Proposal sent",
           "Quote approved", "Contract signed", "Follow-up logged in the CRM"]


def library(rng, name, roles, trainings):
    out = [f"# Shared library {name}: roles and trainings used by many documents.", ""]
    for i, r in enumerate(roles):
        boss = f"\n  reports_to {roles[0]}" if i > 0 else ""
        out.append(f'role {r} "角色 {r}" {{\n  responsibilities "{rng.choice(ZH_TEXT)}", "{rng.choice(EN_TEXT)}"\n'
                   f'  skills "产品知识", "negotiation"{boss}\n}}\n')
    for i, t in enumerate(trainings):
        req = f"\n  requires {trainings[i - 1]}" if i > 0 else ""
        out.append(f'training {t} "培训 {t}" {{\n  for {", ".join(roles)}\n  when {rng.choice(["new_hire", "ongoing", "quarterly", "monthly"])}\n'
                   f'  topics "产品知识", "销售技巧"\n  format classroom, role_play\n  duration {rng.randint(1, 5)}d{req}\n}}\n')
    return "\n".join(out)


def stage(rng, pid, i, n, roles, trainings):
    sid = f"s{i}"
    lines = [f"  # Stage {i} of {n}: {rng.choice(EN_TEXT)}"]
    title = rng.choice(ZH_STAGES) + f" {i}"
    lines.append(f'  stage {sid} "{title}" {{')
    lines.append(f"    owner {rng.choice(roles)}")
    lines.append(f"    sla {rng.randint(1, 10)}d")
    lines.append(f"    requires {trainings[0]}")
    lines.append(f'    entry "{rng.choice(ZH_TEXT)}"')
    lines.append(f'    exit "{rng.choice(EN_TEXT)}", "{rng.choice(ZH_TEXT)}"')
    for t in range(rng.randint(1, 4)):
        lines.append(f'    task t{t} "{rng.choice(EN_WORDS)} {rng.choice(ZH_STAGES)}" {{')
        lines.append(f"      due {rng.randint(1, 72)}h")
        lines.append(f'      done_when "{rng.choice(ZH_TEXT)}"')
        if rng.random() < 0.3:
            lines.append('      guidance """')
            for _ in range(rng.randint(2, 6)):
                lines.append(f"        {rng.choice(EN_TEXT)}; {rng.choice(ZH_TEXT)}。")
            lines.append('      """')
        lines.append("    }")
    nxt = f"s{i + 1}" if i + 1 < n else "won"
    lines.append(f'    -> {nxt} when "{rng.choice(ZH_TEXT)}"')
    lines.append('    -> lost when "不具备资格"')
    if i > 2 and rng.random() < 0.2:
        lines.append(f'    -> s{rng.randint(0, i - 1)} when "需要返工"  # a loop back')
    lines.append("  }")
    return "\n".join(lines)


def document(rng, name, libs, roles, trainings, stages):
    out = [f"# {name}: generated for benchmarks.", ""]
    for lib in libs:
        out.append(f'import "{lib}"')
    out.append("")
    out.append(f'sop {name} "销售标准操作流程 {name}" {{\n  version "1.{rng.randint(0, 9)}"\n  owner {roles[0]}\n'
               f'  review quarterly\n  lang "{rng.choice(["zh", "en"])}"\n  summary """\n    指导销售团队进行销售活动的具体步骤和规范。\n    Standard steps for the sales team.\n  """\n}}\n')
    out.append(f'kpi revenue "销售额" {{\n  kind quantitative\n  unit CNY\n  target >= {rng.randint(1, 9)}_000_000 per quarter\n'
               f'  owner {roles[0]}\n  source "CRM"\n  review monthly\n  stage p0.s0\n}}\n')
    out.append(f'kpi csat "客户满意度" {{\n  kind qualitative\n  target >= 90%\n  owner {roles[-1]}\n  review quarterly\n}}\n')
    out.append(f'goal g "新签收入" {{\n  target revenue >= 5_000_000 CNY by 2026-09-30\n  region "华南"\n}}\n')
    out.append(f'strategy st "聚焦中小企业" {{\n  supports g\n  description "{rng.choice(EN_TEXT)}"\n}}\n')
    for p, n in enumerate(stages):
        out.append(f'pipeline p{p} "流程 {p}" {{\n  start s0')
        for i in range(n):
            out.append(stage(rng, f"p{p}", i, n, roles, trainings))
        out.append('  stage won "成交" { terminal }\n  stage lost "已淘汰" { terminal }\n}\n')
    out.append(f'feedback one_on_one "一对一面谈" {{\n  cadence weekly\n  owner {roles[0]}\n  with {", ".join(roles[1:]) or roles[0]}\n  covers revenue, csat\n}}\n')
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--docs", type=int, default=0, help="documents (default: about one per 100 KB)")
    ap.add_argument("--single-mb", type=float, default=0.0, help="write one document of this size")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "shared"), exist_ok=True)
    open(os.path.join(a.out, "sopc.yaml"), "w").write("rules: {}\n")
    roles = ["director", "manager", "rep", "support"]
    trainings = ["onboarding", "crm_basics", "negotiation"]
    libs = []
    for k, (rs, ts) in enumerate([(roles, trainings)]):
        path = f"shared/lib{k}.sop"
        open(os.path.join(a.out, path), "w", encoding="utf-8").write(library(rng, path, rs, ts))
        libs.append(path)
    if a.single_mb:
        target = int(a.single_mb * 1_000_000)
        n = max(10, target // 600)
        text = document(rng, "big", libs, roles, trainings, [n])
        open(os.path.join(a.out, "big.sop"), "w", encoding="utf-8").write(text)
        return
    target = int(a.mb * 1_000_000)
    docs = a.docs or max(1, target // 100_000)
    per_doc = target // docs
    for d in range(docs):
        # Stage count sized so the document lands near its share; pipelines of tens to hundreds.
        n = max(10, per_doc // 600)
        stages = [n] if n <= 300 else [n // 2, n - n // 2]
        text = document(rng, f"doc{d}", libs, roles, trainings, stages)
        sub = os.path.join(a.out, f"team{d % 10}")
        os.makedirs(sub, exist_ok=True)
        open(os.path.join(sub, f"doc{d}.sop"), "w", encoding="utf-8").write(text.replace('import "shared/', 'import "../shared/'))


if __name__ == "__main__":
    main()
