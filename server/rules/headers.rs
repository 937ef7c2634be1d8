//! The `headers/*` family.
//!
//! `headers/auth-scheme`: an `Authorization` header whose value is a bare
//! credential, without a scheme such as `Bearer ` or `Basic `. Servers answer
//! it with 401. The fix prefixes `Bearer ` (or `Basic ` when the value is
//! base64 of `user:password`); it inserts the prefix only, so the fix itself
//! never carries the secret. Header values are secrets: messages show them
//! redacted.

use super::ctx::{Ctx, report};
use crate::finding::{Edit, Finding, Fix};
use crate::redact::redact;
use crate::registry::*;
use crate::secrets::{Base64, decode_base64, is_placeholder};
use crate::substitution::{self, source_span};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let client = ctx.spec().name;
    for server in &ctx.config.servers {
        for h in server.headers() {
            if !h.key.eq_ignore_ascii_case("authorization") {
                continue;
            }
            let Some(value) = h.value.as_str() else {
                continue;
            };
            let v = value.trim();
            if v.is_empty() || substitution::is_whole_reference(v) || is_placeholder(v) {
                continue;
            }
            if has_scheme(v) {
                continue;
            }
            let basic = looks_like_basic(v);
            let scheme = if basic { "Basic" } else { "Bearer" };
            let at = value.len() - value.trim_start().len();
            let insert_at = source_span(ctx.text, h.value.span, at..at).start;
            report(
                out,
                server,
                Finding::new(
                    &HEADER_AUTH_SCHEME,
                    h.value.span,
                    format!(
                        "`{}` is {} without a scheme: servers expect `Authorization: {scheme} <credential>` and answer a bare one with 401, which {client} shows as a failed connection",
                        h.key,
                        redact(value)
                    ),
                )
                .with_fix(Fix::unsafe_(format!("Prefix with `{scheme} `"), vec![Edit::insert(insert_at, format!("{scheme} "))])),
            );
        }
    }
}

/// `Bearer x`, `token x`, `AWS4-HMAC-SHA256 Credential=...`, `Bearer ${env:X}`.
fn has_scheme(v: &str) -> bool {
    let mut parts = v.splitn(2, char::is_whitespace);
    let first = parts.next().unwrap_or("");
    let rest = parts.next().unwrap_or("").trim();
    !rest.is_empty()
        && !first.is_empty()
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+.^_`|~-".contains(c))
}

/// Base64 of `user:password`.
fn looks_like_basic(v: &str) -> bool {
    if v.trim_end_matches('=').len() < 8 || !v.len().is_multiple_of(4) {
        return false;
    }
    decode_base64(v, Base64::Standard).is_some_and(|out| {
        std::str::from_utf8(&out)
            .is_ok_and(|s| s.contains(':') && s.chars().all(|c| !c.is_control()))
    })
}

#[cfg(test)]
mod tests {
    use crate::analysis::Options;
    use crate::host::FakeHost;
    use crate::testing::{analyze_with, check, check_fix, quiet_on};

    const TOKEN: &str = "ghp_R4nd0mT0k3nV4lu3Xq9Zz8Yy7Ww6Vv5Uu4Tt";

    #[test]
    fn bare_token_needs_a_scheme() {
        let text = format!(
            r#"{{"mcpServers": {{"gh": {{"type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": {{"Authorization": "{TOKEN}"}}}}}}}}"#
        );
        let quoted = format!("\"{TOKEN}\"");
        check(
            "/home/me/p/.mcp.json",
            &text,
            &[
                ("headers/auth-scheme", &quoted),
                ("secret/plaintext", TOKEN),
            ],
        );
        let a = analyze_with(
            "/home/me/p/.mcp.json",
            &text,
            &FakeHost::linux(),
            &Options::default(),
        );
        for f in &a.findings {
            assert!(!f.message.contains(TOKEN), "{}", f.message);
            for fix in &f.fixes {
                assert!(fix.edits.iter().all(|e| !e.new_text.contains(TOKEN)));
            }
        }
        assert!(a.findings.iter().any(|f| f.message.contains("ghp_…(40 chars)") && f.message.contains("Claude Code")));
        let fixed = text.replace(TOKEN, &format!("Bearer {TOKEN}"));
        check_fix(
            "/home/me/p/.mcp.json",
            &text,
            "headers/auth-scheme",
            "Prefix with `Bearer `",
            &fixed,
        );
    }

    #[test]
    fn basic_credentials_get_basic() {
        // base64("user:pass-word")
        let text = r#"{"mcpServers": {"a": {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "dXNlcjpwYXNzLXdvcmQ="}}}}"#;
        check_fix(
            "/home/me/p/.cursor/mcp.json",
            text,
            "headers/auth-scheme",
            "Prefix with `Basic `",
            &text.replace("\"dXNl", "\"Basic dXNl"),
        );
    }

    #[test]
    fn schemes_and_references_are_fine() {
        for v in [
            "Bearer ${env:TOKEN_X}",
            "${env:AUTH_HEADER}",
            "token abc123",
            "Basic dXNlcjpwYXNz",
            "AWS4-HMAC-SHA256 Credential=x",
            "Bearer YOUR_TOKEN",
        ] {
            let text = format!(
                r#"{{"mcpServers": {{"a": {{"url": "https://mcp.example.com/mcp", "headers": {{"X-Other": "abc", "Authorization": "{v}"}}}}}}}}"#
            );
            quiet_on(
                "/home/me/p/.cursor/mcp.json",
                &text,
                &FakeHost::linux()
                    .with_env("TOKEN_X", "x")
                    .with_env("AUTH_HEADER", "x"),
                &Options::default(),
                "headers/auth-scheme",
            );
        }
    }
}
