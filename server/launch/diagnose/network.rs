//! The HTTP and network family: refused, DNS, TLS, timeouts, error statuses,
//! web pages and broken event streams. One function per kind of failure;
//! `http_failed` only dispatches.

use super::auth::unauthorized;
use super::evidence::{d, http_evidence, quote, secs, when};
use crate::launch::ctx::Ctx;
use crate::launch::failure::HttpFailure;
use crate::launch::limits::MAX_MESSAGE_BYTES;
use crate::launch::report::{Diagnosis, LaunchReport};
use crate::launch::spec::{LaunchSpec, LaunchTarget};
use crate::registry::{
    LAUNCH_CONNECTION_REFUSED, LAUNCH_DNS, LAUNCH_HTML_RESPONSE, LAUNCH_HTTP_STATUS,
    LAUNCH_PROTOCOL_ERROR, LAUNCH_TIMEOUT, LAUNCH_TLS,
};

pub(super) fn host_port(report: &LaunchReport, spec: &LaunchSpec) -> (String, String) {
    match &spec.target {
        LaunchTarget::Http { url, .. } => (
            url.host_str().unwrap_or("?").to_string(),
            url.port_or_known_default()
                .map(|p| p.to_string())
                .unwrap_or_else(|| "?".into()),
        ),
        LaunchTarget::Stdio { .. } => (report.target.clone(), String::new()),
    }
}

pub(super) fn suggest_mcp_url(spec: &LaunchSpec) -> Option<String> {
    let LaunchTarget::Http { url, .. } = &spec.target else {
        return None;
    };
    let path = url.path().trim_end_matches('/');
    if path.ends_with("/mcp") {
        return None;
    }
    let mut u = url.clone();
    u.set_path(&format!("{path}/mcp"));
    u.set_query(None);
    Some(u.to_string())
}

/// Where the launch was going: host, port and the (masked) URL, as the
/// messages name them.
struct Endpoint {
    host: String,
    port: String,
    url: String,
}

impl Endpoint {
    fn of(spec: &LaunchSpec, report: &LaunchReport) -> Self {
        let (host, port) = host_port(report, spec);
        let url = report
            .http
            .as_ref()
            .map(|h| h.url.clone())
            .unwrap_or_default();
        Endpoint { host, port, url }
    }
}

/// What an HTTP launch's failure means.
pub(super) fn http_failed(
    spec: &LaunchSpec,
    ctx: &Ctx<'_>,
    report: &LaunchReport,
    phase: &str,
    h: &HttpFailure,
) -> Diagnosis {
    let at = Endpoint::of(spec, report);
    let url = &at.url;
    match h {
        HttpFailure::Refused(e) => refused(&at, e),
        HttpFailure::Dns(e) => d(
            &LAUNCH_DNS,
            format!(
                "The host name “{}” could not be resolved: a typo in the URL, or no network/VPN connection.",
                at.host
            ),
            vec![format!("resolver error: {e}")],
        ),
        HttpFailure::Tls(e) => d(
            &LAUNCH_TLS,
            format!(
                "The TLS handshake with {}:{} failed.{}",
                at.host,
                at.port,
                tls_hint(e)
            ),
            vec![format!("TLS error: {e}")],
        ),
        HttpFailure::ClientBuild(e) => d(
            &LAUNCH_TLS,
            format!("Could not set up the HTTPS client: {e}"),
            vec![],
        ),
        HttpFailure::ConnectTimeout(e) => d(
            &LAUNCH_TIMEOUT,
            format!(
                "Could not connect to {}:{} within {}: no answer to the TCP connect (a firewall dropping packets, a wrong address, or the host is down).",
                at.host,
                at.port,
                secs(ctx.timeout.min(std::time::Duration::from_secs(10)))
            ),
            vec![format!("connect error: {e}")],
        ),
        HttpFailure::Io(e) => {
            let mut ev = vec![format!("error: {e}")];
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "The HTTP exchange with {url} failed {}: {e}. The server dropped the connection or does not speak HTTP here.",
                    when(phase)
                ),
                ev,
            )
        }
        HttpFailure::Status(s) => error_status(spec, &at, report, phase, *s),
        HttpFailure::Unauthorized(s) => unauthorized(report, *s, sends_authorization(spec), vec![]),
        HttpFailure::Html => html_page(spec, &at, report),
        HttpFailure::ContentType(ct) => bad_answer(
            report,
            format!(
                "{url} answered with Content-Type {ct}; an MCP endpoint answers application/json or text/event-stream. Clients fail with “Unexpected content type: {ct}”."
            ),
        ),
        HttpFailure::BadHeader(e) => d(
            &LAUNCH_PROTOCOL_ERROR,
            format!("The configured headers cannot be sent: {e}."),
            vec![],
        ),
        HttpFailure::BadJson(e) => bad_answer(
            report,
            format!("{url} answered application/json, but the body is not valid JSON ({e})."),
        ),
        HttpFailure::NoEndpoint => no_endpoint_event(ctx, &at, report),
        HttpFailure::EndpointOrigin(o) => bad_answer(
            report,
            format!(
                "The SSE `endpoint` event points to another origin ({o}); clients refuse it (“Endpoint origin does not match connection origin”). Configure the server's public URL correctly."
            ),
        ),
        HttpFailure::BadEndpoint(e) => bad_answer(
            report,
            format!("The SSE `endpoint` event does not hold a usable URL: {e}."),
        ),
        HttpFailure::StreamClosed => bad_answer(
            report,
            format!(
                "The server closed the response stream {} without sending the answer.",
                when(phase)
            ),
        ),
        HttpFailure::SseTooLarge => bad_answer(
            report,
            format!(
                "An SSE event from {url} exceeded {} MiB.",
                MAX_MESSAGE_BYTES / (1024 * 1024)
            ),
        ),
    }
}

/// Whether the configured headers carry `Authorization`.
fn sends_authorization(spec: &LaunchSpec) -> bool {
    matches!(&spec.target, LaunchTarget::Http { headers, .. } if headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("authorization")))
}

/// A `launch/protocol-error` about what the server answered, with the
/// exchange as evidence.
fn bad_answer(report: &LaunchReport, message: String) -> Diagnosis {
    let mut ev = Vec::new();
    http_evidence(report, &mut ev);
    d(&LAUNCH_PROTOCOL_ERROR, message, ev)
}

fn refused(at: &Endpoint, e: &str) -> Diagnosis {
    let local = if at.host == "localhost" {
        " `localhost` may resolve to ::1 (IPv6) while the server listens only on 127.0.0.1, or the reverse: try the other address."
    } else {
        ""
    };
    d(
        &LAUNCH_CONNECTION_REFUSED,
        format!(
            "Nothing is listening at {}:{} (connection refused). Start the server first, or fix the host/port in the URL.{local}",
            at.host, at.port
        ),
        vec![format!("connect error: {e}")],
    )
}

/// The likely cause of a TLS failure, from the words of the error.
fn tls_hint(e: &str) -> &'static str {
    let l = e.to_ascii_lowercase();
    if l.contains("corrupt message")
        || l.contains("invalidcontenttype")
        || l.contains("wrong version")
        || l.contains("record overflow")
    {
        " The server does not speak TLS on this port: use http:// instead of https://."
    } else if l.contains("expired") {
        " The server's certificate has expired."
    } else if l.contains("notvalidforname") || l.contains("name") && l.contains("certificate") {
        " The certificate was issued for another host name."
    } else if l.contains("unknownissuer") || l.contains("self-signed") || l.contains("self signed")
    {
        " The certificate is self-signed or from an unknown CA; clients (Node) need NODE_EXTRA_CA_CERTS for it."
    } else {
        ""
    }
}

/// A non-success status other than 401/403.
fn error_status(
    spec: &LaunchSpec,
    at: &Endpoint,
    report: &LaunchReport,
    phase: &str,
    s: u16,
) -> Diagnosis {
    let mut ev = Vec::new();
    http_evidence(report, &mut ev);
    let why = status_meaning(spec, at, report, s);
    d(
        &LAUNCH_HTTP_STATUS,
        if phase == "initialize" {
            why
        } else {
            format!("{why} This happened {}.", when(phase))
        },
        ev,
    )
}

/// `POST URL → HTTP 404 Not Found: …`: what the status usually means for an
/// MCP endpoint.
fn status_meaning(spec: &LaunchSpec, at: &Endpoint, report: &LaunchReport, s: u16) -> String {
    let Endpoint { host, port, url } = at;
    let body = report
        .http
        .as_ref()
        .and_then(|h| h.body_snippet.as_deref())
        .map(|b| format!(" Body: {}.", quote(b)))
        .unwrap_or_default();
    let fell_back = report.http.as_ref().is_some_and(|h| h.attempts.len() > 1);
    let fb = if fell_back {
        " The legacy SSE fallback (GET) did not work either."
    } else {
        ""
    };
    let method = report
        .http
        .as_ref()
        .and_then(|h| h.method.clone())
        .unwrap_or_else(|| "POST".into());
    match s {
        404 => format!(
            "{method} {url} → HTTP 404 Not Found: wrong path{}, or a server that only speaks legacy SSE (then use its SSE URL, often /sse, with transport type SSE).{fb}",
            suggest_mcp_url(spec)
                .map(|u| format!(" (Streamable HTTP endpoints are usually at /mcp: try {u})"))
                .unwrap_or_default()
        ),
        405 => format!(
            "{method} {url} → HTTP 405 Method Not Allowed: this URL does not accept POST. It is most likely a legacy SSE endpoint (set the transport type to SSE) or the wrong path.{fb}"
        ),
        406 => format!(
            "{method} {url} → HTTP 406 Not Acceptable: the server rejected `Accept: application/json, text/event-stream`, so it is not a Streamable HTTP MCP endpoint (or a proxy rewrote the header)."
        ),
        400 => format!(
            "{method} {url} → HTTP 400 Bad Request.{body} MCP servers answer 400 for a missing/expired session, an unsupported MCP-Protocol-Version, or when they only speak legacy SSE.{fb}"
        ),
        421 => format!(
            "{method} {url} → HTTP 421 Misdirected Request: the server rejects the Host header “{host}:{port}” (DNS-rebinding protection, e.g. FastMCP's allowed hosts). Use the host name it expects, or add this one to its allowed hosts."
        ),
        415 => format!(
            "{method} {url} → HTTP 415 Unsupported Media Type: the server refused `Content-Type: application/json`; it is not an MCP endpoint."
        ),
        300..=399 => format!(
            "{method} {url} → HTTP {s}: a redirect that could not be followed (more than 3 hops, or no Location header)."
        ),
        500..=599 => format!(
            "{method} {url} → HTTP {s}: the server failed while handling the request.{body} Check the server's logs."
        ),
        _ => format!("{method} {url} → HTTP {s}.{body}"),
    }
}

/// A web page where the MCP endpoint should be.
fn html_page(spec: &LaunchSpec, at: &Endpoint, report: &LaunchReport) -> Diagnosis {
    let mut ev = Vec::new();
    http_evidence(report, &mut ev);
    let title = report
        .http
        .as_ref()
        .and_then(|h| h.html_title.clone())
        .map(|t| format!(" (“{t}”)"))
        .unwrap_or_default();
    let try_url = suggest_mcp_url(spec).map(|u| format!(" If the server is an MCP server, its endpoint is usually at a path such as /mcp — try {u}.")).unwrap_or_default();
    d(
        &LAUNCH_HTML_RESPONSE,
        format!(
            "{} answered with an HTML page{title} instead of JSON or an event stream: it is a web page, not an MCP endpoint.{try_url} A login page from a proxy or a single-page app's catch-all route look the same.",
            at.url
        ),
        ev,
    )
}

/// Legacy SSE: the stream opened but never named its POST endpoint.
fn no_endpoint_event(ctx: &Ctx<'_>, at: &Endpoint, report: &LaunchReport) -> Diagnosis {
    let mut ev = Vec::new();
    http_evidence(report, &mut ev);
    d(
        &LAUNCH_TIMEOUT,
        format!(
            "GET {} opened an event stream, but no `endpoint` event arrived within {}: it is not a legacy MCP SSE endpoint (an MCP SSE server sends `event: endpoint` first), or a proxy buffers the stream.",
            at.url,
            secs(ctx.timeout.min(std::time::Duration::from_secs(10)))
        ),
        ev,
    )
}
