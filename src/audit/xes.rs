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
    loop {
        let read = reader.read_event();
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
            _ => continue,
        };
        let name = tag.local_name();
        let within = stack.last().copied();
        let entering = match (within, name.as_ref()) {
            (None, b"log") => Within::Log,
            (Some(Within::Log), b"trace") => {
                trace = Trace::default();
                Within::Trace
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
