//! Completion, the domain half: what may be typed at a byte offset of a
//! config. Keys from the dialect's schema, values for enums and booleans,
//! well-known server packages in `args` after `npx`/`uvx`, whole-server
//! entries for a new server name, env keys those servers need, and
//! `${input:...}` ids in VS Code files.
//!
//! Pure and in byte offsets: it returns [`Completion`]s, and
//! `lsp/completion.rs` converts them to LSP items. May import the model, the
//! schema, the dialect table and the catalogue (`known_servers`); never
//! `lsp` or `tower_lsp_server`.
//!
//! - `cursor`: where the cursor is (a scan of the text before it, see there why).
//! - `items`: the items for each situation. `snippet`: snippet text.
//! - `item`: the result types.

mod cursor;
mod item;
mod items;
mod snippet;

pub use item::{Completion, CompletionKind};

use crate::config::Config;
use crate::dialect::Dialect;
use crate::finding::Span;
use crate::schema::{self, SchemaNode};
use cursor::{Expect, Token};
use items::Ctx;

/// One step of the path from the root to the cursor's container.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index,
}

/// What the cursor is typing in its container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Key,
    Value,
    Element,
}

/// What may be typed at `offset` of `text`, whose analysed model is `config`.
/// `snippets`: the editor takes snippet syntax; else every item is plain text.
pub fn complete(text: &str, offset: usize, config: &Config, snippets: bool) -> Vec<Completion> {
    let offset = crate::document::floor_char_boundary(text, offset);
    let s = cursor::scan(text, offset);
    let (replace_start, replace_end, in_string, prefix) = match &s.token {
        Token::Comment => return Vec::new(),
        Token::String { start, end, prefix } => {
            (*start, end.unwrap_or(offset), true, prefix.clone())
        }
        Token::Word { start } => (*start, offset, false, String::new()),
        Token::None => (offset, offset, false, String::new()),
    };
    // Where the text after the token under the cursor resumes.
    let resume = match &s.token {
        Token::String { end: None, .. } => text[offset..]
            .find(['\n', '\r'])
            .map_or(text.len(), |n| offset + n),
        Token::Word { .. } => text[offset..]
            .find(|c: char| c.is_ascii() && cursor::is_delimiter(c as u8))
            .map_or(text.len(), |n| offset + n),
        _ => replace_end,
    };
    let next = text
        .get(replace_end..)
        .unwrap_or("")
        .trim_start()
        .chars()
        .next();
    let ctx = Ctx {
        config,
        dialect: config.dialect,
        snippets,
        cursor: offset,
        replace: Span::new(replace_start, replace_end),
        in_string,
        has_colon: next == Some(':'),
        needs_comma: matches!(next, Some('"') | Some('\'')),
    };

    let Some(top) = s.frames.last() else {
        return if text.trim().is_empty() {
            items::skeleton(&ctx)
        } else {
            Vec::new()
        };
    };
    let path: Vec<Seg> = s.frames[1..]
        .iter()
        .map(|f| f.key.clone().map_or(Seg::Index, Seg::Key))
        .collect();
    let role = if !top.object {
        Role::Element
    } else {
        match top.expect {
            Expect::Key | Expect::Comma => Role::Key,
            Expect::Value => Role::Value,
            Expect::Colon => return Vec::new(),
        }
    };
    let mut out = Vec::new();
    let server_depth = servers_container_depth(&path, ctx.dialect);
    // The server entry the cursor is in, if any: (name, depth of the path inside the entry).
    let server = server_depth
        .filter(|d| path.len() > *d)
        .and_then(|d| match &path[d] {
            Seg::Key(name) => Some((name.clone(), d + 1)),
            Seg::Index => None,
        });
    let entry = server.as_ref().and_then(|(name, _)| config.server(name));
    let inner: &[Seg] = server.as_ref().map_or(&[], |(_, d)| &path[*d..]);

    match role {
        Role::Key if server_depth == Some(path.len()) => {
            if !ctx.has_colon {
                out.extend(items::server_entries(&ctx, &top.seen));
            }
        }
        Role::Key => {
            let after = cursor::keys_after(text, resume);
            if let Some(node) = walk(&path, ctx.dialect) {
                let mut present: Vec<String> = top.seen.iter().map(|(k, _)| k.clone()).collect();
                present.extend(after.iter().cloned());
                out.extend(items::keys(&ctx, node, &present));
            }
            if inner == [Seg::Key("env".into())] {
                let present: Vec<&str> = top
                    .seen
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .chain(after.iter().map(String::as_str))
                    .collect();
                out.extend(items::env_keys(&ctx, &s.frames, entry, &present));
            }
        }
        Role::Value => {
            let key = top.pending_key.clone().unwrap_or_default();
            if let Some(node) = walk(&path, ctx.dialect).and_then(|n| n.child(&key)) {
                out.extend(items::values(&ctx, node));
            }
            if server.is_some() && inner.is_empty() && key == "command" {
                out.extend(items::runners(&ctx));
            }
            if server.is_some() {
                out.extend(items::inputs(&ctx, &prefix));
            }
        }
        Role::Element => {
            if let Some(node) = walk(&path, ctx.dialect).and_then(|n| n.items.as_deref()) {
                out.extend(items::values(&ctx, node));
            }
            if inner == [Seg::Key("args".into())] {
                let command = cursor::sibling(&s.frames, 2, "command")
                    .or_else(|| entry.and_then(|e| e.command().map(|c| c.value.to_string())));
                let present: Vec<&str> =
                    top.seen.iter().filter_map(|(_, v)| v.as_deref()).collect();
                out.extend(items::packages(&ctx, command.as_deref(), &present));
            }
            if server.is_some() {
                out.extend(items::inputs(&ctx, &prefix));
            }
        }
    }
    out
}

/// How deep the server map is on this path (`mcpServers` → 1, Claude Code's
/// `projects.<p>.mcpServers` → 3), if the path goes through it.
fn servers_container_depth(path: &[Seg], dialect: Dialect) -> Option<usize> {
    let key = Seg::Key(dialect.spec().servers_key.to_string());
    if path.first() == Some(&key) {
        return Some(1);
    }
    if dialect == Dialect::ClaudeCode
        && path.len() >= 3
        && path[0] == Seg::Key("projects".into())
        && matches!(path[1], Seg::Key(_))
        && path[2] == key
    {
        return Some(3);
    }
    None
}

/// The schema of the container at `path`.
fn walk(path: &[Seg], dialect: Dialect) -> Option<&'static SchemaNode> {
    let mut node = schema::for_dialect(dialect);
    if let Some(d) = servers_container_depth(path, dialect) {
        // Claude Code's per-project maps have the same entries as the top-level one.
        node = node.property(dialect.spec().servers_key)?;
        for seg in &path[d..] {
            node = step(node, seg)?;
        }
        return Some(node);
    }
    for seg in path {
        node = step(node, seg)?;
    }
    Some(node)
}

fn step<'a>(node: &'a SchemaNode, seg: &Seg) -> Option<&'a SchemaNode> {
    match seg {
        Seg::Key(k) => node.child(k),
        Seg::Index => node.items.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(text: &str) -> Vec<Completion> {
        let options = crate::analysis::Options::default();
        let host = crate::host::FakeHost::linux();
        let analysis = crate::analysis::analyze(text, Some("/p/.cursor/mcp.json"), &options, &host);
        complete(text, text.len(), &analysis.config, true)
    }

    #[test]
    fn a_half_typed_key_is_replaced_in_byte_offsets() {
        let text = r#"{"mcpServers": {"é": {"com"#;
        let items = at_end(text);
        let command = items.iter().find(|c| c.label == "command").unwrap();
        // From the key's opening quote to the cursor, in bytes (`é` is two).
        assert_eq!(command.replace, Span::new(23, 27));
        assert_eq!(command.kind, CompletionKind::Property);
        assert_eq!(command.filter_text, "\"command\"");
        assert!(command.snippet);
    }
}
