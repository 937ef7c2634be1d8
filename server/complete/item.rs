//! What completion proposes, in core terms: byte offsets into the document
//! and plain strings. `lsp/completion.rs` turns these into LSP items.
//! Imports nothing but `finding::Span`.

use crate::finding::Span;

/// What kind of thing an item inserts (the editor shows an icon for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A key of the schema.
    Property,
    /// A value of an enum.
    EnumMember,
    /// `true`/`false`, a runner command.
    Value,
    /// An option such as `-y`.
    Keyword,
    /// A package in `args`.
    Module,
    /// An env key, a `${input:...}` reference.
    Variable,
    /// A whole server entry, the skeleton of an empty file.
    Snippet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    pub deprecated: bool,
    /// What the editor matches the typed text against (with the quote when
    /// the cursor is inside a string, since the replaced range starts there).
    pub filter_text: String,
    pub sort_text: Option<String>,
    /// The text the item replaces.
    pub replace: Span,
    pub insert: String,
    /// `insert` is in snippet syntax (tab stops); else plain text.
    pub snippet: bool,
}
