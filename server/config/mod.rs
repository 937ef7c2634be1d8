//! JSONC text → tree (`parse`) → the client's view of it (`model`).

pub mod json;
pub mod model;
pub mod parse;

pub use json::{Json, JsonKind, Member};
pub use model::{Config, Container, DialectSource, Server, Str};
pub use parse::{IssueKind, Parsed, SyntaxIssue, parse};
