//! Reading JSON-RPC messages with their `Content-Length` headers, without letting a malformed
//! one end the session: a header that makes no sense or a body that is not a message is
//! skipped; only the end of the input or a failing read ends it.

use std::io::{self, BufRead, Read};

use lsp_server::Message;

/// The largest message body read (a document of tens of megabytes, JSON-escaped).
const MAX_BODY: usize = 256 << 20;

pub enum ReadError {
    /// Something that is not a message was read and skipped.
    Garbage(String),
    /// The input cannot be read.
    Io(io::Error),
}

/// The next message; `None` at the end of the input.
pub fn read(r: &mut impl BufRead) -> Result<Option<Message>, ReadError> {
    let mut size: Option<usize> = None;
    let mut line = Vec::new();
    let mut any = false;
    loop {
        line.clear();
        let n = r
            .by_ref()
            .take(64 * 1024)
            .read_until(b'\n', &mut line)
            .map_err(ReadError::Io)?;
        if n == 0 {
            return if any {
                Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()))
            } else {
                Ok(None)
            };
        }
        any = true;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if size.is_some() {
                break;
            }
            // A blank line where a header should be: skip it.
            any = false;
            continue;
        }
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            match value.trim().parse::<usize>() {
                Ok(n) if n <= MAX_BODY => size = Some(n),
                _ => return Err(ReadError::Garbage(format!("bad header `{text}`"))),
            }
        }
    }
    let size = size.unwrap_or(0);
    let mut body = vec![0; size];
    r.read_exact(&mut body).map_err(ReadError::Io)?;
    serde_json::from_slice::<Message>(&body)
        .map(Some)
        .map_err(|e| ReadError::Garbage(e.to_string()))
}
