//! The authorization family: a 401/403, with what the challenge and the
//! protected-resource metadata say the client must do.

use super::evidence::{d, http_evidence};
use crate::launch::report::{Diagnosis, LaunchReport};
use crate::registry::LAUNCH_UNAUTHORIZED;

pub(super) fn unauthorized(
    report: &LaunchReport,
    status: u16,
    has_auth: bool,
    mut ev: Vec<String>,
) -> Diagnosis {
    http_evidence(report, &mut ev);
    let h = report.http.as_ref();
    let www = h.and_then(|h| h.www_authenticate.as_ref());
    let servers = h
        .and_then(|h| h.resource_metadata.as_ref())
        .map(|m| m.authorization_servers.clone())
        .unwrap_or_default();
    let at = if servers.is_empty() {
        String::new()
    } else {
        format!(" at {}", servers.join(", "))
    };
    let scope = www
        .and_then(|w| w.scope.clone())
        .or_else(|| {
            h.and_then(|h| h.resource_metadata.as_ref())
                .filter(|m| !m.scopes_supported.is_empty())
                .map(|m| m.scopes_supported.join(" "))
        })
        .map(|s| format!(" (scope: {s})"))
        .unwrap_or_default();
    let error = www
        .and_then(|w| w.error.clone())
        .map(|e| {
            let desc = www
                .and_then(|w| w.error_description.clone())
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            format!(" The server says {e}{desc}.")
        })
        .unwrap_or_default();
    let msg = if status == 403 && www.is_none() {
        "HTTP 403 Forbidden without a WWW-Authenticate challenge: the server or a proxy/WAF refuses the request itself — often DNS-rebinding protection rejecting the Host or Origin header, or an IP allow-list.".to_string()
    } else if status == 403 && www.and_then(|w| w.error.as_deref()) == Some("insufficient_scope") {
        format!(
            "HTTP 403: the token is valid but lacks a required scope{scope}. Sign in again granting that scope{at}."
        )
    } else if has_auth {
        format!(
            "HTTP {status}: the server rejected the token sent in the Authorization header (token rejected: invalid, expired or for another resource).{error} Get a new token{at}{scope}, or remove the header to let an OAuth-capable client sign in."
        )
    } else if servers.is_empty() {
        format!(
            "HTTP {status}: the server needs authorization and no Authorization header is configured.{error} An OAuth-capable client opens a browser to sign in; otherwise add `headers.Authorization: Bearer <token>`. The authorization server could not be determined (no protected-resource metadata)."
        )
    } else {
        format!(
            "HTTP {status}: the server needs OAuth sign-in{at}{scope}. A client that supports MCP authorization opens a browser for it; clients that don't need a token in `headers.Authorization`."
        )
    };
    d(&LAUNCH_UNAUTHORIZED, msg, ev)
}
