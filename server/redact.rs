//! Secrets never leave the process whole: env and header values are shown as
//! their first 4 characters and their length.

use crate::config::Config;
use crate::finding::Span;

/// `ghp_abcdef...` → `ghp_…(40 chars)`: the first 4 characters, only for
/// values of 8 or more (a shorter secret would be mostly revealed), and the length.
/// Free text is masked with `launch::mask::Masker`.
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    if n >= 8 {
        let head: String = value.chars().take(4).collect();
        format!("{head}…({n} chars)")
    } else {
        format!("…({n} chars)")
    }
}

/// Spans of values that may hold secrets: every env and header value, and
/// `--token`-style arguments. Used to mask source lines in terminal output.
pub fn secret_spans(config: &Config) -> Vec<Span> {
    let mut spans = Vec::new();
    for s in &config.servers {
        for m in s.env().iter().chain(s.headers()) {
            if m.value.as_str().is_some_and(|v| !is_reference(v)) {
                spans.push(m.value.span.inner());
            }
        }
    }
    spans
}

/// Literal values of every env and header entry, for masking free text (launch evidence).
pub fn secret_values(config: &Config) -> Vec<String> {
    let mut v = Vec::new();
    for s in &config.servers {
        for m in s.env().iter().chain(s.headers()) {
            if let Some(x) = m
                .value
                .as_str()
                .filter(|x| !is_reference(x) && x.len() >= 4)
            {
                v.push(x.to_string());
            }
        }
    }
    v
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

/// A source line with the parts inside `spans` masked. `line_start` is the
/// byte offset of the line in the document.
pub fn mask_line(line: &str, line_start: usize, spans: &[Span]) -> String {
    let line_end = line_start + line.len();
    let mut out = String::new();
    let mut pos = line_start;
    let mut relevant: Vec<&Span> = spans
        .iter()
        .filter(|s| s.start < line_end && s.end > line_start)
        .collect();
    relevant.sort_by_key(|s| s.start);
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
    fn masks_spans_within_a_line() {
        let line = r#"  "KEY": "sk-abcdefghijklmnop", "X": "${env:X}""#;
        let start = 100;
        let s = line.find("sk-").unwrap();
        let masked = mask_line(line, start, &[Span::new(start + s, start + s + 19)]);
        assert_eq!(masked, r#"  "KEY": "sk-a…(19 chars)", "X": "${env:X}""#);
    }
}
