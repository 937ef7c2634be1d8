//! A push-style `text/event-stream` parser following the WHATWG
//! "event stream interpretation" rules: lines end in CRLF, LF or CR (also
//! when split across chunks); `:` starts a comment; `data:` lines are joined
//! with `\n`; one leading space after the colon is dropped; an event with an
//! empty data buffer is not dispatched (it still updates the last event id);
//! an unknown field is ignored; a leading BOM is skipped. The parser is pure
//! (and fuzzed); [`EventStream`] feeds it a response body, for both HTTP
//! transports. Imports `exchange` for error classification.

use std::collections::VecDeque;

use reqwest::Response;
use url::Url;

use super::exchange::{classify_reqwest, hf};
use crate::launch::failure::{Failure, HttpFailure};
use crate::launch::limits::MAX_MESSAGE_BYTES;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` field; `None` means the default type, `message`.
    pub event: Option<String>,
    pub data: String,
    /// The last event id seen on the stream when this event was dispatched.
    pub id: Option<String>,
    /// The last `retry:` value seen, in ms.
    pub retry: Option<u64>,
}

impl SseEvent {
    /// The event type, `message` when not given.
    pub fn kind(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

/// The stream broke the size limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SSE event larger than {limit} bytes")]
pub struct SseTooLarge {
    pub limit: usize,
}

#[derive(Debug)]
pub struct SseParser {
    line: Vec<u8>,
    /// The previous chunk ended with `\r`; a leading `\n` belongs to it.
    after_cr: bool,
    at_stream_start: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
    last_id: Option<String>,
    retry: Option<u64>,
    max_event: usize,
}

impl SseParser {
    /// `max_event` bounds both a single line and one event's data.
    pub fn new(max_event: usize) -> Self {
        SseParser {
            line: Vec::new(),
            after_cr: false,
            at_stream_start: true,
            event: None,
            data: String::new(),
            has_data: false,
            last_id: None,
            retry: None,
            max_event,
        }
    }

    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Feeds bytes, appending dispatched events to `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseTooLarge> {
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..];
            }
        }
        while !chunk.is_empty() {
            match chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(i) => {
                    self.push_line_bytes(&chunk[..i])?;
                    let line = std::mem::take(&mut self.line);
                    self.process_line(&line, out)?;
                    if chunk[i] == b'\r' {
                        match chunk.get(i + 1) {
                            Some(b'\n') => chunk = &chunk[i + 2..],
                            Some(_) => chunk = &chunk[i + 1..],
                            None => {
                                self.after_cr = true;
                                chunk = &[];
                            }
                        }
                    } else {
                        chunk = &chunk[i + 1..];
                    }
                }
                None => {
                    self.push_line_bytes(chunk)?;
                    chunk = &[];
                }
            }
        }
        Ok(())
    }

    /// End of stream. Per the spec an event without its terminating blank
    /// line is discarded; this returns nothing and resets the parser.
    pub fn finish(&mut self) {
        self.line.clear();
        self.data.clear();
        self.has_data = false;
        self.event = None;
        self.after_cr = false;
    }

    fn push_line_bytes(&mut self, b: &[u8]) -> Result<(), SseTooLarge> {
        if self.line.len() + b.len() > self.max_event {
            self.line.clear();
            return Err(SseTooLarge {
                limit: self.max_event,
            });
        }
        self.line.extend_from_slice(b);
        Ok(())
    }

    fn process_line(&mut self, raw: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseTooLarge> {
        let mut line = String::from_utf8_lossy(raw);
        if self.at_stream_start {
            self.at_stream_start = false;
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_string().into();
            }
        }
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line.starts_with(':') {
            return Ok(());
        }
        let (field, value) = match line.find(':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(' ').unwrap_or(v))
            }
            None => (&line[..], ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                if self.data.len() + value.len() + 1 > self.max_event {
                    self.data.clear();
                    self.has_data = false;
                    return Err(SseTooLarge {
                        limit: self.max_event,
                    });
                }
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        let event = self.event.take().filter(|e| !e.is_empty());
        if !self.has_data {
            self.data.clear();
            return;
        }
        self.has_data = false;
        out.push(SseEvent {
            event,
            data: std::mem::take(&mut self.data),
            id: self.last_id.clone(),
            retry: self.retry,
        });
    }
}

// ---------------------------------------------------------------------------
// A response body read as events.

/// An SSE response body being read event by event.
pub(super) struct EventStream {
    resp: Response,
    parser: SseParser,
    pending: VecDeque<SseEvent>,
    url: Url,
}

impl EventStream {
    pub(super) fn new(resp: Response, url: Url) -> Self {
        EventStream {
            resp,
            parser: SseParser::new(MAX_MESSAGE_BYTES),
            pending: VecDeque::new(),
            url,
        }
    }

    /// The next event; `Ok(None)` at the end of the stream.
    pub(super) async fn next_event(&mut self) -> Result<Option<SseEvent>, Failure> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Ok(Some(ev));
            }
            let chunk = self
                .resp
                .chunk()
                .await
                .map_err(|e| hf(classify_reqwest(&e, &self.url)))?;
            let Some(chunk) = chunk else {
                self.parser.finish();
                return Ok(None);
            };
            let mut out = Vec::new();
            self.parser
                .feed(&chunk, &mut out)
                .map_err(|_| hf(HttpFailure::SseTooLarge))?;
            self.pending.extend(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut p = SseParser::new(1 << 20);
        let mut out = Vec::new();
        for c in chunks {
            p.feed(c, &mut out).unwrap();
        }
        out
    }

    fn ev(event: Option<&str>, data: &str, id: Option<&str>) -> SseEvent {
        SseEvent {
            event: event.map(str::to_string),
            data: data.to_string(),
            id: id.map(str::to_string),
            retry: None,
        }
    }

    #[test]
    fn endpoint_then_message() {
        let out = parse_chunks(&[
            b"event: endpoint\ndata: /message?sessionId=abc\n\n",
            b"event: message\ndata: {\"jsonrpc\":\"2.0\"}\n\n",
        ]);
        assert_eq!(
            out,
            vec![
                ev(Some("endpoint"), "/message?sessionId=abc", None),
                ev(Some("message"), "{\"jsonrpc\":\"2.0\"}", None)
            ]
        );
        assert_eq!(out[0].kind(), "endpoint");
    }

    #[test]
    fn multiline_data_comments_ids_and_crlf() {
        let out = parse_chunks(&[b": keepalive\r\nid: 7\r\ndata: {\"a\":\r\ndata:1}\r\n\r\n"]);
        assert_eq!(out, vec![ev(None, "{\"a\":\n1}", Some("7"))]);
        assert_eq!(out[0].kind(), "message");
    }

    #[test]
    fn line_endings_split_across_chunks() {
        // CR at the end of one chunk, LF at the start of the next: one line end.
        let out = parse_chunks(&[b"data: x\r", b"\n\r", b"\ndata: y\r\r"]);
        assert_eq!(out, vec![ev(None, "x", None), ev(None, "y", None)]);
        // Bare CR line endings.
        let out = parse_chunks(&[b"data:a\rdata:b\r\r"]);
        assert_eq!(out, vec![ev(None, "a\nb", None)]);
        // Byte-by-byte.
        let text = b"event: endpoint\r\ndata: /m\r\n\r\n";
        let chunks: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(
            parse_chunks(&chunks),
            vec![ev(Some("endpoint"), "/m", None)]
        );
    }

    #[test]
    fn empty_data_is_dispatched_id_only_event_is_not() {
        let mut p = SseParser::new(1024);
        let mut out = Vec::new();
        p.feed(b"id: prime-1\nretry: 1500\ndata:\n\n", &mut out)
            .unwrap();
        // `data:` with an empty value does count as data (an empty string).
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].data, "");
        out.clear();
        p.feed(b"id: prime-2\n\n", &mut out).unwrap();
        assert!(out.is_empty());
        assert_eq!(p.last_event_id(), Some("prime-2"));
        p.feed(b"data: z\n\n", &mut out).unwrap();
        assert_eq!(out[0].id.as_deref(), Some("prime-2"));
        assert_eq!(out[0].retry, Some(1500));
    }

    #[test]
    fn field_without_colon_and_space_rules() {
        let out = parse_chunks(&[b"data\n\ndata:  two spaces\nfoo: ignored\n\n"]);
        assert_eq!(out, vec![ev(None, "", None), ev(None, " two spaces", None)]);
    }

    #[test]
    fn bom_and_unterminated_event() {
        let mut p = SseParser::new(1024);
        let mut out = Vec::new();
        p.feed("\u{feff}data: a\n\ndata: lost".as_bytes(), &mut out)
            .unwrap();
        p.finish();
        assert_eq!(out, vec![ev(None, "a", None)]);
    }

    #[test]
    fn size_limit() {
        let mut p = SseParser::new(16);
        let mut out = Vec::new();
        assert!(p.feed(&[b'x'; 17], &mut out).is_err());
        let mut p = SseParser::new(16);
        let r = p.feed(b"data: 0123456789\ndata: 0123456789\n\n", &mut out);
        assert_eq!(r, Err(SseTooLarge { limit: 16 }));
    }
}
