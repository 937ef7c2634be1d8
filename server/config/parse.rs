//! JSONC text → `Json` tree, tolerant of what people type.
//!
//! jsonc-parser is lenient on purpose (comments, trailing commas, missing commas,
//! single quotes...): which of those a client accepts is a rule, not a parse
//! failure, so a token scan reports each leniency as a `SyntaxIssue`. A hard
//! error (half-typed value, unterminated string) is repaired in a copy of the
//! text of the same length, so that everything else in the file still yields a
//! model with correct spans while the user is mid-keystroke.

use super::json::{Json, JsonKind, Member};
use crate::finding::Span;
use jsonc_parser::ParseStringErrorKind;
use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

/// Deep nesting is refused before it can exhaust the stack of any recursive walk.
pub const MAX_DEPTH: usize = 128;
const MAX_REPAIRS: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A hard error the parser could not accept (the text was repaired around it).
    Invalid,
    Comment,
    TrailingComma,
    /// A backslash escape JSON does not have, e.g. `"C:\Users"`; `string` is the whole literal.
    InvalidEscape {
        string: Span,
    },
    /// Accepted by lenient parsers only: single quotes, unquoted keys, missing commas, hex numbers...
    NonStandard,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxIssue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub root: Option<Json>,
    pub issues: Vec<SyntaxIssue>,
}

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

pub fn parse(text: &str) -> Parsed {
    fast::parse(text).unwrap_or_else(|| parse_general(text))
}

/// The fast path alone: `None` where it declines. For the differential tests
/// and fuzz targets.
#[doc(hidden)]
pub fn parse_fast(text: &str) -> Option<Parsed> {
    fast::parse(text)
}

/// The general path: jsonc-parser with every leniency on, a token scan that
/// reports each leniency, and the repair loop for hard errors. `parse` takes
/// it for whatever the fast path declines; public for the differential tests
/// and fuzz targets that check both agree.
#[doc(hidden)]
pub fn parse_general(text: &str) -> Parsed {
    let mut issues = Vec::new();
    let mut repaired: Option<String> = None;
    for _ in 0..MAX_REPAIRS {
        let current = repaired.as_deref().unwrap_or(text);
        let collect = CollectOptions {
            comments: CommentCollectionStrategy::AsTokens,
            tokens: true,
        };
        match jsonc_parser::parse_to_ast(current, &collect, &options()) {
            Ok(result) => {
                if let Some(tokens) = &result.tokens {
                    scan_tokens(current, tokens, &mut issues);
                }
                let mut root = result
                    .value
                    .as_ref()
                    .and_then(|v| convert(v, 0, &mut issues));
                if repaired.is_some() {
                    // Repairs may have appended closers: keep every span inside the real text.
                    if let Some(r) = &mut root {
                        clamp_tree(r, text);
                    }
                }
                for i in &mut issues {
                    i.span = clamp_span(i.span, text);
                }
                issues.sort_by_key(|i| i.span.start);
                issues.dedup();
                return Parsed { root, issues };
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
    for i in &mut issues {
        i.span = clamp_span(i.span, text);
    }
    issues.sort_by_key(|i| i.span.start);
    Parsed { root: None, issues }
}

/// The common case, quickly: strict JSON plus comments and trailing commas,
/// which is what people and tools write. It builds the tree directly from the
/// bytes, with one allocation per string and per container, and yields
/// exactly what `parse_general` yields for such text; at the first thing it
/// does not handle (any other leniency, any error, `\u` escapes, control
/// characters in strings, non-ASCII outside strings, nesting deeper than
/// `MAX_DEPTH`, no value at all) it returns `None` and the general path
/// takes over.
mod fast {
    use super::{IssueKind, MAX_DEPTH, Parsed, SyntaxIssue};
    use crate::config::json::{Json, JsonKind, Member};
    use crate::finding::Span;

    pub(super) fn parse(text: &str) -> Option<Parsed> {
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            issues: Vec::new(),
            members: Vec::new(),
            elements: Vec::new(),
        };
        p.trivia()?;
        if p.pos >= p.bytes.len() {
            return None;
        }
        let root = p.value(0)?;
        p.trivia()?;
        if p.pos != p.bytes.len() {
            return None;
        }
        // A comment between a trailing comma and its closer is found first.
        p.issues.sort_by_key(|i| i.span.start);
        Some(Parsed {
            root: Some(root),
            issues: p.issues,
        })
    }

    struct Parser<'a> {
        text: &'a str,
        bytes: &'a [u8],
        pos: usize,
        issues: Vec<SyntaxIssue>,
        /// Scratch stacks shared by all levels: a container's children are
        /// collected here, then moved into a vector of exactly their number.
        members: Vec<Member>,
        elements: Vec<Json>,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        /// Skip whitespace and comments (each comment is an issue, as the token scan reports it).
        fn trivia(&mut self) -> Option<()> {
            loop {
                match self.peek() {
                    Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                    Some(b'/') => {
                        let start = self.pos;
                        match self.bytes.get(start + 1) {
                            Some(b'/') => {
                                let len = self.bytes[start + 2..]
                                    .iter()
                                    .position(|&b| b == b'\n' || b == b'\r')
                                    .unwrap_or(self.bytes.len() - start - 2);
                                self.pos = start + 2 + len;
                            }
                            Some(b'*') => {
                                let len = self.bytes[start + 2..]
                                    .windows(2)
                                    .position(|w| w == b"*/")?;
                                self.pos = start + 2 + len + 2;
                            }
                            _ => return None,
                        }
                        self.issues.push(SyntaxIssue {
                            kind: IssueKind::Comment,
                            span: Span::new(start, self.pos),
                            message: "comment".into(),
                        });
                    }
                    _ => return Some(()),
                }
            }
        }

        fn value(&mut self, depth: usize) -> Option<Json> {
            if depth > MAX_DEPTH {
                return None;
            }
            let start = self.pos;
            let kind = match self.peek()? {
                b'{' => return self.object(depth),
                b'[' => return self.array(depth),
                b'"' => JsonKind::String(self.string()?),
                b't' => self.word(b"true", JsonKind::Bool(true))?,
                b'f' => self.word(b"false", JsonKind::Bool(false))?,
                b'n' => self.word(b"null", JsonKind::Null)?,
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                    JsonKind::Number(self.text[start..self.pos].to_string())
                }
                _ => return None,
            };
            Some(Json {
                span: Span::new(start, self.pos),
                kind,
            })
        }

        /// After a literal or number: the next byte must end it, or the
        /// scanner would read it differently (`truex`, `01`, `1.`).
        fn delimited(&self) -> Option<()> {
            match self.peek() {
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b'}' | b']' | b'/') => Some(()),
                _ => None,
            }
        }

        fn word(&mut self, word: &[u8], kind: JsonKind) -> Option<JsonKind> {
            if !self.bytes[self.pos..].starts_with(word) {
                return None;
            }
            self.pos += word.len();
            self.delimited()?;
            Some(kind)
        }

        /// A JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
        fn number(&mut self) -> Option<()> {
            let digits = |p: &mut Self| {
                let from = p.pos;
                while matches!(p.peek(), Some(b'0'..=b'9')) {
                    p.pos += 1;
                }
                (p.pos > from).then_some(())
            };
            if self.peek() == Some(b'-') {
                self.pos += 1;
            }
            match self.peek()? {
                b'0' => self.pos += 1,
                b'1'..=b'9' => digits(self)?,
                _ => return None,
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
                digits(self)?;
            }
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.pos += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                digits(self)?;
            }
            self.delimited()
        }

        /// A double-quoted string at `pos`; its decoded value.
        fn string(&mut self) -> Option<String> {
            let start = self.pos + 1;
            let mut i = start;
            let mut out: Option<String> = None;
            let mut seg = start;
            loop {
                let b = *self.bytes.get(i)?;
                match b {
                    b'"' => break,
                    b'\\' => {
                        let c = match *self.bytes.get(i + 1)? {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{08}',
                            b'f' => '\u{0C}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            _ => return None,
                        };
                        let s = out.get_or_insert_with(String::new);
                        s.push_str(&self.text[seg..i]);
                        s.push(c);
                        i += 2;
                        seg = i;
                    }
                    0..=0x1f => return None,
                    _ => i += 1,
                }
            }
            self.pos = i + 1;
            Some(match out {
                Some(mut s) => {
                    s.push_str(&self.text[seg..i]);
                    s
                }
                None => self.text[start..i].to_string(),
            })
        }

        fn object(&mut self, depth: usize) -> Option<Json> {
            let start = self.pos;
            self.pos += 1;
            let base = self.members.len();
            self.trivia()?;
            if self.peek()? != b'}' {
                loop {
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key_start = self.pos;
                    let key = self.string()?;
                    let key_span = Span::new(key_start, self.pos);
                    self.trivia()?;
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    self.trivia()?;
                    let value = self.value(depth + 1)?;
                    self.members.push(Member {
                        key,
                        key_span,
                        value,
                    });
                    self.trivia()?;
                    match self.peek()? {
                        b',' => {
                            let comma = self.pos;
                            self.pos += 1;
                            self.trivia()?;
                            if self.peek()? == b'}' {
                                self.trailing_comma(comma);
                                break;
                            }
                        }
                        b'}' => break,
                        _ => return None,
                    }
                }
            }
            self.pos += 1;
            Some(Json {
                span: Span::new(start, self.pos),
                kind: JsonKind::Object(self.members.drain(base..).collect()),
            })
        }

        fn array(&mut self, depth: usize) -> Option<Json> {
            let start = self.pos;
            self.pos += 1;
            let base = self.elements.len();
            self.trivia()?;
            if self.peek()? != b']' {
                loop {
                    let value = self.value(depth + 1)?;
                    self.elements.push(value);
                    self.trivia()?;
                    match self.peek()? {
                        b',' => {
                            let comma = self.pos;
                            self.pos += 1;
                            self.trivia()?;
                            if self.peek()? == b']' {
                                self.trailing_comma(comma);
                                break;
                            }
                        }
                        b']' => break,
                        _ => return None,
                    }
                }
            }
            self.pos += 1;
            Some(Json {
                span: Span::new(start, self.pos),
                kind: JsonKind::Array(self.elements.drain(base..).collect()),
            })
        }

        fn trailing_comma(&mut self, at: usize) {
            self.issues.push(SyntaxIssue {
                kind: IssueKind::TrailingComma,
                span: Span::new(at, at + 1),
                message: "trailing comma".into(),
            });
        }
    }
}

fn convert(value: &ast::Value<'_>, depth: usize, issues: &mut Vec<SyntaxIssue>) -> Option<Json> {
    let span = span_of(value.range());
    if depth > MAX_DEPTH {
        issues.push(SyntaxIssue {
            kind: IssueKind::Invalid,
            span: Span::new(span.start, span.start + 1),
            message: format!(
                "nesting deeper than {MAX_DEPTH} levels; the rest of this value is not analysed"
            ),
        });
        return None;
    }
    let kind = match value {
        ast::Value::StringLit(s) => JsonKind::String(s.value.to_string()),
        ast::Value::NumberLit(n) => JsonKind::Number(n.value.to_string()),
        ast::Value::BooleanLit(b) => JsonKind::Bool(b.value),
        ast::Value::NullKeyword(_) => JsonKind::Null,
        ast::Value::Array(a) => JsonKind::Array(
            a.elements
                .iter()
                .filter_map(|e| convert(e, depth + 1, issues))
                .collect(),
        ),
        ast::Value::Object(o) => JsonKind::Object(
            o.properties
                .iter()
                .filter_map(|p| {
                    let (key, key_span) = match &p.name {
                        ObjectPropName::String(s) => (s.value.to_string(), span_of(s.range)),
                        ObjectPropName::Word(w) => (w.value.to_string(), span_of(w.range)),
                    };
                    let value = convert(&p.value, depth + 1, issues)?;
                    Some(Member {
                        key,
                        key_span,
                        value,
                    })
                })
                .collect(),
        ),
    };
    Some(Json { span, kind })
}

fn clamp_span(span: Span, text: &str) -> Span {
    let end = crate::document::floor_char_boundary(text, span.end);
    Span::new(
        crate::document::floor_char_boundary(text, span.start).min(end),
        end,
    )
}

fn clamp_tree(node: &mut Json, text: &str) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        n.span = clamp_span(n.span, text);
        match &mut n.kind {
            JsonKind::Object(members) => {
                for m in members {
                    m.key_span = clamp_span(m.key_span, text);
                    stack.push(&mut m.value);
                }
            }
            JsonKind::Array(elements) => stack.extend(elements.iter_mut()),
            _ => {}
        }
    }
}

fn span_of(r: jsonc_parser::common::Range) -> Span {
    Span::new(r.start, r.end)
}

/// Report every leniency the parser allowed. Strict clients reject all of them;
/// JSONC clients reject all but comments and trailing commas.
fn scan_tokens(
    text: &str,
    tokens: &[jsonc_parser::tokens::TokenAndRange<'_>],
    issues: &mut Vec<SyntaxIssue>,
) {
    let significant: Vec<_> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::CommentLine(_) | Token::CommentBlock(_)))
        .collect();
    for t in tokens {
        if matches!(t.token, Token::CommentLine(_) | Token::CommentBlock(_)) {
            issues.push(SyntaxIssue {
                kind: IssueKind::Comment,
                span: span_of(t.range),
                message: "comment".into(),
            });
        }
    }
    for (i, t) in significant.iter().enumerate() {
        let span = span_of(t.range);
        let next = significant.get(i + 1).map(|n| &n.token);
        match &t.token {
            Token::Comma if matches!(next, Some(Token::CloseBrace | Token::CloseBracket)) => {
                issues.push(SyntaxIssue {
                    kind: IssueKind::TrailingComma,
                    span,
                    message: "trailing comma".into(),
                });
            }
            Token::String(_) if text.as_bytes().get(span.start) == Some(&b'\'') => issues.push(
                non_standard(span, "single-quoted string: JSON strings use double quotes"),
            ),
            Token::Word(w) => {
                let what = if matches!(next, Some(Token::Colon)) {
                    format!("unquoted key `{w}`: JSON keys must be in double quotes")
                } else {
                    format!(
                        "`{w}` is not a JSON value (use a string in double quotes, a number, true, false or null)"
                    )
                };
                issues.push(non_standard(span, &what));
            }
            Token::Number(n) if !is_json_number(n) => {
                issues.push(non_standard(span, &format!("`{n}` is not a JSON number")));
            }
            _ => {}
        }
        if ends_value(&t.token) && next.is_some_and(starts_value) {
            issues.push(non_standard(
                Span::empty(span.end),
                "missing comma between values",
            ));
        }
    }
}

fn non_standard(span: Span, message: &str) -> SyntaxIssue {
    SyntaxIssue {
        kind: IssueKind::NonStandard,
        span,
        message: message.to_string(),
    }
}

fn ends_value(t: &Token<'_>) -> bool {
    matches!(
        t,
        Token::CloseBrace
            | Token::CloseBracket
            | Token::String(_)
            | Token::Word(_)
            | Token::Boolean(_)
            | Token::Number(_)
            | Token::Null
    )
}

fn starts_value(t: &Token<'_>) -> bool {
    matches!(
        t,
        Token::OpenBrace
            | Token::OpenBracket
            | Token::String(_)
            | Token::Word(_)
            | Token::Boolean(_)
            | Token::Number(_)
            | Token::Null
    )
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

    /// Whenever the fast path answers, it answers what the general path does.
    fn agree(text: &str) -> bool {
        let Some(f) = fast::parse(text) else {
            return false;
        };
        let g = parse_general(text);
        assert_eq!(f.root, g.root, "{text:?}");
        assert_eq!(f.issues, g.issues, "{text:?}");
        true
    }

    #[test]
    fn fast_path_takes_what_people_write_and_agrees_with_the_general_path() {
        for text in [
            r#"{"mcpServers": {"a": {"command": "npx", "args": ["-y", "x"]}}}"#,
            "{\n  // mine\n  \"servers\": {\"a\": {\"url\": \"x\",},},\n  /* b */ \"inputs\": [1, -0.5e+3, true, false, null,]\n}\n// end",
            r#"{"a": "C:\\Users\\me \"q\" \/ \b\f\n\r\t é 日 😀", "": {}, "e": []}"#,
            "[1, // c\n]",
            "{\"a\": 1 /* c */, /* d */ }",
            "\"just a string\"",
            "0",
        ] {
            assert!(agree(text), "the fast path declined {text:?}");
        }
        for text in [
            "",
            " // only a comment",
            "{'a': 1}",
            "{a: 1}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": .5}",
            "{\"a\": +1}",
            "{\"a\": 0x1F}",
            "{\"a\": truex}",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": \"\\u0041\"}",
            "{\"a\": \"\\x\"}",
            "{\"a\": \"line\nbreak\"}",
            "\u{feff}{}",
            "{\"a\": 1}}",
            "{\"a\": 1} {}",
            "{,}",
            "[,]",
            "{\"a\" 1}",
            "{\"a\": }",
            "[1,,2]",
            "{\"a\":\u{a0}1}",
            "/* open",
            "{\"a\": 1 / 2}",
            "{\"a\": Infinity}",
            "{\"a\": -}",
            "{\"a\": 1e}",
            "{\"a\": \"open",
        ] {
            assert!(!agree(text), "the fast path took {text:?}");
        }
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(!agree(&deep));
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(agree(&ok));
    }

    #[test]
    fn fast_path_agrees_on_every_fixture_and_example() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut stack = vec![root.join("tests/fixtures"), root.join("examples")];
        let mut taken = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    taken += usize::from(agree(&text));
                }
            }
        }
        assert!(taken > 20, "the fast path took only {taken} files");
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_on_token_soup(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "{", "}", "[", "]", ",", ":", "\"a\"", "\"k\\\\n\"", "\"\\u00e9\"", "1", "-0.5e3", "01", "1.", "true",
            "null", "nul", " ", "\n", "\r\n", "\t", "// c\n", "/* x */", "/*", "'x'", "é", "x", "\u{a0}", "\"",
        ]), 0..40)) {
            agree(&pieces.concat());
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
