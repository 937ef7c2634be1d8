//! The fast path for strict JSON. Nearly every config file is plain JSON,
//! and reading it straight into our tree spares jsonc-parser's tokens, its
//! AST and the walk that looks for leniencies, none of which plain JSON has.
//! It answers only for text a strict JSON reader accepts with nothing to
//! report; anything else (a comment, a trailing comma, a half-typed value,
//! a BOM, nesting deeper than `MAX_DEPTH`) is `None`, and jsonc-parser, the
//! parser of record, reads the file. Where it answers, it builds the tree
//! `jsonc::parse` builds (a property test and the `strict_json` fuzz target
//! compare them).
//!
//! With a `Skip`, values no rule reads are checked without being built:
//! the per-project state of `~/.claude.json` (prompt history, pasted text)
//! is most of a file of several megabytes.

use super::jsonc::MAX_DEPTH;
use super::tree::{Member, Node, NodeKind, Parsed, Skip};
use crate::finding::Span;

/// The tree of `text` if it is strict JSON, with the values `skip` names
/// left `Unread`; `None` otherwise.
pub fn parse(text: &str, skip: Option<&Skip>) -> Option<Parsed> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        skip,
        keys: Vec::new(),
    };
    reader.space();
    let root = reader.value(0, Place::Root)?;
    reader.space();
    (reader.at == text.len()).then(|| Parsed {
        root: Some(root),
        ..Parsed::default()
    })
}

/// Where a value sits, as far as `Skip` cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Root,
    /// The value of the top-level `Skip::under` (`projects`).
    Under,
    /// One member of it (a project's state).
    Item,
    Elsewhere,
}

struct Reader<'t, 's> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    skip: Option<&'s Skip>,
    /// The raw keys of the objects being skipped, innermost last.
    keys: Vec<&'t [u8]>,
}

impl<'t> Reader<'t, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.space();
        (self.peek()? == b).then(|| self.at += 1)
    }

    fn value(&mut self, depth: usize, place: Place) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        let kind = match self.peek()? {
            b'{' => NodeKind::Object(self.object(depth, place)?),
            b'[' => NodeKind::Array(self.array(depth)?),
            b'"' => NodeKind::String(self.string()?),
            b't' => self.literal("true", NodeKind::Bool(true))?,
            b'f' => self.literal("false", NodeKind::Bool(false))?,
            b'n' => self.literal("null", NodeKind::Null)?,
            _ => NodeKind::Number(self.number()?.to_string()),
        };
        Some(Node {
            span: Span::new(start, self.at),
            kind,
        })
    }

    fn object(&mut self, depth: usize, place: Place) -> Option<Vec<Member>> {
        self.at += 1;
        let mut members = Vec::new();
        self.space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(members);
        }
        loop {
            self.space();
            let key_start = self.at;
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            let key_span = Span::new(key_start, self.at);
            self.eat(b':')?;
            self.space();
            let inner = match (place, self.skip) {
                (Place::Root, Some(skip)) if key == skip.under => Place::Under,
                (Place::Under, _) => Place::Item,
                _ => Place::Elsewhere,
            };
            let unread =
                place == Place::Item && self.skip.is_some_and(|s| !s.read.contains(&key.as_str()));
            let value = match unread.then(|| self.unread(depth + 1)).flatten() {
                Some(value) => value,
                None => self.value(depth + 1, inner)?,
            };
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(members);
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Vec<Node>> {
        self.at += 1;
        let mut elements = Vec::new();
        self.space();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(elements);
        }
        loop {
            self.space();
            elements.push(self.value(depth + 1, Place::Elsewhere)?);
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(elements);
                }
                _ => return None,
            }
        }
    }

    /// A value checked but not built. `None` (and the reader back where it
    /// was) when it is not strict JSON or when an object in it repeats a key,
    /// which `schema/duplicate-key` must see: the caller builds it then.
    fn unread(&mut self, depth: usize) -> Option<Node> {
        let start = self.at;
        let type_name = match self.peek()? {
            b'{' => "object",
            b'[' => "array",
            b'"' => "string",
            b't' | b'f' => "boolean",
            b'n' => "null",
            _ => "number",
        };
        self.keys.clear();
        let checked = self.check(depth);
        self.keys.clear();
        if checked.is_none() {
            self.at = start;
            return None;
        }
        let type_name = match type_name {
            "number" if !super::tree::is_integer(&self.text[start..self.at]) => "number",
            "number" => "integer",
            other => other,
        };
        Some(Node {
            span: Span::new(start, self.at),
            kind: NodeKind::Unread(type_name),
        })
    }

    /// Moves past one strict JSON value, building nothing.
    fn check(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => {
                self.at += 1;
                let frame = self.keys.len();
                self.space();
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.space();
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let raw = self.raw_string()?;
                    // Keys are compared as written: an escaped one could
                    // equal another written plainly, so it is built instead.
                    if raw.contains(&b'\\') || self.keys[frame..].contains(&raw) {
                        return None;
                    }
                    self.keys.push(raw);
                    self.eat(b':')?;
                    self.space();
                    self.check(depth + 1)?;
                    self.space();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            self.keys.truncate(frame);
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                self.space();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.space();
                    self.check(depth + 1)?;
                    self.space();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.raw_string().map(drop),
            b't' => self.literal("true", ()),
            b'f' => self.literal("false", ()),
            b'n' => self.literal("null", ()),
            _ => self.number().map(drop),
        }
    }

    fn literal<T>(&mut self, word: &str, value: T) -> Option<T> {
        let end = self.at + word.len();
        if self.bytes.get(self.at..end)? != word.as_bytes()
            || self.bytes.get(end).copied().is_some_and(is_word_byte)
        {
            return None;
        }
        self.at = end;
        Some(value)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as written.
    fn number(&mut self) -> Option<&'t str> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.at += 1;
            }
            r.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if digits(self) == 0 {
                return None;
            }
        }
        if self.peek().is_some_and(is_word_byte) {
            return None;
        }
        Some(&self.text[start..self.at])
    }

    /// The literal at the reader, quotes excluded, escapes as written;
    /// `None` if it is not a strict JSON string.
    fn raw_string(&mut self) -> Option<&'t [u8]> {
        let start = self.at + 1;
        let mut i = start;
        loop {
            i = next_special(self.bytes, i)?;
            match self.bytes[i] {
                b'"' => break,
                b'\\' => match self.bytes.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let code = hex4(self.bytes.get(i + 2..i + 6)?)?;
                        // Surrogates, paired or not, are left to jsonc-parser.
                        if (0xD800..0xE000).contains(&code) {
                            return None;
                        }
                        i += 6;
                    }
                    _ => return None,
                },
                // A raw control character.
                _ => return None,
            }
        }
        self.at = i + 1;
        Some(&self.bytes[start..i])
    }

    /// The string at the reader, unescaped.
    fn string(&mut self) -> Option<String> {
        let start = self.at + 1;
        let raw = self.raw_string()?;
        let end = start + raw.len();
        if !raw.contains(&b'\\') {
            return Some(self.text[start..end].to_string());
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = &self.text[start..end];
        while let Some(at) = rest.find('\\') {
            out.push_str(&rest[..at]);
            let escape = rest.as_bytes()[at + 1];
            let len = match escape {
                b'u' => {
                    out.push(char::from_u32(hex4(&rest.as_bytes()[at + 2..at + 6])?)?);
                    6
                }
                _ => {
                    out.push(match escape {
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        other => char::from(other),
                    });
                    2
                }
            };
            rest = &rest[at + len..];
        }
        out.push_str(rest);
        Some(out)
    }
}

/// What may not directly follow a literal or a number.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.' | b'+' | b'-') || b >= 0x80
}

/// Where the first `"`, `\\` or control character at or after `i` is:
/// sixteen bytes at a time with SSE2, part of every x86-64 processor.
#[cfg(target_arch = "x86_64")]
fn next_special(bytes: &[u8], i: usize) -> Option<usize> {
    // SAFETY: x86-64 has SSE2 (the target enables it).
    unsafe { next_special_sse2(bytes, i) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn next_special_sse2(bytes: &[u8], mut i: usize) -> Option<usize> {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let quote = _mm_set1_epi8(b'"' as i8);
    let backslash = _mm_set1_epi8(b'\\' as i8);
    let control = _mm_set1_epi8(0x1f);
    while i + 16 <= bytes.len() {
        // SAFETY: the sixteen bytes from `i` are inside `bytes`; the load
        // needs no alignment.
        let v = unsafe { _mm_loadu_si128(bytes.as_ptr().add(i).cast::<__m128i>()) };
        // A byte is a control character when max(byte, 0x1f) is 0x1f.
        let found = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
            _mm_cmpeq_epi8(_mm_max_epu8(v, control), control),
        );
        let mask = _mm_movemask_epi8(found);
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize);
        }
        i += 16;
    }
    next_special_bytewise(bytes, i)
}

/// Where the first `"`, `\\` or control character at or after `i` is: eight
/// bytes at a time (the bytes of a string are nearly all plain).
#[cfg(not(target_arch = "x86_64"))]
fn next_special(bytes: &[u8], mut i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` that is below `n` (exact up to the
    // first such byte, which is all that is asked).
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().ok()?);
        let found = below(w ^ (ONES * u64::from(b'"')), 1)
            | below(w ^ (ONES * u64::from(b'\\')), 1)
            | below(w, 0x20);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    next_special_bytewise(bytes, i)
}

/// `next_special` a byte at a time: the tail of both scans, and what the
/// property test holds them to.
fn next_special_bytewise(bytes: &[u8], i: usize) -> Option<usize> {
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|p| i + p)
}

fn hex4(digits: &[u8]) -> Option<u32> {
    if digits.len() != 4 {
        return None;
    }
    digits
        .iter()
        .try_fold(0u32, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
}

/// The differential oracle of the property test and of the `strict_json`
/// fuzz target: where the fast path answers, its answer is jsonc-parser's
/// reading with the values `skip` names made `Unread` (unless an object in
/// one repeats a key or escapes one, which the fast path builds). Some
/// description of the difference when they disagree.
#[doc(hidden)]
pub fn disagreement(text: &str, skip: Option<&Skip>) -> Option<String> {
    let fast = parse(text, skip)?;
    let mut slow = super::jsonc::parse(text);
    if let (Some(root), Some(skip)) = (&mut slow.root, skip) {
        for under in root.members_mut().filter(|m| m.key == skip.under) {
            for item in under.value.members_mut() {
                for m in item.value.members_mut() {
                    if !skip.read.contains(&m.key.as_str())
                        && !repeats_or_escapes_a_key(&m.value, text)
                    {
                        m.value.kind = NodeKind::Unread(m.value.type_name());
                    }
                }
            }
        }
    }
    (fast.root != slow.root || fast.issues != slow.issues || fast.comments != slow.comments)
        .then(|| format!("fast path: {fast:?}\njsonc-parser: {slow:?}"))
}

fn repeats_or_escapes_a_key(node: &Node, text: &str) -> bool {
    let members = node.members();
    members.iter().enumerate().any(|(i, m)| {
        text[m.key_span.start..m.key_span.end].contains('\\')
            || members[..i].iter().any(|p| p.key == m.key)
    }) || members
        .iter()
        .any(|m| repeats_or_escapes_a_key(&m.value, text))
        || node
            .elements()
            .iter()
            .any(|e| repeats_or_escapes_a_key(e, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CLAUDE: Skip = Skip {
        under: "projects",
        read: &["mcpServers", "enabledMcpjsonServers"],
    };

    /// Pieces of JSON and of what is not JSON, as `jsonc`'s own property test has them.
    fn pieces() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\"a\"",
                "\"projects\"",
                "\"history\"",
                "\"mcpServers\"",
                "\"k\\\\n\"",
                "\"\\u00e9\"",
                "\"\\/\\b\\f\\r\\t\\\"\"",
                "\"\\u0000\"",
                "\"a\\u0062\"",
                "1",
                "-0.5e3",
                "0",
                "2E+7",
                "01",
                "1.",
                "-",
                "true",
                "false",
                "null",
                "nul",
                "truex",
                " ",
                "\n",
                "\r\n",
                "\t",
                "// c\n",
                "/* x */",
                "/*",
                "'x'",
                "é",
                "\"é\"",
                "x",
                "\u{a0}",
                "\"",
                "0x1F",
                "+1",
                ".5",
                "Infinity",
                "a:",
                "\u{feff}",
                "#",
                "\"\\x\"",
                "\"\\ud83d\\ude00\"",
            ]),
            0..60,
        )
        .prop_map(|p| p.concat())
    }

    /// A `~/.claude.json` of sorts: projects whose state repeats keys, escapes
    /// them, nests and breaks now and then.
    fn claude_like() -> impl Strategy<Value = String> {
        let value = pieces().prop_map(|p| if p.is_empty() { "1".into() } else { p });
        let field = (
            proptest::sample::select(vec![
                "history",
                "mcpServers",
                "enabledMcpjsonServers",
                "a",
                "h\\u0069story",
            ]),
            prop_oneof![
                Just(
                    "[{\"display\": \"x\", \"pastedContents\": {}}, {\"a\": 1, \"a\": 2}]"
                        .to_string()
                ),
                Just("{\"s\": {\"command\": \"npx\"}}".to_string()),
                Just("[[[{\"k\\\"\": [1, {\"b\": {}}]}]]]".to_string()),
                value,
            ],
        )
            .prop_map(|(k, v)| format!("\"{k}\": {v}"));
        let project =
            proptest::collection::vec(field, 0..4).prop_map(|fs| format!("{{{}}}", fs.join(", ")));
        proptest::collection::vec(project, 0..4).prop_map(|ps| {
            let items: Vec<String> = ps
                .iter()
                .enumerate()
                .map(|(i, p)| format!("\"/p{i}\": {p}"))
                .collect();
            format!(
                "{{\"mcpServers\": {{}}, \"projects\": {{{}}}, \"x\": [1]}}",
                items.join(",\n")
            )
        })
    }

    /// Valid JSON with every kind of value, string escape and white space.
    fn json() -> impl Strategy<Value = String> {
        let space = proptest::sample::select(vec!["", " ", "\n  ", "\t", "\r\n"]);
        let leaf = proptest::sample::select(vec![
            "\"a\"",
            "\"\"",
            "\"k\\\\n\"",
            "\"\\u00e9\\u20AC\"",
            "\"\\/\\b\\f\\r\\t\\\"\"",
            "\"é 😀\"",
            "0",
            "-0.5e3",
            "2E+7",
            "10",
            "1.25",
            "-7",
            "true",
            "false",
            "null",
            "[]",
            "{}",
        ])
        .prop_map(str::to_string);
        leaf.prop_recursive(5, 64, 6, move |inner| {
            let space = space.clone();
            prop_oneof![
                proptest::collection::vec((inner.clone(), space.clone()), 0..6).prop_map(|es| {
                    let es: Vec<String> =
                        es.into_iter().map(|(e, s)| format!("{s}{e}{s}")).collect();
                    format!("[{}]", es.join(","))
                }),
                proptest::collection::vec(
                    (
                        proptest::sample::select(vec![
                            "a",
                            "b",
                            "history",
                            "projects",
                            "/p",
                            "mcpServers",
                            "\\u0061"
                        ]),
                        inner,
                        space
                    ),
                    0..6
                )
                .prop_map(|ms| {
                    let ms: Vec<String> = ms
                        .into_iter()
                        .map(|(k, v, s)| format!("{s}\"{k}\"{s}:{s}{v}{s}"))
                        .collect();
                    format!("{{{}}}", ms.join(","))
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Valid JSON is read by the fast path, as jsonc-parser reads it; and
        /// so is what one inserted piece leaves of it, when it is still strict JSON.
        #[test]
        fn agrees_with_jsonc_parser_on_json(text in json(), piece in pieces(), at in 0usize..1000) {
            prop_assert!(parse(&text, None).is_some(), "{:?}", text);
            prop_assert_eq!(disagreement(&text, None), None);
            prop_assert_eq!(disagreement(&text, Some(&CLAUDE)), None);
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mutated = format!("{}{}{}", &text[..at], piece, &text[at..]);
            prop_assert_eq!(disagreement(&mutated, None), None);
            prop_assert_eq!(disagreement(&mutated, Some(&CLAUDE)), None);
            let strict = crate::testing::strict_json(&mutated);
            let surrogates = mutated.contains("\\ud83d");
            prop_assert_eq!(parse(&mutated, None).is_some(), strict && !surrogates, "{:?}", mutated);
        }

        /// It answers for exactly the text serde_json, the referee of strict
        /// JSON, accepts, and then as jsonc-parser does.
        #[test]
        fn agrees_with_jsonc_parser(text in pieces()) {
            prop_assert_eq!(disagreement(&text, None), None);
            prop_assert_eq!(disagreement(&text, Some(&CLAUDE)), None);
            let strict = crate::testing::strict_json(&text);
            // Surrogate escapes are left to jsonc-parser.
            let surrogates = text.contains("\\ud83d");
            prop_assert_eq!(parse(&text, None).is_some(), strict && !surrogates, "{:?}", text);
        }

        #[test]
        fn finds_the_first_special_byte_as_a_plain_scan_does(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xa0, 0xff, 0, b'\n']), 0..80
        ), from in 0usize..80) {
            let from = from.min(bytes.len());
            prop_assert_eq!(next_special(&bytes, from), next_special_bytewise(&bytes, from));
        }

        #[test]
        fn skips_what_it_may_and_nothing_else(text in claude_like()) {
            prop_assert_eq!(disagreement(&text, Some(&CLAUDE)), None);
        }
    }

    #[test]
    fn a_project_s_history_is_left_unread_but_its_servers_are_built() {
        let text = r#"{"projects": {"/p": {"history": [{"display": "hi"}], "mcpServers": {"s": {"command": "x"}}, "n": 1.5}}}"#;
        let root = parse(text, Some(&CLAUDE)).unwrap().root.unwrap();
        let project = root.get("projects").unwrap().get("/p").unwrap();
        assert_eq!(
            project.get("history").unwrap().kind,
            NodeKind::Unread("array")
        );
        assert_eq!(project.get("n").unwrap().type_name(), "number");
        assert_eq!(
            project
                .get("mcpServers")
                .unwrap()
                .get("s")
                .unwrap()
                .get("command")
                .unwrap()
                .as_str(),
            Some("x")
        );
        // A repeated key inside is built, for `schema/duplicate-key` to see.
        let text = r#"{"projects": {"/p": {"history": [{"a": 1, "a": 2}]}}}"#;
        let root = parse(text, Some(&CLAUDE)).unwrap().root.unwrap();
        let history = root
            .get("projects")
            .unwrap()
            .get("/p")
            .unwrap()
            .get("history")
            .unwrap();
        assert_eq!(history.elements()[0].members().len(), 2);
        assert_eq!(disagreement(text, Some(&CLAUDE)), None);
    }

    /// Every real config, example and fixture in the repository, read both ways.
    #[test]
    fn agrees_with_jsonc_parser_on_every_file_of_the_repository() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = e.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path
                    .extension()
                    .is_some_and(|x| x == "json" || x == "jsonc")
                {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["tests/corpus", "tests/fixtures", "examples", "schemas"] {
            walk(&root.join(dir), &mut files);
        }
        assert!(files.len() > 100, "{} files", files.len());
        let mut answered = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            assert_eq!(disagreement(&text, None), None, "{}", f.display());
            assert_eq!(disagreement(&text, Some(&CLAUDE)), None, "{}", f.display());
            answered += usize::from(parse(&text, None).is_some());
        }
        // Most are plain JSON; the rest (JSONC, broken on purpose) go to jsonc-parser.
        assert!(answered * 2 > files.len(), "{answered} of {}", files.len());
    }

    #[test]
    fn nesting_beyond_the_limit_is_left_to_jsonc_parser() {
        // The root is at depth 0.
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        assert!(parse(&deep, None).is_none());
        assert!(!super::super::jsonc::parse(&deep).issues.is_empty());
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&fine, None).is_some());
        assert_eq!(disagreement(&fine, None), None);
    }
}
