//! XES (IEEE 1849), the exchange format of process-mining tools: reading a log of traces into
//! rows, and writing the accepted, collapsed events back out.
//!
//! A trace's `concept:name` is the case; an event's `concept:name` is the stage,
//! `time:timestamp` the time it was entered, `org:resource` the actor and `org:role` the role;
//! `amount` on the event (else on its trace) the amount. Every other attribute (lifecycle,
//! costs, nested lists) is ignored. An event is numbered by the line its tag ends on.

use std::io::{self, BufRead, Read};

use quick_xml::Reader;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};

use super::collect::Collector;
use super::events::EventLog;
use super::process::Process;
use super::rows::{LogError, Values};
use super::view::{Zones, written_zones};

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

/// A reader's bytes, buffered, counting the line breaks of those consumed and skipping a byte
/// order mark at the start: the XES reader reads through it, so the document is never held
/// whole and the line of each event is known.
struct Lines<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    breaks: u64,
    started: bool,
}

impl<R: Read> Lines<R> {
    fn new(inner: R) -> Self {
        Lines {
            inner,
            buf: vec![0; 1 << 16],
            pos: 0,
            filled: 0,
            breaks: 0,
            started: false,
        }
    }

    /// Reads on into the empty buffer; 0 at the end of the input.
    fn read_more(&mut self) -> io::Result<usize> {
        loop {
            match self.inner.read(&mut self.buf[self.filled..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Ok(n) => {
                    self.filled += n;
                    return Ok(n);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.fill_buf()?.len().min(out.len());
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.filled {
            (self.pos, self.filled) = (0, 0);
            if !self.started {
                // The mark may come in pieces: read until there are three bytes or no more.
                while self.filled < BOM.len() && self.read_more()? > 0 {}
                self.started = true;
                if self.buf[..self.filled].starts_with(BOM) {
                    self.pos = BOM.len();
                }
            } else {
                self.read_more()?;
            }
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn consume(&mut self, amount: usize) {
        let end = (self.pos + amount).min(self.filled);
        self.breaks += memchr::memchr_iter(b'\n', &self.buf[self.pos..end]).count() as u64;
        self.pos = end;
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads an XES document from `input` as it comes, into `collector`; the zones its events'
/// timestamps are written in when `zones` gives the default offset to read them with.
pub(super) fn read<R: Read>(
    input: R,
    collector: &mut Collector,
    zones: Option<i32>,
) -> Result<Zones, LogError> {
    let mut reader = Reader::from_reader(Lines::new(input));
    let mut buf = Vec::new();
    let mut written = Zones::None;
    let mut stack: Vec<Within> = Vec::new();
    let mut trace = Trace::default();
    let mut event = EventAttrs::default();
    let mut line = 1u64;
    let mut any_amount = false;
    let mut actor_seen = false;
    let mut role_seen = false;
    let mut log_seen = false;
    // The first text outside any element: what a file that is not XES holds.
    let mut stray: Option<(u64, String)> = None;
    loop {
        buf.clear();
        let read = reader.read_event_into(&mut buf);
        let line_before = line;
        line = 1 + reader.get_ref().breaks;
        let ev = read.map_err(|e| match e {
            quick_xml::Error::Io(e) => LogError::Unreadable(e.to_string()),
            e => LogError::Unreadable(format!("line {line}: not XES: {e}")),
        })?;
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
                            if let Some(offset) = zones {
                                written = written.and(written_zones(e.time.as_bytes(), offset));
                            }
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
                let raw: &[u8] = text.as_ref();
                let lead = raw
                    .iter()
                    .position(|b| !b.is_ascii_whitespace())
                    .unwrap_or(raw.len());
                let text = String::from_utf8_lossy(&raw[lead..]);
                if !text.trim().is_empty() {
                    // The line the text starts on, past the white space before it.
                    let breaks = memchr::memchr_iter(b'\n', &raw[..lead]).count() as u64;
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
    Ok(written)
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

/// The events of `log` as an XES document, written to `out`: one trace per case, sorted as in
/// the audit, each event with its stage id, time (UTC), actor and role; the case's amount on
/// the trace.
pub fn write(
    log: &EventLog,
    process: &Process,
    name: &str,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<log xes.version=\"1849-2016\" xes.features=\"\" xmlns=\"http://www.xes-standard.org/\">\n",
        "  <extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n",
        "  <extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n",
        "  <extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n",
        "  <classifier name=\"Stage\" keys=\"concept:name\"/>\n",
    ).as_bytes())?;
    writeln!(
        out,
        "  <string key=\"concept:name\" value=\"{}\"/>",
        escape(name)
    )?;
    if let Some(latest) = log.latest_accepted {
        writeln!(
            out,
            "  <date key=\"{LATEST_KEY}\" value=\"{}\"/>",
            latest.in_rfc3339()
        )?;
    }
    for c in 0..log.cases() {
        out.write_all(b"  <trace>\n")?;
        writeln!(
            out,
            "    <string key=\"concept:name\" value=\"{}\"/>",
            escape(&log.case_ids[c])
        )?;
        let amount = log.case_amounts[c];
        if !amount.is_nan() {
            writeln!(out, "    <float key=\"amount\" value=\"{amount}\"/>")?;
        }
        for e in log.range(c) {
            out.write_all(b"    <event>\n")?;
            let stage = log.stage_id(process, log.stages[e]);
            writeln!(
                out,
                "      <string key=\"concept:name\" value=\"{}\"/>",
                escape(stage)
            )?;
            writeln!(
                out,
                "      <date key=\"time:timestamp\" value=\"{}\"/>",
                log.times[e].in_rfc3339()
            )?;
            if let Some(actor) = log.actor(e) {
                writeln!(
                    out,
                    "      <string key=\"org:resource\" value=\"{}\"/>",
                    escape(actor)
                )?;
            }
            if let Some(role) = log.role(e) {
                writeln!(
                    out,
                    "      <string key=\"org:role\" value=\"{}\"/>",
                    escape(role)
                )?;
            }
            out.write_all(b"    </event>\n")?;
        }
        out.write_all(b"  </trace>\n")?;
    }
    out.write_all(b"</log>\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::process::Process;
    use crate::audit::stages::{Resolver, StageMap};

    /// A reader that gives one byte at a time.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            match out.first_mut() {
                Some(b) => *b = first,
                None => return Ok(0),
            }
            self.0 = rest;
            Ok(1)
        }
    }

    fn read_with<R: Read>(input: R) -> String {
        let process = Process::from_edges(3, Some(0), &[(0, 1), (1, 2)], &[2]);
        let mut collector = Collector::new(Resolver::new(&process, StageMap::default()), 0);
        let zones = read(input, &mut collector, Some(0));
        format!("{zones:?} {:?}", collector.finish())
    }

    #[test]
    fn a_document_read_as_it_comes_is_read_whole() {
        let mut doc = String::from("\u{feff}<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\">\n");
        for t in 0..3000 {
            doc.push_str(&format!(
                "  <trace>\n    <string key=\"concept:name\" value=\"商机-{t}\"/>\n    \
                 <event>\n      <string key=\"concept:name\" value=\"s{}\"/>\n      \
                 <date key=\"time:timestamp\" value=\"2026-03-01T09:30:0{}.065+08:00\"/>\n    \
                 </event>\n  </trace>\n",
                t % 3,
                t % 10
            ));
        }
        doc.push_str("</log>\n");
        let whole = read_with(doc.as_bytes());
        assert!(whole.starts_with("Ok(One(28800))"), "{}", &whole[..80]);
        assert_eq!(read_with(Trickle(doc.as_bytes())), whole);
        // Lines are those of the file, past buffer refills: trace `t` starts on line 3 + 7t and
        // its `<event>` tag is two lines down.
        let lines: Vec<String> = (0..3000).map(|t| (5 + 7 * t).to_string()).collect();
        assert!(whole.contains(&format!("lines: [{}]", lines.join(", "))));
    }

    #[test]
    fn text_outside_the_log_is_named_with_its_line() {
        for input in ["\u{feff}\n\n  hello, world\n", "\n\n  hello, world\n"] {
            let out = read_with(Trickle(input.as_bytes()));
            assert!(out.contains("line 3 holds `hello, world`"), "{out}");
        }
    }
}
