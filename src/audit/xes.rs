//! XES (IEEE 1849), the exchange format of process-mining tools: reading a log of traces into
//! rows, and writing the accepted, collapsed events back out.
//!
//! A trace's `concept:name` is the case; an event's `concept:name` is the stage,
//! `time:timestamp` the time it was entered, `org:resource` the actor and `org:role` the role;
//! `amount` on the event (else on its trace) the amount. Every other attribute (lifecycle,
//! costs, nested lists) is ignored. An event is numbered by the line its tag ends on.

use std::fmt::Write as _;

use quick_xml::Reader;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};

use super::collect::Collector;
use super::events::EventLog;
use super::process::Process;
use super::rows::{LogError, Values};

/// Where the reader is: what the innermost open element is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    Log,
    Trace,
    Event,
    Other,
}

/// The attributes of one event that sopc reads.
#[derive(Default)]
struct EventAttrs {
    line: u64,
    stage: String,
    time: String,
    actor: String,
    role: String,
    amount: String,
}

/// The trace being read: its events wait for its end, since the trace's own attributes may
/// follow them.
#[derive(Default)]
struct Trace {
    case: String,
    amount: String,
    events: Vec<EventAttrs>,
}

pub(super) fn read(data: &[u8], collector: &mut Collector) -> Result<(), LogError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = Reader::from_reader(data);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<Within> = Vec::new();
    let mut trace = Trace::default();
    let mut event = EventAttrs::default();
    let mut counted = 0usize;
    let mut line = 1u64;
    let mut any_amount = false;
    let mut actor_seen = false;
    let mut role_seen = false;
    let mut log_seen = false;
    // The first text outside any element: what a file that is not XES holds.
    let mut stray: Option<(u64, String)> = None;
    loop {
        let read = reader.read_event();
        let (line_before, from) = (line, counted);
        let at = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .min(data.len());
        if at > counted {
            line += data[counted..at].iter().filter(|&&b| b == b'\n').count() as u64;
            counted = at;
        }
        let ev = read.map_err(|e| LogError::Unreadable(format!("line {line}: not XES: {e}")))?;
        let (tag, opens) = match &ev {
            Event::Start(tag) => (tag, true),
            Event::Empty(tag) => (tag, false),
            Event::End(_) => {
                match stack.pop() {
                    Some(Within::Event) => {
                        trace.events.push(std::mem::take(&mut event));
                    }
                    Some(Within::Trace) => {
                        for e in std::mem::take(&mut trace.events) {
                            collector.count_row();
                            let amount = if e.amount.is_empty() {
                                &trace.amount
                            } else {
                                &e.amount
                            };
                            collector.row(
                                e.line,
                                Values {
                                    case: &trace.case,
                                    stage: &e.stage,
                                    time: &e.time,
                                    amount,
                                    actor: &e.actor,
                                    role: &e.role,
                                    stage_alt: "",
                                },
                            );
                        }
                        trace = Trace::default();
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            Event::Text(text) if stack.is_empty() && stray.is_none() => {
                let text = String::from_utf8_lossy(text.as_ref());
                if !text.trim().is_empty() {
                    // The line the text starts on, past the white space before it.
                    let read = &data[from.min(at)..at];
                    let lead = read
                        .iter()
                        .position(|b| !b.is_ascii_whitespace())
                        .unwrap_or(0);
                    let breaks = read[..lead].iter().filter(|&&b| b == b'\n').count() as u64;
                    stray = Some((line_before + breaks, text.trim().to_string()));
                }
                continue;
            }
            _ => continue,
        };
        let name = tag.local_name();
        let within = stack.last().copied();
        let entering = match (within, name.as_ref()) {
            (None, b"log") => {
                log_seen = true;
                Within::Log
            }
            (Some(Within::Log), b"trace") => {
                trace = Trace::default();
                Within::Trace
            }
            (Some(Within::Log), _) => {
                if let Some((key, value)) = attribute(tag)
                    && key == LATEST_KEY
                {
                    collector.set_recorded_latest(&value);
                }
                Within::Other
            }
            (Some(Within::Trace), b"event") => {
                event = EventAttrs {
                    line,
                    ..EventAttrs::default()
                };
                Within::Event
            }
            (Some(Within::Trace), _) => {
                if let Some((key, value)) = attribute(tag) {
                    match key.as_str() {
                        "concept:name" => trace.case = value,
                        "amount" => {
                            any_amount = true;
                            trace.amount = value;
                        }
                        _ => {}
                    }
                }
                Within::Other
            }
            (Some(Within::Event), _) => {
                if let Some((key, value)) = attribute(tag) {
                    match key.as_str() {
                        "concept:name" => event.stage = value,
                        "time:timestamp" => event.time = value,
                        "org:resource" => {
                            actor_seen = true;
                            event.actor = value;
                        }
                        "org:role" => {
                            role_seen = true;
                            event.role = value;
                        }
                        "amount" => {
                            any_amount = true;
                            event.amount = value;
                        }
                        _ => {}
                    }
                }
                Within::Other
            }
            (None, other) => {
                return Err(LogError::Unreadable(format!(
                    "line {line}: an XES log starts with `<log>`, not `<{}>`",
                    String::from_utf8_lossy(other)
                )));
            }
            _ => Within::Other,
        };
        if opens {
            stack.push(entering);
        } else if entering == Within::Event {
            trace.events.push(std::mem::take(&mut event));
        }
    }
    if !log_seen {
        let found = match &stray {
            Some((at, text)) => format!("line {at} holds `{}`", shown(text)),
            None => "the file holds no element".to_string(),
        };
        return Err(LogError::Unreadable(format!(
            "no XES `<log>` element: {found}; an XES log is a `<log>` element of `<trace>`s (for \
             a CSV or JSON Lines log, give `--input-format csv` or `--input-format jsonl`)"
        )));
    }
    if !stack.is_empty() {
        return Err(LogError::Unreadable(format!(
            "line {line}: the XES log ends inside an element (is the file cut short?)"
        )));
    }
    if any_amount {
        collector.set_has_amount();
    }
    if actor_seen {
        collector.set_has_actor();
    }
    if role_seen {
        collector.set_has_role();
    }
    Ok(())
}

/// The log attribute holding the latest accepted timestamp of the log an export was written
/// from (a collapsed re-save's included): read back, it is the default as-of.
const LATEST_KEY: &str = "sopc:latest_accepted";

/// Text found in a file, on one line and cut short, for a message.
fn shown(text: &str) -> String {
    const SHOWN: usize = 40;
    let line = text.lines().next().unwrap_or_default();
    let mut cut: String = line
        .chars()
        .take(SHOWN)
        .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
        .collect();
    if text.chars().count() > cut.chars().count() {
        cut.push('…');
    }
    cut
}

/// The `key` and `value` of an attribute element (`<string key=".." value=".."/>`).
fn attribute(tag: &BytesStart) -> Option<(String, String)> {
    let (mut key, mut value) = (None, None);
    for a in tag.attributes().flatten() {
        let text = a.unescape_value().ok()?.into_owned();
        match a.key.as_ref() {
            b"key" => key = Some(text),
            b"value" => value = Some(text),
            _ => {}
        }
    }
    Some((key?, value.unwrap_or_default()))
}

/// The events of `log` as an XES document: one trace per case, sorted as in the audit, each
/// event with its stage id, time (UTC), actor and role; the case's amount on the trace.
pub fn write(log: &EventLog, process: &Process, name: &str) -> String {
    let mut out = String::with_capacity(128 * log.stages.len() + 1024);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<log xes.version=\"1849-2016\" xes.features=\"\" xmlns=\"http://www.xes-standard.org/\">\n",
        "  <extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n",
        "  <extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n",
        "  <extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n",
        "  <classifier name=\"Stage\" keys=\"concept:name\"/>\n",
    ));
    let _ = writeln!(
        out,
        "  <string key=\"concept:name\" value=\"{}\"/>",
        escape(name)
    );
    if let Some(latest) = log.latest_accepted {
        let _ = writeln!(
            out,
            "  <date key=\"{LATEST_KEY}\" value=\"{}\"/>",
            latest.rfc3339()
        );
    }
    for c in 0..log.cases() {
        out.push_str("  <trace>\n");
        let _ = writeln!(
            out,
            "    <string key=\"concept:name\" value=\"{}\"/>",
            escape(&log.case_ids[c])
        );
        let amount = log.case_amounts[c];
        if !amount.is_nan() {
            let _ = writeln!(out, "    <float key=\"amount\" value=\"{amount}\"/>");
        }
        for e in log.range(c) {
            out.push_str("    <event>\n");
            let stage = log.stage_id(process, log.stages[e]);
            let _ = writeln!(
                out,
                "      <string key=\"concept:name\" value=\"{}\"/>",
                escape(stage)
            );
            let _ = writeln!(
                out,
                "      <date key=\"time:timestamp\" value=\"{}\"/>",
                log.times[e].rfc3339()
            );
            if let Some(actor) = log.actor(e) {
                let _ = writeln!(
                    out,
                    "      <string key=\"org:resource\" value=\"{}\"/>",
                    escape(actor)
                );
            }
            if let Some(role) = log.role(e) {
                let _ = writeln!(
                    out,
                    "      <string key=\"org:role\" value=\"{}\"/>",
                    escape(role)
                );
            }
            out.push_str("    </event>\n");
        }
        out.push_str("  </trace>\n");
    }
    out.push_str("</log>\n");
    out
}
