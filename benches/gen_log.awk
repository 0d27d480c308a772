# Generates a deterministic CRM stage history for examples/sales/sales.sop, one row per stage entry.
#
#   awk -v rows=1000000 -v seed=42 -f benches/gen_log.awk > deals.csv
#
# Variables: rows (stop after this many data rows, default 1000000), deals (stop after this many
# deals, default unlimited), seed (default 42), bad (1: sprinkle bad rows in, default 1), days
# (the export is taken this many days after 2026-01-01, default 100: later entries do not exist).
# Deals walk the SOP's pipeline with realistic odds, now and then skipping a stage, going back,
# being re-saved by the CRM or stalling; stage values are ids or Chinese titles; timestamps are
# local (+08:00). Only arithmetic that is exact in doubles is used, so mawk and gawk agree.

function rnd(n) {                      # Park–Miller: products stay below 2^53
    state = (state * 16807) % 2147483647
    return state % n
}

function two(n) { return (n < 10 ? "0" n : "" n) }

function stamp(t,    days, secs, z, era, doe, yoe, doy, mp, d, m, y) {
    t += 8 * 3600                      # written in local time, +08:00
    days = int(t / 86400); secs = t - days * 86400
    z = days + 719468; era = int(z / 146097); doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9; y = yoe + era * 400 + (m <= 2)
    return y "-" two(m) "-" two(d) "T" two(int(secs / 3600)) ":" two(int(secs / 60) % 60) ":" two(secs % 60) "+08:00"
}

function emit(deal, stage, t, amount,    value) {
    if (written >= rows) return
    value = (rnd(100) < 35 && stage in title) ? title[stage] : stage
    print deal "," value "," stamp(t) "," amount "," tail
    written++
    if (rnd(100) < 3) {                # the CRM saved the record again, before the next stage
        print deal "," value "," stamp(t + 60 + rnd(1800)) "," amount "," tail
        written++
    }
    if (bad && rnd(4000) == 0) bad_row(deal, t)
}

function bad_row(deal, t,    k) {
    k = rnd(5)
    if (k == 0) print deal ",客户筛选,2026-02-30T10:00:00+08:00,," tail
    else if (k == 1) print deal ",," stamp(t) ",," tail
    else if (k == 2) print ",proposal," stamp(t) ",," tail
    else if (k == 3) print deal ",negotation," stamp(t + 1800) ",," tail
    else print deal ",contract," stamp(t) ",\"1,200,000\"," tail "手工补录,extra"
    written++
}

# Hours to wait in a stage: mostly within its SLA, sometimes well past it.
function wait(stage,    sla) {
    sla = limit[stage]
    if (rnd(100) < 12) return 3600 * (sla + rnd(sla))
    return 3600 * (1 + rnd(sla))
}

function next_stage(stage,    r) {
    r = rnd(100)
    if (stage == "线索获取") return r < 86 ? "qualification" : r < 91 ? "needs_analysis" : ""
    if (stage == "qualification") return r < 62 ? "needs_analysis" : r < 90 ? "lost" : ""
    if (stage == "needs_analysis") return r < 70 ? "proposal" : r < 88 ? "lost" : ""
    if (stage == "proposal") return r < 58 ? "negotiation" : r < 68 ? "needs_analysis" : r < 88 ? "lost" : r < 90 ? "contract" : ""
    if (stage == "negotiation") return r < 60 ? "contract" : r < 70 ? "proposal" : r < 94 ? "lost" : ""
    if (stage == "contract") return r < 86 ? "service" : r < 91 ? "negotiation" : r < 95 ? "lost" : ""
    if (stage == "service") return r < 90 ? "closed" : ""
    if (stage == "lost") return r < 2 ? "negotiation" : ""
    return ""
}

BEGIN {
    if (rows == "") rows = 1000000
    if (deals == "") deals = -1
    if (seed == "") seed = 42
    if (bad == "") bad = 1
    if (days == "") days = 100
    state = seed
    title["qualification"] = "客户筛选"; title["needs_analysis"] = "需求分析"
    title["proposal"] = "方案制定"; title["negotiation"] = "报价与谈判"
    title["contract"] = "签订合同"; title["service"] = "售后服务"
    title["lost"] = "已淘汰"; title["closed"] = "完成"
    limit["线索获取"] = 48; limit["qualification"] = 72; limit["needs_analysis"] = 168
    limit["proposal"] = 168; limit["negotiation"] = 336; limit["contract"] = 168
    limit["service"] = 672; limit["lost"] = 240
    split("张伟 王芳 李娜 刘洋 陈静 杨磊", owners, " ")
    split("华南 华东 华北 西南", regions, " ")
    split("官网表单 转介绍 行业展会 电话营销 合作伙伴", sources, " ")
    print "case_id,stage,timestamp,amount,owner,region,source,note"
    start = 1767196800                 # 2026-01-01T00:00:00+08:00
    cutoff = start + days * 86400
    for (n = 1; written < rows && n != deals + 1; n++) {
        deal = sprintf("D-%06d", n)
        owner = owners[1 + rnd(6)]
        tail = owner "," regions[1 + rnd(4)] "," sources[1 + rnd(5)] ","
        t = start + 60 * rnd(129600)   # entered within the first 90 days
        amount = ""
        stage = rnd(100) < 2 ? "qualification" : "线索获取"
        while (stage != "" && t <= cutoff && written < rows) {
            if (stage == "proposal" || stage == "negotiation" || stage == "contract")
                amount = (5 + rnd(200)) * 10000
            emit(deal, stage, t, amount)
            t += wait(stage)
            stage = next_stage(stage)
        }
    }
}
