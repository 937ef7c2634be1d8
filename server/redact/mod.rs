//! Secrets never leave the process whole: env and header values are shown as
//! their first 4 characters and their length.
//!
//! This file finds what to mask in a config (`secret_spans`,
//! `secret_values`, `mask_line`); `mask` does the masking and imports nothing
//! from here. What counts as a secret is `crate::secrets`'s to say.

pub mod mask;
mod text;

use crate::config::Config;
use crate::finding::Span;
use crate::secrets;
pub use mask::{Masker, redact};
use std::ops::Range;
pub use text::scrub;

/// Every value in the config that may hold a secret, with its span (inside
/// the quotes): env and header values that are not references, arguments
/// that look like credentials (`--api-key=sk_live_...`, a bare `ghp_...`,
/// `TOKEN=...`), the credential parts of URLs (password, token query
/// parameters), tokens of a known format anywhere in an argument or a URL,
/// and credentials under keys no client reads.
/// Each is handed to `found` with its span, borrowed: the spans alone are
/// asked for every file `check` reports, and copying thousands of values
/// there only to drop them cost more than finding them.
fn secret_parts<'c>(config: &'c Config, mut found: impl FnMut(Span, &'c str)) {
    let mut values: Vec<&str> = Vec::new();
    for s in &config.servers {
        for m in s.env().iter().chain(s.headers()) {
            if let Some(v) = m.value.as_str().filter(|v| !is_reference(v)) {
                found(m.value.span.inner(), v);
            }
        }
        let args = s.args();
        values.clear();
        values.extend(args.iter().map(|a| a.value));
        for (i, a) in args.iter().enumerate() {
            let (name, offset) = secrets::arg_value(&values, i);
            let value = &a.value[offset..];
            if secrets::detect(name, value).is_some() {
                found(part_span(a.span, a.value, offset..a.value.len()), value);
            } else {
                embedded(a, &mut found);
            }
        }
        if let Some((_, url)) = s.url(config.dialect) {
            for r in secrets::credential_ranges(url.value) {
                found(part_span(url.span, url.value, r.clone()), &url.value[r]);
            }
            embedded(&url, &mut found);
        }
    }
    // Values under keys no client reads: whole when their name says so,
    // else the tokens of a known format inside them.
    for (key, s, _) in config.loose_strings() {
        if secrets::detect(Some(key), s.value).is_some() {
            found(s.span.inner(), s.value);
        } else {
            embedded(&s, &mut found);
        }
    }
}

/// The tokens of a known format inside `s` (`secrets::embedded`).
fn embedded<'c>(s: &crate::config::Str<'c>, found: &mut impl FnMut(Span, &'c str)) {
    for (r, _) in secrets::embedded(s.value) {
        found(part_span(s.span, s.value, r.clone()), &s.value[r]);
    }
}

/// The span of `range` (in the decoded `value`) inside the string literal at
/// `literal`. A literal with escapes has no byte-for-byte mapping without
/// the text; its whole inside is masked then, which hides more, never less.
fn part_span(literal: Span, value: &str, range: Range<usize>) -> Span {
    let plain = literal.len() == value.len() + 2;
    if plain {
        Span::new(
            literal.start + 1 + range.start,
            literal.start + 1 + range.end,
        )
    } else {
        literal.inner()
    }
}

/// Spans of values that may hold secrets (see `secret_parts`). Used to mask
/// source lines in terminal output.
/// In text order, overlapping ones merged (what `mask_line` relies on;
/// a merged span hides more, never less).
pub fn secret_spans(config: &Config) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    secret_parts(config, |span, _| spans.push(span));
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// The literal values that may hold secrets, for masking free text (launch
/// evidence, messages).
pub fn secret_values(config: &Config) -> Vec<String> {
    let mut values = Vec::new();
    secret_parts(config, |_, v| {
        if v.len() >= 4 {
            values.push(v.to_string());
        }
    });
    values
}

/// The texts under `spans` worth masking in free text: long enough to be a
/// credential and not a README placeholder.
pub fn span_secrets(text: &str, spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .filter_map(|s| text.get(s.start..s.end))
        .filter(|t| t.len() >= 8 && !secrets::is_placeholder(t))
        .map(str::to_string)
        .collect()
}

/// `${env:X}`, `${input:x}`, `${X}`, `$X`: a reference, not a secret.
fn is_reference(v: &str) -> bool {
    let t = v.trim();
    (t.starts_with("${") && t.ends_with('}') && !t[2..t.len() - 1].contains('}'))
        || (t.starts_with('$')
            && t[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// A source line with the parts inside `spans` (as `secret_spans` gives
/// them) masked. `line_start` is the byte offset of the line in the document.
pub fn mask_line(line: &str, line_start: usize, spans: &[Span]) -> String {
    let line_end = line_start + line.len();
    let mut out = String::new();
    let mut pos = line_start;
    // Spans come in text order and do not overlap (`secret_spans`), so
    // their ends are in order too: a binary search finds the first on the
    // line, whatever the number of secrets in the file.
    let first = spans.partition_point(|s| s.end <= line_start);
    let relevant = spans[first..]
        .iter()
        .take_while(|s| s.start < line_end)
        .filter(|s| s.end > line_start);
    for s in relevant {
        let (a, b) = (s.start.max(pos), s.end.min(line_end));
        if a < pos || a >= b {
            continue;
        }
        let (Some(before), Some(secret)) = (
            line.get(pos - line_start..a - line_start),
            line.get(a - line_start..b - line_start),
        ) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&redact(secret));
        pos = b;
    }
    out.push_str(line.get(pos - line_start..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_shows_at_most_four_characters() {
        assert_eq!(
            redact("ghp_0123456789abcdef0123456789abcdef0123"),
            "ghp_…(40 chars)"
        );
        assert_eq!(redact("short"), "…(5 chars)");
    }

    #[test]
    fn secret_spans_cover_env_headers_args_and_url_credentials() {
        let text = r#"{"mcpServers": {
  "a": {"command": "npx", "args": ["-y", "@stripe/mcp", "--api-key=sk_live_51H8x2CJ3kLmNoPqRsTuVwXy", "--tools=all"], "env": {"K": "v-1", "R": "${env:R}"}},
  "b": {"url": "https://u:p4ssw0rd-long@example.com/mcp?token=abcdef123456&page=2", "headers": {"X-Key": "hdr-value"}}
}}"#;
        let a = crate::analysis::analyze(
            text,
            Some("/home/me/p/.cursor/mcp.json"),
            &crate::analysis::Options::default(),
            &crate::host::FakeHost::linux(),
        );
        let mut shown: Vec<&str> = secret_spans(&a.config)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        shown.sort();
        assert_eq!(
            shown,
            vec![
                "abcdef123456",
                "hdr-value",
                "p4ssw0rd-long",
                "sk_live_51H8x2CJ3kLmNoPqRsTuVwXy",
                "v-1"
            ]
        );
        assert_eq!(
            span_secrets(text, &secret_spans(&a.config)).len(),
            4,
            "short values are not masked in free text"
        );
    }

    #[test]
    fn secret_spans_cover_tokens_inside_values_and_under_unknown_keys() {
        let gsk = "gsk_q7Zx3Lm9Kp2Wv8Rt4Nc6Hb1Jd5Fg0YsQ7Zx3Lm9Kp2Wv8Rt4Nc6Hb1Jd5";
        let napi = "napi_q7Zx3Lm9Kp2Wv8Rt4Nc6Hb1Jd5Fg0YsQ7Zx3";
        let pplx = "pplx-q7Zx3Lm9Kp2Wv8Rt4Nc6Hb1Jd5Fg0YsQ7Zx3Lm9Kp2Wv8Rt4Nc6Hb";
        let jupyter = "ed3ee8065eed17e2785aa5513aa61fd94fcffd233a3d38a5";
        let text = format!(
            r#"{{"mcpServers": {{
  "a": {{"command": "npx", "args": ["-y", "groq-mcp", "--config={{\"apiKey\":\"{gsk}\"}}", "NEON_API_KEY={napi}"], "config": {{"token": "{jupyter}", "mode": "fast"}}}},
  "b": {{"url": "https://mcp.example.com/mcp?k={pplx}&page=2"}}
}}, "note": "plain words"}}"#
        );
        let a = crate::analysis::analyze(
            &text,
            Some("/home/me/p/.cursor/mcp.json"),
            &crate::analysis::Options::default(),
            &crate::host::FakeHost::linux(),
        );
        let shown: Vec<&str> = secret_spans(&a.config)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        // Each token, exactly, except inside the argument written with
        // escapes, which is masked whole (no byte-for-byte mapping).
        assert_eq!(shown.len(), 4, "{shown:?}");
        let want = [gsk, napi, pplx, jupyter];
        for planted in want {
            assert!(
                shown
                    .iter()
                    .any(|s| *s == planted || s.starts_with("--config=") && s.contains(planted)),
                "{planted}: {shown:?}"
            );
        }
        // Every line of the file, as the CLI prints it, shows none of them whole.
        let spans = secret_spans(&a.config);
        let mut start = 0;
        for line in text.split('\n') {
            let masked = mask_line(line, start, &spans);
            for planted in want {
                assert!(!masked.contains(planted), "{masked}");
            }
            start += line.len() + 1;
        }
    }

    #[test]
    fn masks_spans_within_a_line() {
        let line = r#"  "KEY": "sk-abcdefghijklmnop", "X": "${env:X}""#;
        let start = 100;
        let s = line.find("sk-").unwrap();
        let masked = mask_line(line, start, &[Span::new(start + s, start + s + 19)]);
        assert_eq!(masked, r#"  "KEY": "sk-a…(19 chars)", "X": "${env:X}""#);
    }

    #[test]
    fn masks_the_spans_of_its_line_among_many_in_the_file() {
        let line = r#"{"A": "sk-abcdefghijklmnop", "B": "tok-0123456789ab"}"#;
        let start = 1000;
        let at = |needle: &str, len: usize| {
            let s = start + line.find(needle).unwrap();
            Span::new(s, s + len)
        };
        let mut spans: Vec<Span> = (0..500).map(|i| Span::new(i * 2, i * 2 + 1)).collect();
        spans.extend([at("sk-", 19), at("tok-", 16)]);
        spans.extend((0..500).map(|i| Span::new(2000 + i * 2, 2000 + i * 2 + 1)));
        assert_eq!(
            mask_line(line, start, &spans),
            r#"{"A": "sk-a…(19 chars)", "B": "tok-…(16 chars)"}"#
        );
    }
}
