//! Presets: the column mappings and layouts of real CRM exports (Salesforce, HubSpot, Pipedrive),
//! and which of them a log with unexpected columns resembles.

use super::rows::{InputFormat, ReadOptions, RowFilter, names};

/// JSON Lines objects looked into for nested keys when guessing the export.
const OBJECTS_LOOKED_AT: usize = 20;
/// How deep into nested objects keys are named (`data.additional_data.new_value_formatted`).
const NESTING_LOOKED_AT: usize = 3;
/// At most this many nested keys are gathered.
const NESTED_KEYS: usize = 500;

/// A CRM export sopc knows how to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Salesforce `OpportunityHistory`: one row per change of an opportunity, with its stage.
    Salesforce,
    /// Salesforce `OpportunityFieldHistory`: one row per changed field; `StageName` rows only.
    SalesforceFieldHistory,
    /// HubSpot deals: one row per deal, a `hs_v2_date_entered_<stage>` column per stage.
    Hubspot,
    /// Pipedrive deal flow: `stage_id` changes of the API's `flow` items, or their CSV.
    Pipedrive,
}

impl Preset {
    /// Every preset, in the order `--preset` lists them.
    pub const ALL: [Preset; 4] = [
        Preset::Salesforce,
        Preset::SalesforceFieldHistory,
        Preset::Hubspot,
        Preset::Pipedrive,
    ];

    /// The name given to `--preset`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Salesforce => "salesforce",
            Preset::SalesforceFieldHistory => "salesforce-field-history",
            Preset::Hubspot => "hubspot",
            Preset::Pipedrive => "pipedrive",
        }
    }

    /// The preset of a name, exactly.
    pub fn parse(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The names of all presets, backticked, for messages.
    pub fn list() -> String {
        Preset::ALL
            .iter()
            .map(|p| format!("`{}`", p.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Sets the columns and layout of the export; the `--*-col` options come after it.
    pub fn apply(self, options: &mut ReadOptions) {
        let c = &mut options.columns;
        options.preset = Some(self.name());
        c.role = Vec::new();
        match self {
            Preset::Salesforce => {
                c.case = names(&["OpportunityId"]);
                c.stage = names(&["StageName"]);
                c.time = names(&["CreatedDate"]);
                c.amount = names(&["Amount"]);
                c.actor = names(&["CreatedById"]);
            }
            Preset::SalesforceFieldHistory => {
                c.case = names(&["OpportunityId"]);
                c.stage = names(&["NewValue"]);
                c.time = names(&["CreatedDate"]);
                c.amount = Vec::new();
                c.actor = names(&["CreatedById"]);
                c.filter = names(&["Field"]);
                options.filter = Some(RowFilter {
                    value: "StageName".into(),
                });
            }
            Preset::Hubspot => {
                c.case = names(&["hs_object_id", "Record ID"]);
                c.stage = Vec::new();
                c.time = Vec::new();
                c.amount = names(&["amount", "Amount"]);
                c.actor = names(&["hubspot_owner_id"]);
                options.wide = names(&["hs_v2_date_entered_", "hs_date_entered_"]);
            }
            Preset::Pipedrive => {
                c.case = names(&["item_id", "deal_id", "data.item_id", "data.deal_id"]);
                c.stage = names(&["new_value", "data.new_value"]);
                c.stage_alt = names(&[
                    "additional_data.new_value_formatted",
                    "data.additional_data.new_value_formatted",
                ]);
                c.time = names(&["log_time", "data.log_time"]);
                c.amount = Vec::new();
                c.actor = names(&["user_id", "data.user_id"]);
                c.filter = names(&["field_key", "data.field_key"]);
                options.filter = Some(RowFilter {
                    value: "stage_id".into(),
                });
            }
        }
    }

    /// What the preset reads that a log with the columns `found` lacks: per missing column, its
    /// names (`StageName`; `hs_v2_date_entered_<stage>`, `hs_date_entered_<stage>`). A dotted
    /// name (`data.new_value`) counts as found when its first part is, a JSON Lines object.
    pub fn lacks(self, found: &[String]) -> Vec<Vec<String>> {
        let mut options = ReadOptions::new(InputFormat::Csv);
        self.apply(&mut options);
        let has = |name: &String| {
            found.contains(name)
                || name
                    .split_once('.')
                    .is_some_and(|(head, _)| found.iter().any(|f| f == head))
        };
        let c = &options.columns;
        let mut needed: Vec<&Vec<String>> = vec![&c.case];
        if options.wide.is_empty() {
            needed.extend([&c.stage, &c.time]);
        }
        if options.filter.is_some() {
            needed.push(&c.filter);
        }
        let mut lacks: Vec<Vec<String>> = needed
            .into_iter()
            .filter(|names| !names.iter().any(has))
            .cloned()
            .collect();
        let wide = &options.wide;
        if !wide.is_empty()
            && !found.iter().any(|f| {
                wide.iter()
                    .any(|p| f.len() > p.len() && f.starts_with(p.as_str()))
            })
        {
            lacks.push(wide.iter().map(|p| format!("{p}<stage>")).collect());
        }
        lacks
    }

    /// How to give the log what the preset reads in a column with no `--*-col` option: its
    /// filter column or its wide layout's columns; `None` for the other columns.
    pub fn layout_hint(self, names: &[String]) -> Option<String> {
        match self {
            Preset::Hubspot if names.iter().any(|n| n.ends_with("<stage>")) => Some(
                "`--preset hubspot` reads one row per deal with a column \
                 `hs_v2_date_entered_<stage>` (or `hs_date_entered_<stage>`) per stage: export \
                 the deals with their \"Date entered\" properties"
                    .into(),
            ),
            Preset::SalesforceFieldHistory if names.iter().any(|n| n == "Field") => Some(
                "`--preset salesforce-field-history` reads the rows whose `Field` is `StageName`: \
                 export OpportunityFieldHistory with its `Field` column"
                    .into(),
            ),
            Preset::Pipedrive if names.iter().any(|n| n.ends_with("field_key")) => Some(
                "`--preset pipedrive` reads the rows whose `field_key` is `stage_id`: export the \
                 deals' flow with its `field_key` column"
                    .into(),
            ),
            _ => None,
        }
    }

    /// Columns that mark an export of this kind.
    fn marks(self) -> &'static [&'static str] {
        match self {
            Preset::Salesforce => &[
                "OpportunityId",
                "StageName",
                "CreatedDate",
                "Amount",
                "Probability",
                "ForecastCategory",
                "CloseDate",
                "ExpectedRevenue",
                "SystemModstamp",
            ],
            Preset::SalesforceFieldHistory => &[
                "OpportunityId",
                "Field",
                "OldValue",
                "NewValue",
                "CreatedDate",
                "DataType",
            ],
            Preset::Hubspot => &[
                "hs_object_id",
                "Record ID",
                "dealname",
                "dealstage",
                "pipeline",
                "createdate",
                "closedate",
            ],
            Preset::Pipedrive => &[
                "item_id",
                "field_key",
                "old_value",
                "new_value",
                "log_time",
                "change_source",
                "additional_data.new_value_formatted",
            ],
        }
    }

    /// The preset whose marking columns the log has most of (at least two; ties in the order of
    /// [`Preset::ALL`]). A nested key (`data.field_key`) marks as its last parts do.
    pub fn resembling(found: &[String]) -> Option<Preset> {
        let has = |mark: &str| {
            found.iter().any(|f| {
                f == mark
                    || f.strip_suffix(mark)
                        .is_some_and(|head| head.ends_with('.') && head.len() > 1)
            })
        };
        let score = |p: Preset| {
            let marks = p.marks().iter().filter(|m| has(m));
            let wide = p == Preset::Hubspot
                && found.iter().any(|f| {
                    f.starts_with("hs_v2_date_entered_") || f.starts_with("hs_date_entered_")
                });
            marks.count() + usize::from(wide)
        };
        let (best, n) = Preset::ALL
            .into_iter()
            .map(|p| (p, score(p)))
            .rev()
            .max_by_key(|&(_, n)| n)?;
        (n >= 2).then_some(best)
    }
}

/// The dotted names of the keys inside the objects of the first lines of a JSON Lines log
/// (`data.field_key`); the top-level keys are the columns found already.
impl Preset {
    /// The keys inside the first objects of a JSON Lines log (`data.field_key`), for
    /// [`Preset::resembling`]: an API's export nests its fields.
    pub fn nested_keys(data: &[u8]) -> Vec<String> {
        nested_keys(data)
    }
}

fn nested_keys(data: &[u8]) -> Vec<String> {
    fn walk(prefix: &str, value: &serde_json::Value, depth: usize, keys: &mut Vec<String>) {
        let serde_json::Value::Object(map) = value else {
            return;
        };
        for (key, inner) in map {
            if keys.len() >= NESTED_KEYS {
                return;
            }
            let name = format!("{prefix}.{key}");
            if !keys.contains(&name) {
                keys.push(name.clone());
            }
            if depth > 1 {
                walk(&name, inner, depth - 1, keys);
            }
        }
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut keys = Vec::new();
    let objects = data
        .split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .take(OBJECTS_LOOKED_AT)
        .filter_map(|line| serde_json::from_slice::<serde_json::Value>(line).ok());
    for object in objects {
        let serde_json::Value::Object(map) = object else {
            continue;
        };
        for (key, inner) in &map {
            walk(key, inner, NESTING_LOOKED_AT, &mut keys);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(names: &[&str]) -> Vec<String> {
        super::names(names)
    }

    #[test]
    fn resemblance() {
        let sf = found(&["Id", "OpportunityId", "CreatedDate", "Stage", "Amount"]);
        assert_eq!(Preset::resembling(&sf), Some(Preset::Salesforce));
        let fh = found(&[
            "OpportunityId",
            "CreatedDate",
            "Field",
            "OldValue",
            "NewValue",
        ]);
        assert_eq!(
            Preset::resembling(&fh),
            Some(Preset::SalesforceFieldHistory)
        );
        let hs = found(&["Record ID", "hs_v2_date_entered_closedwon"]);
        assert_eq!(Preset::resembling(&hs), Some(Preset::Hubspot));
        let pd = found(&["item_id", "field_key", "value"]);
        assert_eq!(Preset::resembling(&pd), Some(Preset::Pipedrive));
        assert_eq!(
            Preset::resembling(&found(&["deal", "when", "Amount"])),
            None
        );
        let nested = found(&["data.item_id", "data.field_key", "data.log_time"]);
        assert_eq!(Preset::resembling(&nested), Some(Preset::Pipedrive));
        // A key named like a mark's tail is not the mark.
        assert_eq!(
            Preset::resembling(&found(&["xitem_id", ".field_key"])),
            None
        );
    }

    #[test]
    fn nested_json_lines_keys() {
        let log = b"\xEF\xBB\xBF{\"object\": \"dealChange\", \"data\": {\"item_id\": 1, \"field_key\": \"stage_id\", \"additional_data\": {\"new_value_formatted\": \"Won\"}}}\n\nnot json\n";
        let keys = nested_keys(log);
        assert_eq!(
            keys,
            [
                "data.additional_data",
                "data.additional_data.new_value_formatted",
                "data.field_key",
                "data.item_id"
            ]
        );
        let top = found(&["data", "object"]);
        assert_eq!(Preset::resembling(&top), None);
        let mut all = top.clone();
        all.extend(Preset::nested_keys(log));
        assert_eq!(Preset::resembling(&all), Some(Preset::Pipedrive));
    }

    #[test]
    fn names_round_trip() {
        for p in Preset::ALL {
            assert_eq!(Preset::parse(p.name()), Some(p));
        }
        assert_eq!(Preset::parse("Salesforce"), None);
    }
}
