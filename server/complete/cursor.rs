//! Where the cursor is, read lexically from the text *before* it (strings,
//! brackets, colons, commas): the containers it is in, whether a key or a
//! value comes next, the members already typed.
//!
//! Why a scan and not the parse tree: the parser repairs half-typed JSON by
//! blanking the broken member (from the last `{`, `[` or `,` to the end of its
//! line), which is exactly the member being typed, so the tree cannot say that
//! the cursor is after `"type": "` or inside `"com`. The tree serves the rest
//! (the entry's fields, `args`, `env`); this scan covers what the repair
//! erased, and nothing else. Imports nothing of the crate.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Key,
    Colon,
    Value,
    Comma,
}

#[derive(Clone, Debug)]
pub struct Frame {
    pub object: bool,
    /// The key this container is the value of (`None`: the root or an array element).
    pub key: Option<String>,
    pub expect: Expect,
    /// The key whose value comes next.
    pub pending_key: Option<String>,
    /// Keys (objects) or elements (arrays, key "") seen before the cursor, with string values.
    pub seen: Vec<(String, Option<String>)>,
}

impl Frame {
    fn new(object: bool, key: Option<String>) -> Self {
        Frame {
            object,
            key,
            expect: if object { Expect::Key } else { Expect::Value },
            pending_key: None,
            seen: Vec::new(),
        }
    }

    /// A complete value (string, literal, container) was read.
    fn value(&mut self, string: Option<String>) {
        if self.object {
            match self.expect {
                Expect::Value => {
                    let key = self.pending_key.take().unwrap_or_default();
                    self.seen.push((key, string));
                    self.expect = Expect::Comma;
                }
                // A key (or, without a comma, the next key).
                Expect::Key | Expect::Comma => {
                    self.pending_key = Some(string.unwrap_or_default());
                    self.expect = Expect::Colon;
                }
                Expect::Colon => {}
            }
        } else {
            self.seen.push((String::new(), string));
            self.expect = Expect::Comma;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// Between tokens.
    None,
    /// Inside a string that starts (at its quote) at `start`; `end` is just past
    /// its closing quote when that is on the same line.
    String {
        start: usize,
        end: Option<usize>,
        prefix: String,
    },
    /// Inside a bare word (a literal or an unquoted key) starting at `start`.
    Word {
        start: usize,
    },
    Comment,
}

#[derive(Debug)]
pub struct Scan {
    pub frames: Vec<Frame>,
    pub token: Token,
}

pub fn scan(text: &str, offset: usize) -> Scan {
    let b = text.as_bytes();
    let cursor = offset.min(b.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < cursor {
        let c = b[i];
        match c {
            b'"' | b'\'' => {
                let start = i;
                let mut j = i + 1;
                let mut close = None;
                while j < b.len() {
                    match b[j] {
                        b'\\' => j += 2,
                        b'\n' | b'\r' => break,
                        q if q == c => {
                            close = Some(j);
                            break;
                        }
                        _ => j += 1,
                    }
                }
                let content_end = close.unwrap_or(j.min(b.len()));
                if cursor <= content_end {
                    let prefix = text.get(start + 1..cursor).unwrap_or("").to_string();
                    return Scan {
                        frames,
                        token: Token::String {
                            start,
                            end: close.map(|c| c + 1),
                            prefix,
                        },
                    };
                }
                let content = text.get(start + 1..content_end).unwrap_or("").to_string();
                if let Some(f) = frames.last_mut() {
                    f.value(Some(content));
                }
                i = content_end + 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find(['\n', '\r']).map_or(b.len(), |n| i + n);
                if cursor <= end {
                    return Scan {
                        frames,
                        token: Token::Comment,
                    };
                }
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                if cursor < end || (cursor == end && !text[i + 2..].contains("*/")) {
                    return Scan {
                        frames,
                        token: Token::Comment,
                    };
                }
                i = end;
            }
            b'{' | b'[' => {
                let key = frames
                    .last()
                    .filter(|f| f.object && f.expect == Expect::Value)
                    .and_then(|f| f.pending_key.clone());
                if let Some(f) = frames.last_mut() {
                    f.value(None);
                }
                frames.push(Frame::new(c == b'{', key));
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                i += 1;
            }
            b':' => {
                if let Some(f) = frames.last_mut().filter(|f| f.object) {
                    f.expect = Expect::Value;
                }
                i += 1;
            }
            b',' => {
                if let Some(f) = frames.last_mut() {
                    f.expect = if f.object { Expect::Key } else { Expect::Value };
                    f.pending_key = None;
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < b.len() && !is_delimiter(b[i]) {
                    i += 1;
                }
                if cursor <= i {
                    return Scan {
                        frames,
                        token: Token::Word { start },
                    };
                }
                let word = text.get(start..i).unwrap_or("").to_string();
                if let Some(f) = frames.last_mut() {
                    if f.object && f.expect != Expect::Value {
                        f.value(Some(word)); // an unquoted key
                    } else {
                        f.value(None);
                    }
                }
            }
        }
    }
    Scan {
        frames,
        token: Token::None,
    }
}

/// The keys of the object the cursor is in that come after `from` (its
/// nested objects skipped), read from the text so that they count even
/// where the parser had to give up.
pub fn keys_after(text: &str, from: usize) -> Vec<String> {
    let b = text.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut i = from.min(b.len());
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != q && b[j] != b'\n' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                let next = text[end.saturating_add(1).min(b.len())..].trim_start();
                if depth == 0 && next.starts_with(':') {
                    keys.push(text.get(start..end).unwrap_or("").to_string());
                }
                i = end + 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    keys
}

pub fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'{' | b'}' | b'[' | b']' | b':' | b',' | b'"' | b'\'')
}

/// A string value of `key` seen before the cursor in the frame `up` levels above the top.
pub fn sibling(frames: &[Frame], up: usize, key: &str) -> Option<String> {
    let f = frames.len().checked_sub(up).and_then(|i| frames.get(i))?;
    f.seen
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.clone())
}
