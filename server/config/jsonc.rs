//! The JSONC reader: text → `Node` tree, tolerant of what people type.
//!
//! jsonc-parser is lenient on purpose (comments, trailing commas, missing commas,
//! single quotes...): which of those a client accepts is a rule, not a parse
//! failure, so a walk over its tree reports each leniency as a `SyntaxIssue`. A hard
//! error (half-typed value, unterminated string) is repaired in a copy of the
//! text of the same length, so that everything else in the file still yields a
//! model with correct spans while the user is mid-keystroke.

use super::tree::{IssueKind, Member, Node, NodeKind, Parsed, SyntaxIssue};
use crate::finding::Span;
use jsonc_parser::ParseStringErrorKind;
use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, ParseOptions};

/// Deep nesting is refused before it can exhaust the stack of any recursive walk.
pub const MAX_DEPTH: usize = 128;
const MAX_REPAIRS: usize = 16;

fn options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: true,
        allow_trailing_commas: true,
        allow_missing_commas: true,
        allow_single_quoted_strings: true,
        allow_hexadecimal_numbers: true,
        allow_unary_plus_numbers: true,
        allow_bare_decimal_point_numbers: true,
        allow_non_finite_numbers: true,
        allow_extended_string_escapes: false,
    }
}

/// jsonc-parser with every leniency on, then one walk over its tree that
/// builds ours and reports each leniency; hard errors go to the repair loop.
pub fn parse(text: &str) -> Parsed {
    let mut issues = Vec::new();
    let mut repaired: Option<String> = None;
    // Windows editors save a BOM that jsonc-parser refuses and `JSON.parse`
    // too: report it, and read the rest as if it were white space.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        issues.push(SyntaxIssue {
            kind: IssueKind::Bom,
            span: Span::new(0, 3),
            message: "a byte order mark (BOM) at the start, which `JSON.parse` refuses".into(),
        });
        repaired = Some(format!("   {rest}"));
    }
    for _ in 0..MAX_REPAIRS {
        let current = repaired.as_deref().unwrap_or(text);
        match jsonc_parser::parse_to_ast(current, &CollectOptions::default(), &options()) {
            Ok(result) => {
                let mut walk = Walk {
                    text: current,
                    issues: &mut issues,
                };
                let mut root = match result.value {
                    Some(value) => {
                        let range = value.range();
                        walk.trivia(0, range.start);
                        walk.trivia(range.end, current.len());
                        walk.value(value, 0)
                    }
                    None => {
                        walk.trivia(0, current.len());
                        None
                    }
                };
                if repaired.is_some() {
                    // Repairs may have appended closers: keep every span inside the real text.
                    if let Some(r) = &mut root {
                        clamp_tree(r, text);
                    }
                }
                return settle(root, issues, text);
            }
            Err(err) => {
                let span = Span::new(err.range().start, err.range().end.max(err.range().start));
                let (issue, next) = describe_and_repair(current, span, err.kind());
                let stuck = repaired.as_deref() == Some(next.as_str());
                issues.push(issue);
                if stuck {
                    break;
                }
                repaired = Some(next);
            }
        }
    }
    settle(None, issues, text)
}

/// Issues found in a repaired copy point into the real text, in text order,
/// once each; the comments among them are the file's trivia.
fn settle(root: Option<Node>, mut issues: Vec<SyntaxIssue>, text: &str) -> Parsed {
    for i in issues.iter_mut() {
        i.span = clamp_span(i.span, text);
    }
    issues.sort_by_key(|i| (i.span.start, i.span.end));
    issues.dedup();
    let comments = issues
        .iter()
        .filter(|i| i.kind == IssueKind::Comment)
        .map(|i| i.span)
        .collect();
    Parsed {
        root,
        issues,
        comments,
    }
}

/// Builds our tree from jsonc-parser's, taking its strings without copying
/// them again, and reports what a strict parser would have refused: a
/// literal's first byte tells its quotes, a number's text its form, and the
/// space between two siblings (white space, comments, punctuation only, since
/// the parser accepted it) whether a comma is missing or trailing.
struct Walk<'t, 'i> {
    text: &'t str,
    issues: &'i mut Vec<SyntaxIssue>,
}

impl Walk<'_, '_> {
    fn value(&mut self, value: ast::Value<'_>, depth: usize) -> Option<Node> {
        let span = span_of(value.range());
        if depth > MAX_DEPTH {
            self.issues.push(SyntaxIssue {
                kind: IssueKind::Invalid,
                span: Span::new(span.start, span.start + 1),
                message: format!(
                    "nesting deeper than {MAX_DEPTH} levels; the rest of this value is not analysed"
                ),
            });
            return None;
        }
        let kind = match value {
            ast::Value::StringLit(s) => {
                self.string_literal(span);
                NodeKind::String(s.value.into_owned())
            }
            ast::Value::NumberLit(n) => {
                if !is_json_number(n.value) {
                    self.push(non_standard(
                        span,
                        &format!("`{}` is not a JSON number", n.value),
                    ));
                }
                NodeKind::Number(n.value.to_string())
            }
            ast::Value::BooleanLit(b) => NodeKind::Bool(b.value),
            ast::Value::NullKeyword(_) => NodeKind::Null,
            ast::Value::Array(a) => {
                let mut elements = Vec::with_capacity(a.elements.len());
                let mut after = span.start + 1;
                for (i, element) in a.elements.into_iter().enumerate() {
                    let range = element.range();
                    self.separator(after, range.start, i > 0);
                    after = range.end;
                    elements.extend(self.value(element, depth + 1));
                }
                self.closer(after, span.end.saturating_sub(1));
                NodeKind::Array(elements)
            }
            ast::Value::Object(o) => {
                let mut members = Vec::with_capacity(o.properties.len());
                let mut after = span.start + 1;
                for (i, prop) in o.properties.into_iter().enumerate() {
                    let (key, key_span) = match prop.name {
                        ObjectPropName::String(s) => {
                            let key_span = span_of(s.range);
                            self.string_literal(key_span);
                            (s.value.into_owned(), key_span)
                        }
                        ObjectPropName::Word(w) => {
                            let key_span = span_of(w.range);
                            self.push(non_standard(
                                key_span,
                                &format!(
                                    "unquoted key `{}`: JSON keys must be in double quotes",
                                    w.value
                                ),
                            ));
                            (w.value.to_string(), key_span)
                        }
                    };
                    self.separator(after, key_span.start, i > 0);
                    let range = prop.value.range();
                    self.trivia(key_span.end, range.start);
                    after = range.end;
                    if let Some(value) = self.value(prop.value, depth + 1) {
                        members.push(Member {
                            key,
                            key_span,
                            value,
                        });
                    }
                }
                self.closer(after, span.end.saturating_sub(1));
                NodeKind::Object(members)
            }
        };
        Some(Node { span, kind })
    }

    fn push(&mut self, issue: SyntaxIssue) {
        self.issues.push(issue);
    }

    /// What strict JSON refuses in a string literal that jsonc-parser took:
    /// single quotes, and raw control characters (a line break typed inside).
    fn string_literal(&mut self, span: Span) {
        let raw = self
            .text
            .as_bytes()
            .get(span.start..span.end)
            .unwrap_or_default();
        if raw.first() == Some(&b'\'') {
            self.push(non_standard(
                span,
                "single-quoted string: JSON strings use double quotes",
            ));
        }
        if let Some(at) = raw.iter().position(|&b| b < 0x20) {
            let what = match raw[at] {
                b'\n' | b'\r' => "a line break",
                b'\t' => "a tab",
                _ => "a control character",
            };
            self.push(non_standard(
                Span::new(span.start + at, span.start + at + 1),
                &format!("{what} inside a string: JSON needs it written as an escape (`\\n`, `\\t`, `\\u0000`)"),
            ));
        }
    }

    /// Between two siblings (`needed`) or before the first.
    fn separator(&mut self, from: usize, to: usize, needed: bool) {
        if self.trivia(from, to).is_none() && needed {
            self.push(non_standard(
                Span::empty(from),
                "missing comma between values",
            ));
        }
    }

    /// Between the last child and the closing bracket.
    fn closer(&mut self, from: usize, to: usize) {
        if let Some(comma) = self.trivia(from, to) {
            self.push(SyntaxIssue {
                kind: IssueKind::TrailingComma,
                span: Span::new(comma, comma + 1),
                message: "trailing comma".into(),
            });
        }
    }

    /// Report the comments in `from..to`, which holds only what the parser
    /// skips between tokens, and return where its first comma is.
    fn trivia(&mut self, from: usize, to: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let to = to.min(bytes.len());
        let mut comma = None;
        let mut i = from;
        while i < to {
            match (bytes[i], bytes.get(i + 1)) {
                (b',', _) => {
                    comma = comma.or(Some(i));
                    i += 1;
                }
                (b'/', Some(b'/')) => {
                    let end = bytes[i..to]
                        .iter()
                        .position(|&b| b == b'\n' || b == b'\r')
                        .map_or(to, |n| i + n);
                    self.push(comment(i, end));
                    i = end;
                }
                (b'/', Some(b'*')) => {
                    let end = self
                        .text
                        .get(i + 2..to)
                        .and_then(|rest| rest.find("*/"))
                        .map_or(to, |n| i + 2 + n + 2);
                    self.push(comment(i, end));
                    i = end;
                }
                (b' ' | b'\t' | b'\n' | b'\r' | b':', _) => i += 1,
                _ => {
                    // Some other space jsonc-parser skips: a no-break space...
                    let c = self.text.get(i..).and_then(|t| t.chars().next());
                    let len = c.map_or(1, char::len_utf8);
                    let message = match c {
                        Some(c) => format!(
                            "U+{:04X} is not JSON white space (only space, tab and line breaks are)",
                            u32::from(c)
                        ),
                        None => "not JSON white space".to_string(),
                    };
                    self.push(non_standard(Span::new(i, i + len), &message));
                    i += len;
                }
            }
        }
        comma
    }
}

fn comment(start: usize, end: usize) -> SyntaxIssue {
    SyntaxIssue {
        kind: IssueKind::Comment,
        span: Span::new(start, end),
        message: "comment".into(),
    }
}

fn clamp_span(span: Span, text: &str) -> Span {
    let end = crate::document::floor_char_boundary(text, span.end);
    Span::new(
        crate::document::floor_char_boundary(text, span.start).min(end),
        end,
    )
}

fn clamp_tree(node: &mut Node, text: &str) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        n.span = clamp_span(n.span, text);
        match &mut n.kind {
            NodeKind::Object(members) => {
                for m in members {
                    m.key_span = clamp_span(m.key_span, text);
                    stack.push(&mut m.value);
                }
            }
            NodeKind::Array(elements) => stack.extend(elements.iter_mut()),
            _ => {}
        }
    }
}

fn span_of(r: jsonc_parser::common::Range) -> Span {
    Span::new(r.start, r.end)
}

fn non_standard(span: Span, message: &str) -> SyntaxIssue {
    SyntaxIssue {
        kind: IssueKind::NonStandard,
        span,
        message: message.to_string(),
    }
}

fn is_json_number(n: &str) -> bool {
    let digits = n.strip_prefix('-').unwrap_or(n);
    let mut chars = digits.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_ascii_digit()
        || (first == '0' && digits.len() > 1 && digits.as_bytes()[1].is_ascii_digit())
    {
        return false;
    }
    !digits.ends_with('.')
        && !digits.contains(".e")
        && !digits.contains(".E")
        && !digits.to_ascii_lowercase().starts_with("0x")
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

/// Describe a hard parse error and return the text repaired around it, with
/// every byte offset preserved (repairs only overwrite with spaces or `/`, or append).
fn describe_and_repair(text: &str, span: Span, kind: &ParseErrorKind) -> (SyntaxIssue, String) {
    let mut bytes = text.as_bytes().to_vec();
    let structure = Structure::scan(text, span.start);
    let message = describe(kind);
    let issue_span = if span.is_empty() {
        Span::new(span.start, (span.start + 1).min(text.len()))
    } else {
        span
    };

    // `# comment` where a token was expected: blank it to the end of its
    // line, so the rest of the file is read as if it were not there.
    if text.as_bytes().get(span.start) == Some(&b'#') {
        let rest = &text[span.start..];
        let end = span.start + rest.find('\n').unwrap_or(rest.len());
        let end = span.start + text[span.start..end].trim_end().len();
        let comment = Span::new(span.start, end);
        blank(&mut bytes, comment);
        if let Ok(repaired) = String::from_utf8(bytes.clone()) {
            return (
                SyntaxIssue {
                    kind: IssueKind::HashComment,
                    span: comment,
                    message: "a `#` comment, which JSON does not have".into(),
                },
                repaired,
            );
        }
    }
    let issue = match kind {
        ParseErrorKind::String(ParseStringErrorKind::InvalidEscape)
        | ParseErrorKind::String(ParseStringErrorKind::InvalidEscapeInDoubleQuoteString)
        | ParseErrorKind::String(ParseStringErrorKind::ExpectedFourHexDigits)
        | ParseErrorKind::String(ParseStringErrorKind::ExpectedTwoHexDigits)
        | ParseErrorKind::String(ParseStringErrorKind::InvalidUnicodeEscapeSequence(_)) => {
            // The backslash is at or just before the reported range.
            let backslash = text[..=span.start.min(text.len().saturating_sub(1))].rfind('\\');
            if let Some(b) = backslash {
                bytes[b] = b'/';
            }
            let string = string_literal_around(text, backslash.unwrap_or(span.start));
            let at = backslash.map_or(issue_span, |b| Span::new(b, (b + 2).min(text.len())));
            SyntaxIssue {
                kind: IssueKind::InvalidEscape { string },
                span: at,
                message,
            }
        }
        ParseErrorKind::UnterminatedObject | ParseErrorKind::UnterminatedArray => {
            // Reported at the opening bracket: close everything still open at the end.
            let whole = Structure::scan(text, text.len());
            bytes.extend(whole.open_at_end.iter().rev());
            SyntaxIssue {
                kind: IssueKind::Invalid,
                span: issue_span,
                message,
            }
        }
        ParseErrorKind::UnterminatedCommentBlock => {
            bytes.extend_from_slice(b"*/");
            SyntaxIssue {
                kind: IssueKind::Invalid,
                span: issue_span,
                message,
            }
        }
        ParseErrorKind::MultipleRootJsonValues => {
            blank(&mut bytes, Span::new(span.start, text.len()));
            SyntaxIssue {
                kind: IssueKind::Invalid,
                span: Span::new(span.start, text.len()),
                message,
            }
        }
        _ => {
            repair_structure(&mut bytes, text, span, &structure);
            SyntaxIssue {
                kind: IssueKind::Invalid,
                span: issue_span,
                message,
            }
        }
    };
    // Repairs write ASCII over whole ASCII runs or append, so this is still UTF-8;
    // should that ever fail, fall back to blanking everything after the cut.
    let repaired = String::from_utf8(bytes).unwrap_or_else(|_| {
        let mut s = text[..structure.cut].to_string();
        s.push_str(&structure.closers());
        s
    });
    (issue, repaired)
}

/// What the tokens before the error tell us: the last place where the text
/// could end validly (after `{`, `[` or `,`) and which containers are open there.
struct Structure {
    cut: usize,
    open_at_cut: Vec<u8>,
    open_at_end: Vec<u8>,
}

impl Structure {
    fn scan(text: &str, until: usize) -> Structure {
        let opts = jsonc_parser::ScannerOptions::default();
        let mut scanner = jsonc_parser::Scanner::new(text, &opts);
        let mut stack: Vec<u8> = Vec::new();
        let mut result = Structure {
            cut: 0,
            open_at_cut: Vec::new(),
            open_at_end: Vec::new(),
        };
        while let Ok(Some(token)) = scanner.scan() {
            if scanner.token_start() >= until {
                break;
            }
            match token {
                Token::OpenBrace => stack.push(b'}'),
                Token::OpenBracket => stack.push(b']'),
                Token::CloseBrace | Token::CloseBracket => {
                    stack.pop();
                }
                _ => {}
            }
            if matches!(token, Token::OpenBrace | Token::OpenBracket | Token::Comma) {
                result.cut = scanner.token_end();
                result.open_at_cut = stack.clone();
            }
        }
        result.open_at_end = stack;
        result
    }

    fn closers(&self) -> String {
        self.open_at_cut.iter().rev().map(|&b| b as char).collect()
    }
}

/// Blank out the broken piece between the last safe cut and the error, keeping
/// what follows; at the end of the text, close the open containers instead.
fn repair_structure(bytes: &mut Vec<u8>, text: &str, err: Span, s: &Structure) {
    let at_end = text[err.start.min(text.len())..].trim().is_empty();
    let error_token = text.as_bytes().get(err.start).copied();
    if at_end || s.cut == 0 && err.start == 0 {
        blank(bytes, Span::new(s.cut, text.len()));
        bytes.extend_from_slice(s.closers().as_bytes());
        return;
    }
    if matches!(error_token, Some(b'}' | b']')) && err.start > s.cut {
        // `"key": }`: drop the half-written member, keep the closer.
        blank(bytes, Span::new(s.cut, err.start));
        return;
    }
    // Otherwise drop from the cut to the end of the error's line (half-typed
    // strings and words live there), but never past a closer we would need.
    let line_end = text[err.end.min(text.len())..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| err.end + i);
    let mut end = line_end.max(err.end);
    if let Some(closer) = text[err.start.min(end)..end].find(['}', ']']) {
        end = err.start + closer;
        if end == err.start {
            end = err.end.max(err.start + 1);
        }
    }
    blank(bytes, Span::new(s.cut, end.min(text.len())));
}

/// Overwrite with spaces, keeping line breaks (so line numbers stay) and
/// whole characters (so the text stays UTF-8).
fn blank(bytes: &mut [u8], span: Span) {
    let end = span.end.min(bytes.len());
    for b in &mut bytes[span.start.min(end)..end] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

fn string_literal_around(text: &str, at: usize) -> Span {
    let bytes = text.as_bytes();
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    // The opening quote: the last unescaped `"` before `at` on this line.
    let start = (line_start..at)
        .rev()
        .find(|&i| bytes[i] == b'"' && !escaped(bytes, i))
        .unwrap_or(at);
    let end = (at + 1..text.len())
        .take_while(|&i| bytes[i] != b'\n')
        .find(|&i| bytes[i] == b'"' && !escaped(bytes, i))
        .map_or(at, |i| i + 1);
    Span::new(start, end)
}

fn escaped(bytes: &[u8], i: usize) -> bool {
    let mut n = 0;
    let mut j = i;
    while j > 0 && bytes[j - 1] == b'\\' {
        n += 1;
        j -= 1;
    }
    n % 2 == 1
}

fn describe(kind: &ParseErrorKind) -> String {
    use ParseErrorKind::*;
    match kind {
        ExpectedColonAfterObjectKey => "expected `:` after the key".into(),
        ExpectedObjectValue => "expected a value here".into(),
        ExpectedStringObjectProperty => "expected a key in double quotes".into(),
        ExpectedComma => "expected `,` between values".into(),
        MultipleRootJsonValues => {
            "text after the end of the JSON value: the file must hold exactly one object (was a second block pasted in?)".into()
        }
        UnexpectedCloseBrace => "unexpected `}`".into(),
        UnexpectedCloseBracket => "unexpected `]`".into(),
        UnexpectedColon => "unexpected `:`".into(),
        UnexpectedComma => "unexpected `,`".into(),
        UnterminatedArray => "this `[` is never closed".into(),
        UnterminatedObject => "this `{` is never closed".into(),
        UnterminatedCommentBlock => "this `/*` comment is never closed".into(),
        NestingDepthExceeded => "nesting too deep".into(),
        String(ParseStringErrorKind::UnterminatedStringLiteral) => "this string is never closed".into(),
        String(ParseStringErrorKind::InvalidEscape | ParseStringErrorKind::InvalidEscapeInDoubleQuoteString) => {
            "invalid escape in string: a single `\\` starts an escape in JSON".into()
        }
        String(other) => format!("invalid string: {other}"),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |c| c.to_lowercase().chain(chars).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(IssueKind, String)> {
        parse(text)
            .issues
            .into_iter()
            .map(|i| (i.kind, text[i.span.start..i.span.end].to_string()))
            .collect()
    }

    #[test]
    fn valid_json_has_no_issues() {
        // Found by fuzzing against serde_json, which refuses numbers beyond
        // f64; JSON has no such limit.
        assert_eq!(parse("[1e400, -0.0, 0, 1E-7]").issues, []);
        let p = parse(r#"{"mcpServers": {"a": {"command": "npx", "args": ["-y", "x"]}}}"#);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let root = p.root.unwrap();
        assert_eq!(
            root.get("mcpServers")
                .unwrap()
                .get("a")
                .unwrap()
                .get("command")
                .unwrap()
                .as_str(),
            Some("npx")
        );
    }

    #[test]
    fn comments_are_trivia_of_the_tree_even_where_a_repair_was_needed() {
        let text = "{ /* a */ \"s\": { // b\n \"command\": \"npx\" }, \"t\": ";
        let parsed = parse(text);
        let comments: Vec<&str> = parsed
            .comments
            .iter()
            .map(|c| &text[c.start..c.end])
            .collect();
        assert_eq!(comments, ["/* a */", "// b"]);
        assert!(parsed.root.is_some());
    }

    #[test]
    fn hash_comments_are_blanked_and_the_rest_read() {
        let text = "{\r\n  \"mcpServers\": {\r\n    # the filesystem server\r\n    \"fs\": { \"command\": \"npx\" }, # é trailing\n    \"b\": { \"command\": \"uvx\" }\n  }\n}";
        assert_eq!(
            kinds(text),
            [
                (IssueKind::HashComment, "# the filesystem server".into()),
                (IssueKind::HashComment, "# é trailing".into()),
            ]
        );
        let root = parse(text).root.unwrap();
        let servers = root.get("mcpServers").unwrap();
        assert_eq!(
            servers.get("fs").unwrap().get("command").unwrap().as_str(),
            Some("npx")
        );
        assert_eq!(
            servers.get("b").unwrap().get("command").unwrap().as_str(),
            Some("uvx")
        );
        // Inside a string it is text.
        assert_eq!(parse(r##"{"a": "# not a comment"}"##).issues, []);
    }

    #[test]
    fn leniencies_are_reported_not_fatal() {
        let text = "{\n // hi\n \"a\": [1, 2,],\n 'b': 0x1F,\n c: 1\n \"d\": 2,\n}";
        let k = kinds(text);
        assert!(k.contains(&(IssueKind::Comment, "// hi".into())), "{k:?}");
        assert_eq!(
            k.iter()
                .filter(|(k, _)| *k == IssueKind::TrailingComma)
                .count(),
            2,
            "{k:?}"
        );
        assert!(
            k.iter()
                .any(|(k, s)| *k == IssueKind::NonStandard && s == "'b'"),
            "{k:?}"
        );
        assert!(
            k.iter()
                .any(|(k, s)| *k == IssueKind::NonStandard && s == "0x1F"),
            "{k:?}"
        );
        assert!(
            k.iter()
                .any(|(k, s)| *k == IssueKind::NonStandard && s == "c"),
            "{k:?}"
        );
        assert!(
            k.iter()
                .any(|(k, s)| *k == IssueKind::NonStandard && s.is_empty()),
            "missing comma: {k:?}"
        );
        assert!(parse(text).root.unwrap().get("d").is_some());
    }

    #[test]
    fn invalid_escape_points_at_backslash_and_keeps_the_model() {
        let text = r#"{"a": {"command": "C:\Users\me\run.exe"}, "b": {"command": "x"}}"#;
        let p = parse(text);
        let first = &p.issues[0];
        assert_eq!(&text[first.span.start..first.span.end], r"\U");
        match &first.kind {
            IssueKind::InvalidEscape { string } => {
                assert_eq!(&text[string.start..string.end], r#""C:\Users\me\run.exe""#)
            }
            other => panic!("{other:?}"),
        }
        let root = p.root.unwrap();
        assert!(root.get("b").is_some());
    }

    #[test]
    fn half_typed_value_keeps_the_rest_of_the_file() {
        let text = "{\"mcpServers\": {\n  \"a\": {\"command\": \"npx\"},\n  \"b\": {\"command\": \n  },\n  \"c\": {\"command\": \"uvx\"}\n}}";
        let p = parse(text);
        assert_eq!(
            p.issues
                .iter()
                .filter(|i| i.kind == IssueKind::Invalid)
                .count(),
            1,
            "{:?}",
            p.issues
        );
        let servers = p.root.unwrap();
        let servers = servers.get("mcpServers").unwrap();
        assert_eq!(
            servers
                .members()
                .iter()
                .map(|m| m.key.as_str())
                .collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        let c = servers.get("c").unwrap().get("command").unwrap();
        assert_eq!(&text[c.span.start..c.span.end], "\"uvx\"");
    }

    #[test]
    fn unterminated_things_still_yield_a_model() {
        for text in [
            "{\"mcpServers\": {\"a\": {\"command\": \"npx\"}, \"b\": {\"comm",
            "{\"mcpServers\": {\"a\": {\"command\": \"npx\"}, \"b\": {\"command\": \"np\n",
            "{\"mcpServers\": {\"a\": {\"command\": \"npx\"}, \"b\": ",
            "{\"mcpServers\": {\"a\": {\"command\": \"npx\"}, \"b\"",
        ] {
            let p = parse(text);
            let root = p
                .root
                .unwrap_or_else(|| panic!("no model for {text:?}: {:?}", p.issues));
            assert!(
                root.get("mcpServers").and_then(|s| s.get("a")).is_some(),
                "{text:?}"
            );
            assert!(!p.issues.is_empty());
        }
    }

    #[test]
    fn second_root_value_is_reported() {
        let text = "{\"a\": 1}\n{\"b\": 2}";
        let p = parse(text);
        assert_eq!(p.issues.len(), 1);
        assert!(p.issues[0].message.contains("exactly one object"));
        assert!(p.root.unwrap().get("a").is_some());
    }

    #[test]
    fn only_what_lies_between_tokens_counts_as_comment_or_comma() {
        let text = "{\"a\": \"x, // not a comment /* nor this */\", \"b\": [1, 2] /* c, */ }";
        assert_eq!(kinds(text), [(IssueKind::Comment, "/* c, */".into())]);
        assert_eq!(
            kinds("[1, // c\r\n]"),
            [
                (IssueKind::TrailingComma, ",".into()),
                (IssueKind::Comment, "// c".into())
            ]
        );
        assert_eq!(
            kinds("{\"a\" /* k */ : /* v */ 1}"),
            [
                (IssueKind::Comment, "/* k */".into()),
                (IssueKind::Comment, "/* v */".into())
            ]
        );
    }

    #[test]
    fn keywords_and_numbers_as_keys_are_unquoted_keys() {
        let k = kinds("{null: 1, true: 2}");
        assert_eq!(
            k,
            [
                (IssueKind::NonStandard, "null".into()),
                (IssueKind::NonStandard, "true".into())
            ]
        );
    }

    #[test]
    fn raw_control_characters_and_unicode_spaces_are_not_json() {
        let k = kinds("\u{feff}{\"a\":\u{a0}\"line\nbreak\"}");
        assert_eq!(
            k,
            [
                (IssueKind::Bom, "\u{feff}".into()),
                (IssueKind::NonStandard, "\u{a0}".into()),
                (IssueKind::NonStandard, "\n".into())
            ]
        );
    }

    proptest::proptest! {
        /// Against serde_json as the referee of strict JSON: text it accepts
        /// has a tree and no issue here, and text with both it accepts.
        #[test]
        fn issues_exactly_when_not_strict_json(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "{", "}", "[", "]", ",", ":", "\"a\"", "\"k\\\\n\"", "\"\\u00e9\"", "1", "-0.5e3", "01", "1.", "true",
            "null", "nul", " ", "\n", "\r\n", "\t", "// c\n", "// d\r", "/* x */", "/*", "'x'", "é", "x", "\u{a0}",
            "\"", "0x1F", "+1", ".5", "Infinity", "a:",
        ]), 0..40)) {
            let text = pieces.concat();
            let p = parse(&text);
            for i in &p.issues {
                proptest::prop_assert!(
                    i.span.start <= i.span.end
                        && text.is_char_boundary(i.span.start)
                        && text.is_char_boundary(i.span.end),
                    "{:?} in {:?}", i, text
                );
            }
            let strict = crate::testing::strict_json(&text);
            proptest::prop_assert_eq!(strict, p.root.is_some() && p.issues.is_empty(), "{:?}: {:?}", text, p.issues);
        }
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "\0\0",
            "}{",
            "[[[[",
            "\"",
            "{\"a\":",
            "/*",
            "{'a",
            "\u{feff}{}",
            "{\"a\\",
            "{\"\\u12",
        ] {
            let _ = parse(text);
        }
        let deep = "[".repeat(100_000);
        let p = parse(&deep);
        assert!(!p.issues.is_empty());
    }
}
