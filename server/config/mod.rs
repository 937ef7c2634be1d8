//! JSONC text → tree (`parse`) → the client's view of it (`model`).

pub mod model;
pub mod parse;
pub mod tree;

pub use model::{Config, Container, DialectSource, Server, Str};
pub use parse::{IssueKind, Parsed, SyntaxIssue, parse};
pub use tree::{Member, Node, NodeKind};
