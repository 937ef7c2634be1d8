//! What analysis produces: findings with byte ranges and fixes as text edits.
//! Plain data: nothing here knows about LSP or the terminal.

use crate::registry::{Rule, Severity};
use serde::Serialize;

/// A byte range `start..end` in the document text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
    pub const fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
    pub fn intersects(self, other: Span) -> bool {
        self.start <= other.end && other.start <= self.end
    }
    /// The range without the surrounding quotes of a JSON string token.
    pub fn inner(self) -> Span {
        if self.len() >= 2 {
            Span::new(self.start + 1, self.end - 1)
        } else {
            self
        }
    }
}

/// One replacement of `span` by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Edit {
    pub fn replace(span: Span, new_text: impl Into<String>) -> Self {
        Self {
            span,
            new_text: new_text.into(),
        }
    }
    pub fn insert(at: usize, new_text: impl Into<String>) -> Self {
        Self::replace(Span::empty(at), new_text)
    }
    pub fn delete(span: Span) -> Self {
        Self::replace(span, "")
    }
}

/// Whether a fix may be applied without a person looking at it
/// (`check --fix`, the editor's "fix all"). Unsafe fixes change meaning
/// in ways the user must confirm (e.g. inserting a path that we guessed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}

/// A secondary location that explains a finding (e.g. the first of two duplicate keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// The server entry this finding belongs to, by name.
    pub server: Option<String>,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    /// A finding whose message reads as a sentence: messages are often built
    /// around a client's name (`{client} reads...`), and the generic client's
    /// is "an MCP client", so the first letter is made a capital here.
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if let Some(first) = message.chars().next().filter(|c| c.is_lowercase()) {
            let upper: String = first.to_uppercase().collect();
            message.replace_range(..first.len_utf8(), &upper);
        }
        Self {
            rule,
            severity: rule.severity,
            span,
            message,
            server: None,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }
    pub fn code(&self) -> &'static str {
        self.rule.code
    }
    pub fn with_server(mut self, server: impl Into<String>) -> Self {
        self.server = Some(server.into());
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
