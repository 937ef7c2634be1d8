//! One HTTP exchange and what it leaves in the report: building the client
//! and headers, sending with redirects handled like `fetch`, reading a
//! capped body, sniffing it (HTML, `WWW-Authenticate`, a snippet) and
//! classifying network errors. Shared by both transports and the metadata
//! discovery. Imports no sibling, only the base of `launch` (`auth`,
//! `failure`, `report`).

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, LOCATION,
    WWW_AUTHENTICATE,
};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::Value;
use url::Url;

use crate::launch::auth::bearer_params;
use crate::launch::failure::{Failure, HttpFailure};
use crate::launch::report::{HttpAttempt, HttpReport, Redirect, Transport};
use crate::redact::mask::{Masker, cut_chars};

/// Redirects followed per request.
const MAX_REDIRECTS: usize = 3;
/// Body bytes read from error / unexpected responses.
pub(super) const SNIFF_BYTES: usize = 64 * 1024;
/// Body bytes shown in the report.
pub(super) const SNIPPET_BYTES: usize = 500;

pub(super) fn hf(f: HttpFailure) -> Failure {
    Failure::Http(f)
}

/// The media type without parameters, lower-case.
pub(super) fn essence(ct: Option<&str>) -> String {
    ct.unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub(super) fn content_type(resp: &Response) -> Option<String> {
    resp.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `Display` of an error with all its sources.
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
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
pub(super) fn classify_reqwest(e: &reqwest::Error, url: &Url) -> HttpFailure {
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

pub(super) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// One request with manual redirect handling (like `fetch`: 301/302/303
/// turn POST into GET, 307/308 keep it; credentials are dropped on a
/// cross-origin hop). Returns the response and the URL it came from.
pub(super) async fn exchange(
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
pub(super) async fn read_capped(
    resp: &mut Response,
    cap: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
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
pub(super) fn html_title(html: &str) -> Option<String> {
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

pub(super) fn looks_like_html(ct: &str, body: &[u8]) -> bool {
    if ct == "text/html" || ct == "application/xhtml+xml" {
        return true;
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Records the decisive response in the report (status, type, URL).
pub(super) fn note_response(
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
pub(super) async fn note_body(
    info: &mut HttpReport,
    resp: &mut Response,
    masker: &Masker,
) -> Vec<u8> {
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

pub(super) fn www_authenticate_raw(resp: &Response) -> Option<String> {
    let vals: Vec<String> = resp
        .headers()
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    (!vals.is_empty()).then(|| vals.join(", "))
}

/// Classifies a non-success response after its body was sniffed.
pub(super) fn status_failure(status: StatusCode) -> Failure {
    match status.as_u16() {
        401 | 403 => hf(HttpFailure::Unauthorized(status.as_u16())),
        s => hf(HttpFailure::Status(s)),
    }
}

pub(super) fn parse_messages(body: &[u8]) -> Result<Vec<Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(v) => Ok(vec![v]),
        Err(e) => Err(e.to_string()),
    }
}

pub(super) fn build_headers(headers: &[(String, String)]) -> Result<HeaderMap, Failure> {
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

pub(super) fn build_client(timeout: Duration) -> Result<Client, Failure> {
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
// The attempts list: one line per transport tried.

pub(super) fn attempt(
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

pub(super) fn short_outcome(f: &Failure) -> String {
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
