//! Findings rendered for people (human), scripts (json), code scanning (sarif)
//! and GitHub Actions (github). Every position is computed from the same
//! `Document`, so all formats agree.

use crate::document::{Document, Position};
use crate::finding::{Finding, Span};
use crate::redact;
use crate::registry;
use crate::registry::Severity;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// One checked file and what was found in it.
pub struct FileReport {
    pub path: String,
    pub doc: Document,
    pub findings: Vec<Finding>,
    pub dialect: crate::Dialect,
    /// Spans whose text must not be shown (env and header values).
    pub secret_spans: Vec<Span>,
    /// Built from `secret_spans` on first use, once per file.
    masker: std::sync::OnceLock<redact::Masker>,
}

impl FileReport {
    /// The report of the file at `path` (as shown), read as `config`.
    pub fn new(
        path: String,
        doc: Document,
        findings: Vec<Finding>,
        config: &crate::config::Config,
    ) -> Self {
        FileReport {
            path,
            findings,
            dialect: config.dialect,
            secret_spans: redact::secret_spans(config),
            doc,
            masker: std::sync::OnceLock::new(),
        }
    }

    /// Free text with this file's secret values masked. Rules already
    /// redact what they say; this is the backstop for every format (a fix
    /// that moves a value, a message that quotes one).
    fn masked(&self, s: &str) -> String {
        self.masker
            .get_or_init(|| {
                redact::Masker::new(redact::span_secrets(self.doc.text(), &self.secret_spans))
            })
            .mask(s)
    }
}

fn position_json(p: Position) -> Value {
    json!({"line": p.line, "character": p.character})
}

pub fn range_json(doc: &Document, span: Span) -> Value {
    let (s, e) = doc.range_of(span);
    json!({"start": position_json(s), "end": position_json(e)})
}

/// A finding as design §6 specifies the JSON output.
pub fn finding_json(r: &FileReport, f: &Finding) -> Value {
    json!({
        "file": r.path,
        "range": range_json(&r.doc, f.span),
        "severity": f.severity.as_str(),
        "code": f.code(),
        "message": r.masked(&f.message),
        "server": f.server,
        "fixes": f.fixes.iter().map(|fix| json!({
            "title": r.masked(&fix.title),
            "edits": fix.edits.iter().map(|e| json!({"range": range_json(&r.doc, e.span), "newText": r.masked(&e.new_text)})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub fn json(reports: &[FileReport]) -> String {
    let all: Vec<Value> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| finding_json(r, f)))
        .collect();
    serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into())
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Information => "1;36",
            Severity::Hint => "1;32",
        };
        self.paint(code, sev.as_str())
    }
}

pub fn human(reports: &[FileReport], color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos, mut fixable) = (0, 0, 0, 0);
    for r in reports {
        for f in &r.findings {
            match f.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => infos += 1,
            }
            if f.fixes
                .iter()
                .any(|x| x.applicability == crate::finding::Applicability::Safe)
            {
                fixable += 1;
            }
            let (line, col) = r.doc.line_col(f.span.start);
            let _ = writeln!(
                out,
                "{}: {}{} {}",
                style.paint("1", &format!("{}:{line}:{col}", r.path)),
                style.severity(f.severity),
                style.paint("1", &format!("[{}]", f.code())),
                r.masked(&f.message)
            );
            snippet(&mut out, r, f.span, &style);
            for rel in &f.related {
                let (l, c) = r.doc.line_col(rel.span.start);
                let _ = writeln!(
                    out,
                    "   = note: {}:{l}:{c}: {}",
                    r.path,
                    r.masked(&rel.message)
                );
            }
            for fix in &f.fixes {
                let how = if fix.applicability == crate::finding::Applicability::Safe {
                    " (fixable with --fix)"
                } else {
                    ""
                };
                let _ = writeln!(out, "   = help: {}{how}", r.masked(&fix.title));
            }
            out.push('\n');
        }
    }
    let files = reports.len();
    let noun = if files == 1 { "file" } else { "files" };
    if errors + warnings + infos == 0 {
        let _ = writeln!(
            out,
            "{} {files} {noun} checked, no problems found.",
            style.paint("1;32", "✓")
        );
    } else {
        let _ = write!(
            out,
            "{} {}, {}, {} in {files} {noun}",
            style.paint("1", "Found"),
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(infos, "note")
        );
        if fixable > 0 {
            let _ = write!(out, " ({fixable} fixable with --fix)");
        }
        out.push_str(".\n");
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The source line under a finding with a caret underline (secrets masked).
fn snippet(out: &mut String, r: &FileReport, span: Span, style: &Style) {
    let (line, col) = r.doc.line_col(span.start);
    let (end_line, end_col) = r.doc.line_col(span.end);
    let text = r.doc.line_text(line - 1);
    let line_start = r.doc.offset_of(Position::new((line - 1) as u32, 0));
    let masked = redact::mask_line(&text, line_start, &r.secret_spans);
    if masked != text {
        // Column positions no longer match once a secret is masked: show the line without carets.
        let _ = writeln!(out, "{:>4} | {}", line, masked);
        return;
    }
    let shown: String = text.chars().take(200).collect();
    let width = if end_line == line {
        end_col.saturating_sub(col).max(1)
    } else {
        text.chars().count().saturating_sub(col - 1).max(1)
    };
    let _ = writeln!(out, "{:>4} | {}", line, shown);
    let pad: String = text
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(
        out,
        "     | {pad}{}",
        style.paint("1;31", &"^".repeat(width.min(200)))
    );
}

pub fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for f in &r.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            let (line, col) = r.doc.line_col(f.span.start);
            let (end_line, end_col) = r.doc.line_col(f.span.end);
            let _ = writeln!(
                out,
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_property(&r.path),
                escape_property(f.code()),
                escape_data(&r.masked(&f.message))
            );
        }
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn sarif(reports: &[FileReport]) -> String {
    let rules: Vec<Value> = registry::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.explanation},
                "helpUri": r.docs_url(),
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for f in &r.findings {
            let (s, e) = r.doc.range_of(f.span);
            let region = json!({
                "startLine": s.line + 1, "startColumn": s.character + 1,
                "endLine": e.line + 1, "endColumn": e.character + 1,
            });
            let index = registry::ALL.iter().position(|x| x.code == f.code());
            let mut result = json!({
                "ruleId": f.code(),
                "level": sarif_level(f.severity),
                "message": {"text": r.masked(&f.message)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": file_uri(&r.path)}, "region": region}}],
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            if !f.fixes.is_empty() {
                result["fixes"] = f
                    .fixes
                    .iter()
                    .map(|fix| {
                        json!({
                            "description": {"text": r.masked(&fix.title)},
                            "artifactChanges": [{
                                "artifactLocation": {"uri": file_uri(&r.path)},
                                "replacements": fix.edits.iter().map(|ed| {
                                    let (s, e) = r.doc.range_of(ed.span);
                                    json!({
                                        "deletedRegion": {"startLine": s.line + 1, "startColumn": s.character + 1, "endLine": e.line + 1, "endColumn": e.character + 1},
                                        "insertedContent": {"text": r.masked(&ed.new_text)},
                                    })
                                }).collect::<Vec<_>>(),
                            }],
                        })
                    })
                    .collect();
            }
            results.push(result);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mcp-config-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/mcp-config-lsp/mcp-config-lsp",
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "note",
    }
}

/// Relative paths stay relative (SARIF resolves them against the repository root).
fn file_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let encoded: String = p
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    if p.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}
