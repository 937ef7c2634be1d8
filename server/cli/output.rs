//! Findings rendered for people (human), scripts (json), code scanning (sarif)
//! and GitHub Actions (github). Every position is computed from the same
//! `Document`, so all formats agree.

use super::args::Format;
use crate::document::{Document, Position, floor_char_boundary};
use crate::finding::{Finding, Span};
use crate::redact;
use crate::registry;
use crate::registry::Severity;
use serde::Serialize;
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
        let secrets = redact::secret_spans(config);
        Self::with_secrets(path, doc, findings, config.dialect, secrets)
    }

    /// The same, with `redact::secret_spans` of its config found already.
    pub fn with_secrets(
        path: String,
        doc: Document,
        findings: Vec<Finding>,
        dialect: crate::Dialect,
        secret_spans: Vec<Span>,
    ) -> Self {
        FileReport {
            path,
            findings,
            dialect,
            secret_spans,
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

/// The JSON output's shapes, serialised straight to text (no `Value` tree
/// in between); fields in alphabetical order, as the output has always had them.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    code: &'a str,
    file: &'a str,
    fixes: Vec<FixJson>,
    message: String,
    range: RangeJson,
    server: Option<&'a str>,
    severity: &'static str,
}

#[derive(Serialize)]
struct FixJson {
    edits: Vec<EditJson>,
    title: String,
}

#[derive(Serialize)]
struct EditJson {
    #[serde(rename = "newText")]
    new_text: String,
    range: RangeJson,
}

#[derive(Serialize)]
pub struct RangeJson {
    end: PositionJson,
    start: PositionJson,
}

#[derive(Serialize)]
struct PositionJson {
    character: u32,
    line: u32,
}

impl From<Position> for PositionJson {
    fn from(p: Position) -> Self {
        PositionJson {
            character: p.character,
            line: p.line,
        }
    }
}

pub fn range_json(doc: &Document, span: Span) -> RangeJson {
    let (s, e) = doc.range_of(span);
    RangeJson {
        end: e.into(),
        start: s.into(),
    }
}

/// A finding as design §6 specifies the JSON output.
pub fn finding_json<'a>(r: &'a FileReport, f: &'a Finding) -> FindingJson<'a> {
    FindingJson {
        code: f.code(),
        file: &r.path,
        fixes: f
            .fixes
            .iter()
            .map(|fix| FixJson {
                edits: fix
                    .edits
                    .iter()
                    .map(|e| EditJson {
                        new_text: r.masked(&e.new_text),
                        range: range_json(&r.doc, e.span),
                    })
                    .collect(),
                title: r.masked(&fix.title),
            })
            .collect(),
        message: r.masked(&f.message),
        range: range_json(&r.doc, f.span),
        server: f.server.as_deref(),
        severity: f.severity.as_str(),
    }
}

pub fn json(reports: &[FileReport]) -> String {
    render_all(Format::Json, reports, false)
}

/// What one file adds to the output: findings counted, and its text, in
/// pieces written one after the other: lines for the line formats; for json
/// and sarif, elements of the list (pretty-printed at their depth), each
/// after `,\n`, which the first element of the whole list goes without.
/// Made on any thread, written in the files' order by `Output`.
#[derive(Default)]
pub struct Part {
    pub tally: Tally,
    pieces: Vec<String>,
    items: usize,
}

#[derive(Clone, Copy, Default)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

/// The part of one checked file in `format`.
pub fn part(format: Format, r: &FileReport, color: bool) -> Part {
    let mut part = Part::default();
    for f in &r.findings {
        match f.severity {
            Severity::Error => part.tally.errors += 1,
            Severity::Warning => part.tally.warnings += 1,
            _ => part.tally.infos += 1,
        }
        if f.fixes
            .iter()
            .any(|x| x.applicability == crate::finding::Applicability::Safe)
        {
            part.tally.fixable += 1;
        }
    }
    let style = Style { color };
    let uri = file_uri(&r.path);
    part.pieces = rendered(&r.findings, format, |out, f| match format {
        Format::Human => human_finding(out, r, f, &style),
        Format::Github => github_finding(out, r, f),
        Format::Json => out.push_str(&pretty_at(&finding_json(r, f), 1)),
        Format::Sarif => out.push_str(&pretty_at(&sarif_result(r, f, &uri), 4)),
    });
    part.items = match format {
        Format::Json | Format::Sarif => r.findings.len(),
        Format::Human | Format::Github => 0,
    };
    part
}

/// Findings a thread renders at least: fewer are not worth starting one.
const RENDER_CHUNK: usize = 1000;

/// Each finding rendered by `render` (in json and sarif, an element of the
/// list, after `,\n`), in pieces of the findings' order. A file with
/// thousands of findings is rendered on several cores, a run of findings
/// each (checking one large file leaves the others idle).
fn rendered(
    findings: &[Finding],
    format: Format,
    render: impl Fn(&mut String, &Finding) + Sync,
) -> Vec<String> {
    let separator = match format {
        Format::Json | Format::Sarif => ",\n",
        Format::Human | Format::Github => "",
    };
    let run = |findings: &[Finding]| {
        let mut text = String::new();
        for (i, f) in findings.iter().enumerate() {
            text.push_str(separator);
            render(&mut text, f);
            if i == 0 {
                // Room for as many more of this size and half as much again
                // (one with fixes is longer): megabytes grown by doubling are
                // copied over and over (a fifth of a SARIF run). Room never
                // written costs no memory.
                text.reserve(text.len() * findings.len() * 3 / 2);
            }
        }
        text
    };
    if findings.len() < 2 * RENDER_CHUNK {
        return vec![run(findings)];
    }
    // Asked only now: on Linux it reads the cgroup's CPU quota from files.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = cores.min(findings.len() / RENDER_CHUNK).max(1);
    let size = findings.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = findings
            .chunks(size)
            .map(|chunk| s.spawn(|| run(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// `value` pretty-printed as an element `depth` levels deep in a
/// pretty-printed document (two spaces a level, as serde_json indents),
/// written at that depth as it is serialised.
fn pretty_at(value: &impl Serialize, depth: usize) -> String {
    let mut out = Vec::with_capacity(1024);
    out.extend(std::iter::repeat_n(b' ', 2 * depth));
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Indented::at(depth));
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's `PrettyFormatter` (two spaces a level), starting `depth`
/// levels in: the same text as indenting its output line by line, without
/// writing everything twice.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn at(depth: usize) -> Self {
        Indented {
            depth,
            has_value: false,
        }
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(bracket)
    }

    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        (0..self.depth).try_for_each(|_| w.write_all(b"  "))
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The whole output, written a file's part at a time: `head`, then `push`
/// for each part in the files' order, then `tail`.
pub struct Output {
    format: Format,
    color: bool,
    tally: Tally,
    files: usize,
    items: usize,
}

impl Output {
    pub fn new(format: Format, color: bool) -> Self {
        Output {
            format,
            color,
            tally: Tally::default(),
            files: 0,
            items: 0,
        }
    }

    /// What every finding of the parts so far adds up to.
    pub fn tally(&self) -> Tally {
        self.tally
    }

    pub fn head(&self) -> String {
        match self.format {
            Format::Json => "[".into(),
            Format::Sarif => sarif_frame().0,
            Format::Human | Format::Github => String::new(),
        }
    }

    /// Hands `part`'s text to `write` (without the first separator when
    /// its first item is the first of the whole list).
    pub fn push(&mut self, part: Part, mut write: impl FnMut(&str)) {
        self.files += 1;
        let t = &mut self.tally;
        t.errors += part.tally.errors;
        t.warnings += part.tally.warnings;
        t.infos += part.tally.infos;
        t.fixable += part.tally.fixable;
        let mut first = self.items == 0 && part.items > 0;
        for piece in &part.pieces {
            match piece.strip_prefix(',') {
                Some(rest) if first => write(rest),
                _ => write(piece),
            }
            first &= piece.is_empty();
        }
        self.items += part.items;
    }

    pub fn tail(&self) -> String {
        let close = |depth: usize| {
            if self.items == 0 {
                "]".to_string()
            } else {
                format!("\n{}]", "  ".repeat(depth))
            }
        };
        match self.format {
            Format::Json => close(0) + "\n",
            Format::Sarif => close(3) + &sarif_frame().1 + "\n",
            Format::Human => human_summary(self.tally, self.files, &Style { color: self.color }),
            Format::Github => String::new(),
        }
    }
}

/// Every part of `reports`, in one string.
fn render_all(format: Format, reports: &[FileReport], color: bool) -> String {
    let mut output = Output::new(format, color);
    let mut out = output.head();
    for r in reports {
        output.push(part(format, r, color), |s| out.push_str(s));
    }
    out.push_str(&output.tail());
    // The whole document, as it always was, without the final line break.
    if matches!(format, Format::Json | Format::Sarif) {
        out.pop();
    }
    out
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
    render_all(Format::Human, reports, color)
}

fn human_finding(out: &mut String, r: &FileReport, f: &Finding, style: &Style) {
    let (line, col) = r.doc.line_col(f.span.start);
    let _ = writeln!(
        out,
        "{}: {}{} {}",
        style.paint("1", &format!("{}:{line}:{col}", r.path)),
        style.severity(f.severity),
        style.paint("1", &format!("[{}]", f.code())),
        r.masked(&f.message)
    );
    snippet(out, r, f.span, style);
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

fn human_summary(t: Tally, files: usize, style: &Style) -> String {
    let mut out = String::new();
    let noun = if files == 1 { "file" } else { "files" };
    if t.errors + t.warnings + t.infos == 0 {
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
            plural(t.errors, "error"),
            plural(t.warnings, "warning"),
            plural(t.infos, "note")
        );
        if t.fixable > 0 {
            let _ = write!(out, " ({} fixable with --fix)", t.fixable);
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

/// How many characters of a source line a snippet shows, and how many of
/// them come before the finding when the line is longer (a minified file is
/// one long line, its findings far into it).
const SNIPPET_CHARS: usize = 200;
const SNIPPET_BEFORE: usize = 60;

/// The source line under a finding with a caret underline (secrets masked);
/// of a long line, the stretch around the finding, cut with `…`.
fn snippet(out: &mut String, r: &FileReport, span: Span, style: &Style) {
    let (line, col) = r.doc.line_col(span.start);
    let (end_line, end_col) = r.doc.line_col(span.end);
    let full = r.doc.line_text(line - 1);
    let line_start = r.doc.offset_of(Position::new((line - 1) as u32, 0));
    let at = floor_char_boundary(full, span.start.saturating_sub(line_start));
    let (from, to) = if full.chars().nth(SNIPPET_CHARS).is_none() {
        (0, full.len())
    } else {
        let from = full[..at]
            .char_indices()
            .rev()
            .take(SNIPPET_BEFORE)
            .last()
            .map_or(at, |(i, _)| i);
        let to = full[from..]
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(full.len(), |(i, _)| from + i);
        // A secret is masked whole or not shown: never a stretch of its middle.
        let (first, last) = (line_start + from, line_start + to);
        let secret_at = |at: usize| {
            let spans = &r.secret_spans; // in text order, not overlapping
            spans
                .get(spans.partition_point(|s| s.end <= at))
                .filter(|s| s.start < at)
        };
        let first = secret_at(first).map_or(first, |s| s.start.max(line_start));
        let last = secret_at(last).map_or(last, |s| s.end.min(line_start + full.len()));
        (first - line_start, last - line_start)
    };
    let text = &full[from..to];
    let (before, after) = (
        if from > 0 { "…" } else { "" },
        if to < full.len() { "…" } else { "" },
    );
    let masked = redact::mask_line(text, line_start + from, &r.secret_spans);
    if masked != text {
        // Column positions no longer match once a secret is masked: show the line without carets.
        let _ = writeln!(out, "{:>4} | {before}{masked}{after}", line);
        return;
    }
    let width = if end_line == line {
        end_col.saturating_sub(col).max(1)
    } else {
        text[at - from..].chars().count().max(1)
    };
    let _ = writeln!(out, "{:>4} | {before}{text}{after}", line);
    let pad: String = before
        .chars()
        .chain(text[..at - from].chars())
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(
        out,
        "     | {pad}{}",
        style.paint("1;31", &"^".repeat(width.min(SNIPPET_CHARS)))
    );
}

pub fn github(reports: &[FileReport]) -> String {
    render_all(Format::Github, reports, false)
}

fn github_finding(out: &mut String, r: &FileReport, f: &Finding) {
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

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn sarif(reports: &[FileReport]) -> String {
    render_all(Format::Sarif, reports, false)
}

/// The SARIF document around its results: the text before the first
/// result and after the last (its results are streamed in between).
fn sarif_frame() -> (String, String) {
    const EMPTY: &str = "\"results\": []";
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
            "results": [],
        }],
    });
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    // Escaped quotes in the rules' texts cannot spell the empty list's key.
    let at = text.find(EMPTY).map_or(text.len(), |i| i + EMPTY.len() - 1);
    (
        text[..at].to_string(),
        text[at..].trim_start_matches(']').to_string(),
    )
}

/// A SARIF result, serialised straight to text; fields in alphabetical
/// order, as the output has always had them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    level: &'static str,
    locations: [SarifLocation<'a>; 1],
    message: SarifText,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

#[derive(Serialize)]
struct SarifText {
    text: String,
}

#[derive(Serialize)]
struct SarifUri<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: SarifPhysical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical<'a> {
    artifact_location: SarifUri<'a>,
    region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    end_column: u32,
    end_line: u32,
    start_column: u32,
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    artifact_changes: [SarifChange<'a>; 1],
    description: SarifText,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifChange<'a> {
    artifact_location: SarifUri<'a>,
    replacements: Vec<SarifReplacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifReplacement {
    deleted_region: SarifRegion,
    inserted_content: SarifText,
}

/// SARIF counts lines and columns from 1 (columns in UTF-16 units, as the
/// run's `columnKind` says).
fn sarif_region(doc: &Document, span: Span) -> SarifRegion {
    let (s, e) = doc.range_of(span);
    SarifRegion {
        end_column: e.character + 1,
        end_line: e.line + 1,
        start_column: s.character + 1,
        start_line: s.line + 1,
    }
}

/// `uri` is the file's (`file_uri`), made once for all its results.
fn sarif_result<'a>(r: &'a FileReport, f: &'a Finding, uri: &'a str) -> SarifResult<'a> {
    let uri = || SarifUri { uri };
    SarifResult {
        fixes: f
            .fixes
            .iter()
            .map(|fix| SarifFix {
                artifact_changes: [SarifChange {
                    artifact_location: uri(),
                    replacements: fix
                        .edits
                        .iter()
                        .map(|ed| SarifReplacement {
                            deleted_region: sarif_region(&r.doc, ed.span),
                            inserted_content: SarifText {
                                text: r.masked(&ed.new_text),
                            },
                        })
                        .collect(),
                }],
                description: SarifText {
                    text: r.masked(&fix.title),
                },
            })
            .collect(),
        level: sarif_level(f.severity),
        locations: [SarifLocation {
            physical_location: SarifPhysical {
                artifact_location: uri(),
                region: sarif_region(&r.doc, f.span),
            },
        }],
        message: SarifText {
            text: r.masked(&f.message),
        },
        rule_id: f.code(),
        rule_index: registry::ALL.iter().position(|x| std::ptr::eq(*x, f.rule)),
    }
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
    let mut encoded = String::with_capacity(p.len() + 8);
    if p.starts_with('/') {
        encoded.push_str("file://");
    }
    for c in p.chars() {
        match c {
            ' ' => encoded.push_str("%20"),
            '#' => encoded.push_str("%23"),
            '?' => encoded.push_str("%3F"),
            '%' => encoded.push_str("%25"),
            c => encoded.push(c),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_at_a_depth_is_indenting_serde_json_s_pretty_output() {
        let value = json!({
            "a": [], "b": {}, "c": [1, {"d": [[], [2]], "e": "x\ny"}],
            "f": {"g": {"h": null}}, "i": "\"quoted\" ünï😀",
        });
        for depth in [0, 1, 4] {
            let pad = "  ".repeat(depth);
            let expected: Vec<String> = serde_json::to_string_pretty(&value)
                .unwrap()
                .lines()
                .map(|line| format!("{pad}{line}"))
                .collect();
            assert_eq!(pretty_at(&value, depth), expected.join("\n"));
        }
    }
}
