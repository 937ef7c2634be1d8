//! Streamable HTTP, legacy HTTP+SSE, and the fallback between them.

use std::collections::VecDeque;
use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, LOCATION,
    WWW_AUTHENTICATE,
};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use url::Url;

use super::auth::bearer_params;
use super::report::{
    HttpAttempt, HttpReport, LaunchReport, Redirect, ResourceMetadata, Transport, WwwAuthenticate,
};
use super::session::{self, Conn, Failed, Failure, HttpFailure, Outcome, bounded, phase};
use super::sse::{SseEvent, SseParser};
use super::{Ctx, HttpKind, MAX_MESSAGE_BYTES};
use crate::redact::mask::{Masker, cut_chars};

/// Redirects followed per request.
const MAX_REDIRECTS: usize = 3;
/// Body bytes read from error / unexpected responses.
const SNIFF_BYTES: usize = 64 * 1024;
/// Body bytes shown in the report.
const SNIPPET_BYTES: usize = 500;
/// Legacy SSE: wait at most this long for the `endpoint` event.
const ENDPOINT_TIMEOUT: Duration = Duration::from_secs(10);
/// Protected-resource metadata fetch, per URL.
const PRM_TIMEOUT: Duration = Duration::from_secs(3);
/// DELETE of the session at the end.
const DELETE_TIMEOUT: Duration = Duration::from_secs(2);

const ACCEPT_BOTH: &str = "application/json, text/event-stream";
const MCP_SESSION_ID: &str = "mcp-session-id";
const MCP_PROTOCOL_VERSION: &str = "mcp-protocol-version";

fn hf(f: HttpFailure) -> Failure {
    Failure::Http(f)
}

/// The media type without parameters, lower-case.
fn essence(ct: Option<&str>) -> String {
    ct.unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn content_type(resp: &Response) -> Option<String> {
    resp.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `Display` of an error with all its sources.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        let t = x.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = x.source();
    }
    s
}

/// Turns a reqwest transport error into a precise failure.
pub(crate) fn classify_reqwest(e: &reqwest::Error, url: &Url) -> HttpFailure {
    let chain = error_chain(e);
    let lower = chain.to_ascii_lowercase();
    let mut src: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(x) = src {
        if let Some(io) = x.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return HttpFailure::Refused(chain);
        }
        src = x.source();
    }
    if lower.contains("connection refused") {
        return HttpFailure::Refused(chain);
    }
    if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
        || lower.contains("no such host")
        || lower.contains("nodename nor servname")
        || lower.contains("temporary failure in name resolution")
    {
        return HttpFailure::Dns(chain);
    }
    if e.is_connect() && e.is_timeout() {
        return HttpFailure::ConnectTimeout(chain);
    }
    let tls_words = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "invalidcontenttype",
        "peer sent",
        "alert",
        "unknownissuer",
        "notvalidforname",
        "expired",
    ];
    if url.scheme() == "https" && (e.is_connect() || tls_words.iter().any(|w| lower.contains(w))) {
        return HttpFailure::Tls(chain);
    }
    HttpFailure::Io(chain)
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// One request with manual redirect handling (like `fetch`: 301/302/303
/// turn POST into GET, 307/308 keep it; credentials are dropped on a
/// cross-origin hop). Returns the response and the URL it came from.
async fn exchange(
    client: &Client,
    method: Method,
    url: &Url,
    mut headers: HeaderMap,
    body: Option<Vec<u8>>,
    redirects: &mut Vec<Redirect>,
    masker: &Masker,
) -> Result<(Response, Url), Failure> {
    let mut method = method;
    let mut url = url.clone();
    let mut body = body;
    for hop in 0..=MAX_REDIRECTS {
        let mut req = client
            .request(method.clone(), url.clone())
            .headers(headers.clone());
        if let Some(b) = &body {
            req = req.body(b.clone());
        }
        let resp = req
            .send()
            .await
            .map_err(|e| hf(classify_reqwest(&e, &url)))?;
        let status = resp.status();
        let location = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| url.join(l).ok());
        match (status.as_u16(), location) {
            (301 | 302 | 303 | 307 | 308, Some(next)) if hop < MAX_REDIRECTS => {
                redirects.push(Redirect {
                    status: status.as_u16(),
                    from: masker.url(&url),
                    to: masker.url(&next),
                });
                if matches!(status.as_u16(), 301..=303) && method == Method::POST {
                    method = Method::GET;
                    body = None;
                    headers.remove(CONTENT_TYPE);
                }
                if !same_origin(&url, &next) {
                    headers.remove(AUTHORIZATION);
                    headers.remove(COOKIE);
                }
                url = next;
            }
            _ => return Ok((resp, url)),
        }
    }
    Err(hf(HttpFailure::Io("redirect loop".into())))
}

/// Reads at most `cap` bytes of a body. `Ok((bytes, complete))`.
async fn read_capped(resp: &mut Response, cap: usize) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = cap - out.len();
        if chunk.len() >= room {
            out.extend_from_slice(&chunk[..room]);
            // Complete only if this chunk ended exactly at the cap and nothing follows;
            // we don't read further to find out.
            return Ok((out, false));
        }
        out.extend_from_slice(&chunk);
    }
    Ok((out, true))
}

/// `<title>` of an HTML document.
pub(crate) fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let raw = html.get(open_end..close)?;
    let t = raw
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then(|| cut_chars(&t, 200))
}

fn looks_like_html(ct: &str, body: &[u8]) -> bool {
    if ct == "text/html" || ct == "application/xhtml+xml" {
        return true;
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Records the decisive response in the report (status, type, URL).
fn note_response(
    info: &mut HttpReport,
    method: &Method,
    resp: &Response,
    final_url: &Url,
    masker: &Masker,
) {
    info.method = Some(method.to_string());
    info.status = Some(resp.status().as_u16());
    info.content_type = content_type(resp);
    info.final_url = Some(masker.url(final_url));
}

/// Reads the first bytes of a body into the report (snippet, `<title>`,
/// `WWW-Authenticate`). Bounded by `SNIFF_BYTES`; errors are ignored.
async fn note_body(info: &mut HttpReport, resp: &mut Response, masker: &Masker) -> Vec<u8> {
    if let Some(raw) = www_authenticate_raw(resp) {
        info.www_authenticate = Some(bearer_params(&raw));
    }
    let (body, complete) = read_capped(resp, SNIFF_BYTES).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let masked = masker.mask_cut(&text, false, !complete);
    let snippet = match masked.char_indices().nth(SNIPPET_BYTES) {
        Some((i, _)) => format!("{}…", &masked[..i]),
        None => masked.clone(),
    };
    info.body_snippet = (!snippet.trim().is_empty()).then_some(snippet);
    if looks_like_html(&essence(info.content_type.as_deref()), &body) {
        info.html_title = html_title(&text);
    }
    body
}

fn www_authenticate_raw(resp: &Response) -> Option<String> {
    let vals: Vec<String> = resp
        .headers()
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    (!vals.is_empty()).then(|| vals.join(", "))
}

/// Classifies a non-success response after its body was sniffed.
fn status_failure(status: StatusCode) -> Failure {
    match status.as_u16() {
        401 | 403 => hf(HttpFailure::Unauthorized(status.as_u16())),
        s => hf(HttpFailure::Status(s)),
    }
}

fn parse_messages(body: &[u8]) -> Result<Vec<Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(v) => Ok(vec![v]),
        Err(e) => Err(e.to_string()),
    }
}

/// An SSE response body being read event by event.
struct EventStream {
    resp: Response,
    parser: SseParser,
    pending: VecDeque<SseEvent>,
    url: Url,
}

impl EventStream {
    fn new(resp: Response, url: Url) -> Self {
        EventStream {
            resp,
            parser: SseParser::new(MAX_MESSAGE_BYTES),
            pending: VecDeque::new(),
            url,
        }
    }

    /// The next event; `Ok(None)` at the end of the stream.
    async fn next_event(&mut self) -> Result<Option<SseEvent>, Failure> {
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

fn build_headers(headers: &[(String, String)]) -> Result<HeaderMap, Failure> {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| {
            hf(HttpFailure::BadHeader(format!(
                "\"{k}\" is not a valid HTTP header name"
            )))
        })?;
        let value = HeaderValue::from_str(v)
            .map_err(|_| hf(HttpFailure::BadHeader(format!("the value of header \"{k}\" contains characters HTTP does not allow (e.g. a newline)"))))?;
        map.append(name, value);
    }
    Ok(map)
}

fn build_client(timeout: Duration) -> Result<Client, Failure> {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout.clamp(Duration::from_millis(100), Duration::from_secs(10)))
        .user_agent(concat!(
            "mcp-config-lsp/",
            env!("CARGO_PKG_VERSION"),
            " (test launch)"
        ))
        .build()
        .map_err(|e| hf(HttpFailure::ClientBuild(error_chain(&e))))
}

// ---------------------------------------------------------------------------
// Streamable HTTP

pub(crate) struct StreamableConn {
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

    pub(crate) fn set_protocol_version(&mut self, v: &str) {
        self.protocol_version = Some(v.to_string());
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

    pub(crate) async fn send(&mut self, msg: &Value, is_request: bool) -> Result<(), Failure> {
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

    pub(crate) async fn recv(&mut self) -> Result<Value, Failure> {
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

// ---------------------------------------------------------------------------
// Legacy HTTP+SSE

enum SseItem {
    Message(Value),
    BadJson(String, String),
    Closed,
    Failed(Failure),
}

pub(crate) struct SseConn {
    client: Client,
    endpoint: Url,
    headers: HeaderMap,
    rx: mpsc::Receiver<SseItem>,
    task: JoinHandle<()>,
    queue: VecDeque<Value>,
    masker: Masker,
    pub(crate) info: HttpReport,
}

impl Drop for SseConn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SseConn {
    /// GET the SSE URL and wait for the `endpoint` event. On failure the
    /// partial report is handed back.
    async fn connect(
        client: Client,
        url: &Url,
        headers: HeaderMap,
        masker: Masker,
        endpoint_deadline: Instant,
    ) -> Result<SseConn, (Failure, HttpReport)> {
        let mut info = HttpReport {
            url: masker.url(url),
            ..HttpReport::default()
        };
        let mut h = headers.clone();
        h.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        let r = exchange(
            &client,
            Method::GET,
            url,
            h,
            None,
            &mut info.redirects,
            &masker,
        )
        .await;
        let (mut resp, final_url) = match r {
            Ok(x) => x,
            Err(f) => return Err((f, info)),
        };
        note_response(&mut info, &Method::GET, &resp, &final_url, &masker);
        let status = resp.status();
        if !status.is_success() {
            note_body(&mut info, &mut resp, &masker).await;
            return Err((status_failure(status), info));
        }
        let ct = essence(content_type(&resp).as_deref());
        if ct != "text/event-stream" {
            let body = note_body(&mut info, &mut resp, &masker).await;
            let f = if looks_like_html(&ct, &body) {
                hf(HttpFailure::Html)
            } else {
                hf(HttpFailure::ContentType(if ct.is_empty() {
                    "(none)".into()
                } else {
                    ct
                }))
            };
            return Err((f, info));
        }
        let mut stream = EventStream::new(resp, final_url.clone());
        let wait_endpoint = async {
            loop {
                match stream.next_event().await? {
                    None => return Err(hf(HttpFailure::StreamClosed)),
                    Some(ev) if ev.kind() == "endpoint" => return Ok(ev.data),
                    Some(_) => {}
                }
            }
        };
        let data = match tokio::time::timeout_at(endpoint_deadline, wait_endpoint).await {
            Ok(Ok(d)) => d,
            Ok(Err(f)) => return Err((f, info)),
            Err(_) => return Err((hf(HttpFailure::NoEndpoint), info)),
        };
        let endpoint = match final_url.join(data.trim()) {
            Ok(u) => u,
            Err(e) => {
                return Err((
                    hf(HttpFailure::BadEndpoint(format!(
                        "{:?}: {e}",
                        cut_chars(data.trim(), 200)
                    ))),
                    info,
                ));
            }
        };
        info.sse_endpoint = Some(masker.url(&endpoint));
        if !same_origin(&endpoint, &final_url) {
            let origin = endpoint.origin().ascii_serialization();
            return Err((hf(HttpFailure::EndpointOrigin(origin)), info));
        }
        let (tx, rx) = mpsc::channel(64);
        let task = tokio::spawn(pump_sse(stream, tx));
        Ok(SseConn {
            client,
            endpoint,
            headers,
            rx,
            task,
            queue: VecDeque::new(),
            masker,
            info,
        })
    }

    pub(crate) async fn send(&mut self, msg: &Value) -> Result<(), Failure> {
        let body = serde_json::to_vec(msg).map_err(|e| Failure::BadResult(e.to_string()))?;
        let mut h = self.headers.clone();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let mut redirects = Vec::new();
        let (mut resp, final_url) = exchange(
            &self.client,
            Method::POST,
            &self.endpoint,
            h,
            Some(body),
            &mut redirects,
            &self.masker,
        )
        .await?;
        let status = resp.status();
        if !status.is_success() {
            note_response(
                &mut self.info,
                &Method::POST,
                &resp,
                &final_url,
                &self.masker,
            );
            self.info.redirects.extend(redirects);
            note_body(&mut self.info, &mut resp, &self.masker).await;
            return Err(status_failure(status));
        }
        // Drain the short "Accepted" body so the connection can be reused.
        let _ = read_capped(&mut resp, SNIFF_BYTES).await;
        Ok(())
    }

    pub(crate) async fn recv(&mut self) -> Result<Value, Failure> {
        loop {
            if let Some(v) = self.queue.pop_front() {
                return Ok(v);
            }
            match self.rx.recv().await {
                Some(SseItem::Message(Value::Array(items))) => self.queue.extend(items),
                Some(SseItem::Message(v)) => self.queue.push_back(v),
                Some(SseItem::BadJson(detail, text)) => {
                    return Err(Failure::NotJsonRpc { detail, text });
                }
                Some(SseItem::Failed(f)) => return Err(f),
                Some(SseItem::Closed) | None => return Err(hf(HttpFailure::StreamClosed)),
            }
        }
    }
}

async fn pump_sse(mut stream: EventStream, tx: mpsc::Sender<SseItem>) {
    loop {
        let item = match stream.next_event().await {
            Ok(None) => SseItem::Closed,
            Err(f) => SseItem::Failed(f),
            Ok(Some(ev)) => {
                if ev.kind() != "message" || ev.data.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(&ev.data) {
                    Ok(v) => SseItem::Message(v),
                    Err(e) => SseItem::BadJson(
                        format!("SSE message data is not JSON ({e})"),
                        ev.data.clone(),
                    ),
                }
            }
        };
        let end = matches!(item, SseItem::Closed | SseItem::Failed(_));
        if tx.send(item).await.is_err() || end {
            return;
        }
    }
}

// ---------------------------------------------------------------------------
// Orchestration

fn attempt(
    transport: Transport,
    method: &str,
    info: &HttpReport,
    outcome: &Result<(), &Failure>,
) -> HttpAttempt {
    HttpAttempt {
        transport,
        method: method.to_string(),
        url: info.final_url.clone().unwrap_or_else(|| info.url.clone()),
        status: info.status,
        content_type: info.content_type.clone(),
        outcome: match outcome {
            Ok(()) => "ok".into(),
            Err(f) => short_outcome(f),
        },
    }
}

fn short_outcome(f: &Failure) -> String {
    match f {
        Failure::Http(HttpFailure::Status(s) | HttpFailure::Unauthorized(s)) => format!("HTTP {s}"),
        Failure::Http(HttpFailure::Html) => "HTML page".into(),
        Failure::Http(HttpFailure::Refused(_)) => "connection refused".into(),
        Failure::Http(HttpFailure::Dns(_)) => "DNS failure".into(),
        Failure::Http(HttpFailure::Tls(_)) => "TLS failure".into(),
        Failure::Http(HttpFailure::NoEndpoint) => "no endpoint event".into(),
        Failure::Http(HttpFailure::ContentType(ct)) => format!("unexpected content type {ct}"),
        Failure::Timeout => "timeout".into(),
        Failure::Cancelled => "cancelled".into(),
        other => format!("{other:?}").chars().take(80).collect(),
    }
}

fn is_fallback_status(f: &Failure) -> bool {
    matches!(f, Failure::Http(HttpFailure::Status(400 | 404 | 405)))
}

/// An HTTP test launch.
pub(crate) async fn run(
    url: &Url,
    headers: &[(String, String)],
    kind: HttpKind,
    ctx: &mut Ctx<'_>,
    report: &mut LaunchReport,
) -> Outcome {
    report.http = Some(HttpReport {
        url: ctx.masker.url(url),
        ..HttpReport::default()
    });
    let setup = build_headers(headers).and_then(|h| build_client(ctx.timeout).map(|c| (h, c)));
    let (header_map, client) = match setup {
        Ok(x) => x,
        Err(failure) => {
            report.duration_ms = ctx.elapsed_ms();
            report.transport = Some(match kind {
                HttpKind::Sse => Transport::Sse,
                _ => Transport::StreamableHttp,
            });
            return Err(Failed {
                phase: "connect".into(),
                failure,
            });
        }
    };
    let outcome = match kind {
        HttpKind::StreamableHttp => run_streamable(&client, url, &header_map, ctx, report)
            .await
            .map_err(|(f, _)| f),
        HttpKind::Sse => run_sse(&client, url, &header_map, ctx, report).await,
        HttpKind::Auto => match run_streamable(&client, url, &header_map, ctx, report).await {
            Err((first, true)) if is_fallback_status(&first.failure) => {
                let post_info = report.http.clone().unwrap_or_default();
                let second = run_sse(&client, url, &header_map, ctx, report).await;
                match second {
                    Ok(()) => Ok(()),
                    Err(f2) => {
                        // Keep the more telling failure: a web page or a
                        // sign-in demand from the GET beats the POST status.
                        let telling = matches!(
                            f2.failure,
                            Failure::Http(HttpFailure::Html | HttpFailure::Unauthorized(_))
                                | Failure::Cancelled
                        );
                        if telling {
                            Err(f2)
                        } else {
                            let attempts = report
                                .http
                                .as_ref()
                                .map(|h| h.attempts.clone())
                                .unwrap_or_default();
                            report.http = Some(HttpReport {
                                attempts,
                                ..post_info
                            });
                            report.transport = Some(Transport::StreamableHttp);
                            Err(first)
                        }
                    }
                }
            }
            other => other.map_err(|(f, _)| f),
        },
    };
    if let Err(f) = &outcome
        && let Failure::Http(HttpFailure::Unauthorized(_)) = f.failure
        && let Some(info) = report.http.as_mut()
    {
        let t = Instant::now();
        let prm = bounded(&mut ctx.cancel, Instant::now() + 2 * PRM_TIMEOUT, async {
            Ok(
                probe_resource_metadata(&client, url, info.www_authenticate.as_ref(), &ctx.masker)
                    .await,
            )
        })
        .await;
        if let Ok(prm) = prm {
            info.resource_metadata = Some(prm);
        }
        phase(report, "resource-metadata", t, true);
    }
    outcome
}

/// Streamable HTTP: the whole session. On failure also says whether it
/// happened at the initialize POST (where the fallback applies).
async fn run_streamable(
    client: &Client,
    url: &Url,
    headers: &HeaderMap,
    ctx: &mut Ctx<'_>,
    report: &mut LaunchReport,
) -> Result<(), (Failed, bool)> {
    report.transport = Some(Transport::StreamableHttp);
    let mut conn = Conn::Streamable(Box::new(StreamableConn::new(
        client.clone(),
        url,
        headers.clone(),
        ctx.masker.clone(),
    )));
    let init = session::initialize(&mut conn, ctx, report).await;
    let result = match init {
        Err(f) => Err((f, true)),
        Ok(()) => session::after_initialize(&mut conn, ctx, report)
            .await
            .map_err(|f| (f, false)),
    };
    report.duration_ms = ctx.elapsed_ms();
    let Conn::Streamable(mut c) = conn else {
        return result;
    };
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

/// Legacy SSE: GET + endpoint, then the session.
async fn run_sse(
    client: &Client,
    url: &Url,
    headers: &HeaderMap,
    ctx: &mut Ctx<'_>,
    report: &mut LaunchReport,
) -> Outcome {
    report.transport = Some(Transport::Sse);
    let t = Instant::now();
    let endpoint_deadline = ctx.deadline.min(Instant::now() + ENDPOINT_TIMEOUT);
    let connected = bounded(&mut ctx.cancel, ctx.deadline, async {
        Ok(SseConn::connect(
            client.clone(),
            url,
            headers.clone(),
            ctx.masker.clone(),
            endpoint_deadline,
        )
        .await)
    })
    .await;
    let prev_attempts = report
        .http
        .as_ref()
        .map(|h| h.attempts.clone())
        .unwrap_or_default();
    let conn = match connected {
        Ok(Ok(c)) => c,
        Ok(Err((failure, mut info))) => {
            phase(report, "connect", t, false);
            info.attempts = prev_attempts;
            info.attempts
                .push(attempt(Transport::Sse, "GET", &info, &Err(&failure)));
            report.http = Some(info);
            report.duration_ms = ctx.elapsed_ms();
            return Err(Failed {
                phase: "connect".into(),
                failure,
            });
        }
        Err(failure) => {
            // Timeout or cancel around the whole connect.
            phase(report, "connect", t, false);
            let mut info = HttpReport {
                url: ctx.masker.url(url),
                ..HttpReport::default()
            };
            info.attempts = prev_attempts;
            info.attempts
                .push(attempt(Transport::Sse, "GET", &info, &Err(&failure)));
            report.http = Some(info);
            report.duration_ms = ctx.elapsed_ms();
            return Err(Failed {
                phase: "connect".into(),
                failure,
            });
        }
    };
    phase(report, "connect", t, true);
    let mut conn = Conn::Sse(Box::new(conn));
    let result = session::handshake(&mut conn, ctx, report).await;
    report.duration_ms = ctx.elapsed_ms();
    if let Conn::Sse(mut c) = conn {
        c.task.abort();
        let mut info = std::mem::take(&mut c.info);
        info.attempts = prev_attempts;
        info.attempts.push(attempt(
            Transport::Sse,
            "GET",
            &info,
            &result.as_ref().map(|_| ()).map_err(|f| &f.failure),
        ));
        report.http = Some(info);
    }
    result
}

/// RFC 9728 discovery: the `resource_metadata` URL from the challenge, else
/// the path-specific and then the root well-known URL.
async fn probe_resource_metadata(
    client: &Client,
    url: &Url,
    www: Option<&WwwAuthenticate>,
    masker: &Masker,
) -> ResourceMetadata {
    let mut candidates: Vec<Url> = Vec::new();
    if let Some(u) = www
        .and_then(|w| w.resource_metadata.as_deref())
        .and_then(|s| url.join(s).ok())
    {
        candidates.push(u);
    } else {
        let path = url.path().trim_end_matches('/');
        let mut base = url.clone();
        base.set_query(None);
        base.set_fragment(None);
        if !path.is_empty()
            && let Ok(u) = base.join(&format!("/.well-known/oauth-protected-resource{path}"))
        {
            candidates.push(u);
        }
        if let Ok(u) = base.join("/.well-known/oauth-protected-resource") {
            candidates.push(u);
        }
    }
    let mut md = ResourceMetadata::default();
    if candidates.is_empty() {
        md.error = Some("no usable metadata URL".into());
        return md;
    }
    for cand in candidates {
        md = ResourceMetadata {
            url: masker.url(&cand),
            ..ResourceMetadata::default()
        };
        if !matches!(cand.scheme(), "http" | "https") {
            md.error = Some("not an http(s) URL".into());
            continue;
        }
        let fetch = async {
            let mut resp = client
                .get(cand.clone())
                .header(ACCEPT, "application/json")
                .send()
                .await
                .map_err(|e| error_chain(&e))?;
            let status = resp.status().as_u16();
            let (body, _) = read_capped(&mut resp, SNIFF_BYTES)
                .await
                .map_err(|e| error_chain(&e))?;
            Ok::<_, String>((status, body))
        };
        match tokio::time::timeout(PRM_TIMEOUT, fetch).await {
            Err(_) => md.error = Some(format!("no answer within {} s", PRM_TIMEOUT.as_secs())),
            Ok(Err(e)) => md.error = Some(e),
            Ok(Ok((status, body))) => {
                md.status = Some(status);
                if !(200..300).contains(&status) {
                    md.error = Some(format!("HTTP {status}"));
                    continue;
                }
                match serde_json::from_slice::<Value>(&body) {
                    Ok(v) => {
                        let strs = |k: &str| -> Vec<String> {
                            v.get(k)
                                .and_then(Value::as_array)
                                .map(|a| {
                                    a.iter()
                                        .filter_map(Value::as_str)
                                        .map(str::to_string)
                                        .collect()
                                })
                                .unwrap_or_default()
                        };
                        md.resource = v
                            .get("resource")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        md.authorization_servers = strs("authorization_servers");
                        md.scopes_supported = strs("scopes_supported");
                        return md;
                    }
                    Err(e) => md.error = Some(format!("not JSON: {e}")),
                }
            }
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_extraction() {
        assert_eq!(
            html_title("<html><head><TITLE>My  App &amp; Co</TITLE>").as_deref(),
            Some("My App & Co")
        );
        assert_eq!(
            html_title("<title lang=en>\n  Login\n</title>").as_deref(),
            Some("Login")
        );
        assert_eq!(html_title("<p>no title</p>"), None);
        assert_eq!(html_title("<title></title>"), None);
    }

    #[test]
    fn media_type_essence() {
        assert_eq!(
            essence(Some("Text/Event-Stream; charset=utf-8")),
            "text/event-stream"
        );
        assert_eq!(essence(None), "");
    }

    #[test]
    fn html_sniffing() {
        assert!(looks_like_html("", b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html("text/html", b""));
        assert!(!looks_like_html("application/json", b"{}"));
    }
}
