//! Streamable HTTP: every message a POST, answered with JSON or an event
//! stream; the `Mcp-Session-Id` and protocol-version headers; the session
//! DELETE at the end. Implements [`Conn`]; imports `exchange` and
//! `event_stream`, never the session.

use std::collections::VecDeque;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use tokio::time::Instant;
use url::Url;

use super::event_stream::EventStream;
use super::exchange::{
    SNIFF_BYTES, SNIPPET_BYTES, attempt, classify_reqwest, content_type, essence, exchange, hf,
    html_title, looks_like_html, note_body, note_response, parse_messages, read_capped,
    status_failure,
};
use crate::launch::conn::{Conn, Handshake};
use crate::launch::ctx::Ctx;
use crate::launch::failure::{Failed, Failure, HttpFailure};
use crate::launch::limits::MAX_MESSAGE_BYTES;
use crate::launch::report::{HttpReport, LaunchReport, Transport, phase};
use crate::redact::mask::{Masker, cut_chars};

/// DELETE of the session at the end.
const DELETE_TIMEOUT: Duration = Duration::from_secs(2);

const ACCEPT_BOTH: &str = "application/json, text/event-stream";
const MCP_SESSION_ID: &str = "mcp-session-id";
const MCP_PROTOCOL_VERSION: &str = "mcp-protocol-version";

pub(super) struct StreamableConn {
    client: Client,
    url: Url,
    headers: HeaderMap,
    session_id: Option<String>,
    protocol_version: Option<String>,
    queue: VecDeque<Value>,
    stream: Option<EventStream>,
    masker: Masker,
    pub(crate) info: HttpReport,
    first: bool,
}

impl StreamableConn {
    fn new(client: Client, url: &Url, headers: HeaderMap, masker: Masker) -> Self {
        StreamableConn {
            client,
            url: url.clone(),
            headers,
            session_id: None,
            protocol_version: None,
            queue: VecDeque::new(),
            stream: None,
            info: HttpReport {
                url: masker.url(url),
                ..HttpReport::default()
            },
            masker,
            first: true,
        }
    }

    fn request_headers(&self, accept: &'static str, json_body: bool) -> HeaderMap {
        let mut h = self.headers.clone();
        h.insert(ACCEPT, HeaderValue::from_static(accept));
        if json_body {
            h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        if let Some(sid) = self
            .session_id
            .as_deref()
            .and_then(|s| HeaderValue::from_str(s).ok())
        {
            h.insert(MCP_SESSION_ID, sid);
        }
        if let Some(v) = self
            .protocol_version
            .as_deref()
            .and_then(|s| HeaderValue::from_str(s).ok())
        {
            h.insert(MCP_PROTOCOL_VERSION, v);
        }
        h
    }

    /// DELETE the session (405 and errors are fine).
    async fn shutdown(&mut self) {
        self.stream = None;
        if self.session_id.is_none() {
            return;
        }
        let headers = self.request_headers(ACCEPT_BOTH, false);
        let req = self.client.delete(self.url.clone()).headers(headers).send();
        match tokio::time::timeout(DELETE_TIMEOUT, req).await {
            Ok(Ok(r)) => tracing::debug!(status = r.status().as_u16(), "session DELETE"),
            Ok(Err(e)) => tracing::debug!(%e, "session DELETE failed"),
            Err(_) => tracing::debug!("session DELETE timed out"),
        }
    }
}

impl Conn for StreamableConn {
    fn set_protocol_version(&mut self, v: &str) {
        self.protocol_version = Some(v.to_string());
    }

    async fn send(&mut self, msg: &Value, is_request: bool) -> Result<(), Failure> {
        let body = serde_json::to_vec(msg).map_err(|e| Failure::BadResult(e.to_string()))?;
        let headers = self.request_headers(ACCEPT_BOTH, true);
        let (mut resp, final_url) = exchange(
            &self.client,
            Method::POST,
            &self.url,
            headers,
            Some(body),
            &mut self.info.redirects,
            &self.masker,
        )
        .await?;
        let status = resp.status();
        if let Some(sid) = resp
            .headers()
            .get(MCP_SESSION_ID)
            .and_then(|v| v.to_str().ok())
        {
            self.session_id = Some(sid.to_string());
            self.info.session = true;
        }
        let first = std::mem::replace(&mut self.first, false);
        if first || !status.is_success() {
            note_response(
                &mut self.info,
                &Method::POST,
                &resp,
                &final_url,
                &self.masker,
            );
        }
        self.url = final_url;
        if !status.is_success() {
            note_body(&mut self.info, &mut resp, &self.masker).await;
            return Err(status_failure(status));
        }
        if !is_request {
            // 202 Accepted (or any 2xx) for a notification or a response.
            return Ok(());
        }
        let ct = essence(content_type(&resp).as_deref());
        if status == StatusCode::ACCEPTED {
            return Err(Failure::NotJsonRpc {
                detail: "the server answered a request with 202 Accepted and no body".into(),
                text: String::new(),
            });
        }
        match ct.as_str() {
            "application/json" => {
                let (body, complete) = read_capped(&mut resp, MAX_MESSAGE_BYTES)
                    .await
                    .map_err(|e| hf(classify_reqwest(&e, &self.url)))?;
                if !complete {
                    return Err(hf(HttpFailure::BadJson(format!(
                        "response body larger than {MAX_MESSAGE_BYTES} bytes"
                    ))));
                }
                if looks_like_html("", &body) {
                    self.info.html_title = html_title(&String::from_utf8_lossy(&body));
                    return Err(hf(HttpFailure::Html));
                }
                match parse_messages(&body) {
                    Ok(msgs) => self.queue.extend(msgs),
                    Err(e) => {
                        let text = String::from_utf8_lossy(&body[..body.len().min(SNIFF_BYTES)]);
                        self.info.body_snippet = Some(cut_chars(
                            &self.masker.mask_cut(&text, false, body.len() > SNIFF_BYTES),
                            SNIPPET_BYTES,
                        ));
                        return Err(hf(HttpFailure::BadJson(e)));
                    }
                }
            }
            "text/event-stream" => {
                self.stream = Some(EventStream::new(resp, self.url.clone()));
            }
            _ => {
                let body = note_body(&mut self.info, &mut resp, &self.masker).await;
                if looks_like_html(&ct, &body) {
                    return Err(hf(HttpFailure::Html));
                }
                return Err(hf(HttpFailure::ContentType(if ct.is_empty() {
                    "(none)".into()
                } else {
                    ct
                })));
            }
        }
        Ok(())
    }

    async fn recv(&mut self) -> Result<Value, Failure> {
        loop {
            if let Some(v) = self.queue.pop_front() {
                return Ok(v);
            }
            let Some(stream) = self.stream.as_mut() else {
                return Err(hf(HttpFailure::StreamClosed));
            };
            match stream.next_event().await? {
                None => self.stream = None,
                Some(ev) => {
                    if ev.kind() != "message" || ev.data.trim().is_empty() {
                        continue;
                    }
                    match parse_messages(ev.data.as_bytes()) {
                        Ok(msgs) => self.queue.extend(msgs),
                        Err(e) => {
                            return Err(Failure::NotJsonRpc {
                                detail: format!("SSE event data is not JSON ({e})"),
                                text: ev.data.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
}

/// Streamable HTTP: the whole session. On failure also says whether it
/// happened at the initialize POST (where the fallback applies).
pub(super) async fn run_streamable(
    client: &Client,
    url: &Url,
    headers: &HeaderMap,
    session: &impl Handshake,
    ctx: &mut Ctx<'_>,
    report: &mut LaunchReport,
) -> Result<(), (Failed, bool)> {
    report.transport = Some(Transport::StreamableHttp);
    let mut c = StreamableConn::new(client.clone(), url, headers.clone(), ctx.masker.clone());
    let result = session.handshake(&mut c, ctx, report).await.map_err(|f| {
        let at_initialize = f.phase == "initialize";
        (f, at_initialize)
    });
    report.duration_ms = ctx.elapsed_ms();
    let t = Instant::now();
    c.shutdown().await;
    if c.session_id.is_some() {
        phase(report, "shutdown", t, true);
    }
    let mut info = std::mem::take(&mut c.info);
    let prev = report.http.take().unwrap_or_default();
    let mut attempts = prev.attempts;
    attempts.push(attempt(
        Transport::StreamableHttp,
        "POST",
        &info,
        &result.as_ref().map(|_| ()).map_err(|(f, _)| &f.failure),
    ));
    info.attempts = attempts;
    report.http = Some(info);
    result
}
