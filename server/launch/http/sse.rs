//! Legacy HTTP+SSE: a GET opens the event stream, its `endpoint` event names
//! the URL to POST messages to, answers arrive on the stream. Implements
//! [`Conn`]; imports `exchange` and `event_stream`, never the session.

use std::collections::VecDeque;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Client, Method};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use url::Url;

use super::event_stream::EventStream;
use super::exchange::{
    SNIFF_BYTES, attempt, content_type, essence, exchange, hf, looks_like_html, note_body,
    note_response, read_capped, same_origin, status_failure,
};
use crate::launch::conn::{Conn, Handshake};
use crate::launch::ctx::{Ctx, bounded};
use crate::launch::failure::{Failed, Failure, HttpFailure, Outcome};
use crate::launch::report::{HttpAttempt, HttpReport, LaunchReport, Transport, phase};
use crate::redact::mask::{Masker, cut_chars};

/// Wait at most this long for the `endpoint` event.
const ENDPOINT_TIMEOUT: Duration = Duration::from_secs(10);

enum SseItem {
    Message(Value),
    BadJson(String, String),
    Closed,
    Failed(Failure),
}

pub(super) struct SseConn {
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
}

impl Conn for SseConn {
    async fn send(&mut self, msg: &Value, _is_request: bool) -> Result<(), Failure> {
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

    async fn recv(&mut self) -> Result<Value, Failure> {
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

/// Legacy SSE: GET + endpoint, then the session.
pub(super) async fn run_sse(
    client: &Client,
    url: &Url,
    headers: &HeaderMap,
    session: &impl Handshake,
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
    let mut c = match connected {
        Ok(Ok(c)) => c,
        Ok(Err((failure, info))) => {
            return connect_failed(failure, info, prev_attempts, t, ctx, report);
        }
        Err(failure) => {
            // Timeout or cancel around the whole connect: nothing was noted yet.
            let info = HttpReport {
                url: ctx.masker.url(url),
                ..HttpReport::default()
            };
            return connect_failed(failure, info, prev_attempts, t, ctx, report);
        }
    };
    phase(report, "connect", t, true);
    let result = session.handshake(&mut c, ctx, report).await;
    report.duration_ms = ctx.elapsed_ms();
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
    result
}

/// The GET or its `endpoint` event failed: the attempt goes into the report.
fn connect_failed(
    failure: Failure,
    mut info: HttpReport,
    prev_attempts: Vec<HttpAttempt>,
    started: Instant,
    ctx: &Ctx<'_>,
    report: &mut LaunchReport,
) -> Outcome {
    phase(report, "connect", started, false);
    info.attempts = prev_attempts;
    info.attempts
        .push(attempt(Transport::Sse, "GET", &info, &Err(&failure)));
    report.http = Some(info);
    report.duration_ms = ctx.elapsed_ms();
    Err(Failed {
        phase: "connect".into(),
        failure,
    })
}
