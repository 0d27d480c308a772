//! What a kpi's figure means, for people: the one sentence saying how it was computed (or why it
//! could not be), and a duration kpi's value as a duration, in English or Chinese.

use super::report::Measure;
use crate::render::Lang;
use crate::syntax::Period;

/// What the sentence about one kpi is made of.
#[derive(Debug, Clone, Copy)]
pub struct Method<'a> {
    /// What is computed; `None` for a qualitative kpi.
    pub measure: Option<Measure>,
    /// The stage id the kpi counts entries into.
    pub stage: Option<&'a str>,
    /// `per PERIOD` of the target.
    pub per: Option<Period>,
    /// Why the kpi is not computable (a `reason` code), `None` when it is.
    pub reason: Option<&'a str>,
    /// The pipeline's word for one item (`case "商机"`), used by the Chinese sentence; English
    /// says `case`, as the JSON does.
    pub case: Option<&'a str>,
}

/// The sentence: `share of cases that reached `won``, `median time from a case's first event to
/// its first entry into `first_response``, `not computed: the log has no amount column`.
pub fn sentence(m: &Method, lang: Lang) -> String {
    let stage = m.stage.unwrap_or_default();
    if let Some(reason) = m.reason {
        return not_computed(reason, stage, lang);
    }
    let Some(measure) = m.measure else {
        return not_computed("qualitative", stage, lang);
    };
    let c = m.case.unwrap_or("事项");
    match (lang, m.per) {
        (Lang::En, None) => match measure {
            Measure::Conversion => format!("share of cases that reached `{stage}`"),
            Measure::Count => format!("number of cases that reached `{stage}`"),
            Measure::Amount => format!(
                "sum of the amounts of the cases that reached `{stage}` (a case's amount is the \
                 one on its latest event that has one)"
            ),
            Measure::Duration => format!(
                "median time from a case's first event to its first entry into `{stage}`, over \
                 the cases that reached it"
            ),
        },
        (Lang::En, Some(per)) => {
            let p = per.keyword();
            match measure {
                Measure::Conversion => format!(
                    "per {p}: share of the cases whose first event falls in the {p} that reached \
                     `{stage}`"
                ),
                Measure::Count => format!(
                    "per {p}: number of cases whose first entry into `{stage}` falls in the {p}"
                ),
                Measure::Amount => format!(
                    "per {p}: sum of the amounts of the cases whose first entry into `{stage}` \
                     falls in the {p} (a case's amount is the one on its latest event that has one)"
                ),
                Measure::Duration => format!(
                    "per {p}: median time from a case's first event to its first entry into \
                     `{stage}`, over the cases whose first entry falls in the {p}"
                ),
            }
        }
        (Lang::Zh, None) => match measure {
            Measure::Conversion => format!("进入 `{stage}` 的{c}占全部{c}的比例"),
            Measure::Count => format!("进入 `{stage}` 的{c}数"),
            Measure::Amount => {
                format!("进入 `{stage}` 的{c}的金额之和（{c}的金额取其最后一个带金额的事件）")
            }
            Measure::Duration => {
                format!("进入 `{stage}` 的{c}从首个事件到首次进入 `{stage}` 的时间的中位数")
            }
        },
        (Lang::Zh, Some(per)) => {
            let p = crate::render::labels::period(Lang::Zh, per.keyword());
            match measure {
                Measure::Conversion => {
                    format!("按{p}：首个事件落在该{p}的{c}中进入 `{stage}` 的比例")
                }
                Measure::Count => format!("按{p}：首次进入 `{stage}` 落在该{p}的{c}数"),
                Measure::Amount => format!(
                    "按{p}：首次进入 `{stage}` 落在该{p}的{c}的金额之和（{c}的金额取其最后一个带金额的事件）"
                ),
                Measure::Duration => format!(
                    "按{p}：首次进入 `{stage}` 落在该{p}的{c}从首个事件到首次进入 `{stage}` 的时间的中位数"
                ),
            }
        }
    }
}

fn not_computed(reason: &str, stage: &str, lang: Lang) -> String {
    match lang {
        Lang::En => {
            let why = match reason {
                "qualitative" => "the kpi is qualitative, the log cannot measure it".to_string(),
                "no stage" => "the kpi names no `stage` whose entries to count".to_string(),
                "no target" => "the kpi has no `target` to compare with".to_string(),
                "unknown stage" => format!("`{stage}` is no stage of the SOP"),
                "stage of another pipeline" => {
                    format!("`{stage}` is a stage of another pipeline than the audited one")
                }
                "no amount column" => {
                    "the log has no amount column (name it with `--amount-col`)".to_string()
                }
                "no time unit" => {
                    "a duration needs a target in a time unit (`min`, `h`, `d`, `w`)".to_string()
                }
                other => other.to_string(),
            };
            format!("not computed: {why}")
        }
        Lang::Zh => {
            let why = match reason {
                "qualitative" => "定性指标，日志无法度量".to_string(),
                "no stage" => "指标没有指定要统计进入次数的 `stage`".to_string(),
                "no target" => "指标没有可比较的 `target`".to_string(),
                "unknown stage" => format!("`{stage}` 不是 SOP 中的阶段"),
                "stage of another pipeline" => format!("`{stage}` 属于被审计流程之外的流程"),
                "no amount column" => "日志没有金额列（用 `--amount-col` 指定）".to_string(),
                "no time unit" => "时长指标的目标需要时间单位（`min`、`h`、`d`、`w`）".to_string(),
                other => other.to_string(),
            };
            format!("未计算：{why}")
        }
    }
}

/// Seconds in one of a time unit of a target (`h`, `days`); `None` for any other unit.
pub fn unit_seconds(unit: &str) -> Option<f64> {
    match unit {
        "m" | "min" => Some(60.0),
        "h" | "hours" => Some(3_600.0),
        "d" | "days" => Some(86_400.0),
        "w" | "weeks" => Some(604_800.0),
        _ => None,
    }
}

/// A duration kpi's value: its two largest units, `1 h 30 min`, `2 d 4 h`, `45 s`; in Chinese
/// `1小时30分`, `2天4小时`, `45秒`.
pub fn duration_words(secs: f64, lang: Lang) -> String {
    if !secs.is_finite() {
        return "—".to_string();
    }
    let sign = if secs < 0.0 { "-" } else { "" };
    let words: [&str; 4] = match lang {
        Lang::En => [" d", " h", " min", " s"],
        Lang::Zh => ["天", "小时", "分", "秒"],
    };
    let sep = if lang == Lang::En { " " } else { "" };
    let s = secs.abs();
    let (big, small, ib, unit_small) = if s >= 86_400.0 {
        let h = (s / 3_600.0).round() as u64;
        (h / 24, h % 24, 0, 1)
    } else if s >= 3_600.0 {
        let m = (s / 60.0).round() as u64;
        (m / 60, m % 60, 1, 2)
    } else if s >= 60.0 {
        let x = s.round() as u64;
        (x / 60, x % 60, 2, 3)
    } else {
        return format!("{sign}{}{}", s.round() as u64, words[3]);
    };
    if small == 0 {
        format!("{sign}{big}{}", words[ib])
    } else {
        format!("{sign}{big}{}{sep}{small}{}", words[ib], words[unit_small])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_durations() {
        assert_eq!(duration_words(5_400.0, Lang::En), "1 h 30 min");
        assert_eq!(duration_words(5_400.0, Lang::Zh), "1小时30分");
        assert_eq!(duration_words(18_000.0, Lang::En), "5 h");
        assert_eq!(
            duration_words(2.0 * 86_400.0 + 4.0 * 3_600.0, Lang::Zh),
            "2天4小时"
        );
        assert_eq!(duration_words(45.0, Lang::En), "45 s");
        assert_eq!(duration_words(90.0, Lang::En), "1 min 30 s");
    }
}
