//! Completion: keys from the dialect's schema, values for enums and booleans,
//! well-known server packages in `args` after `npx`/`uvx`, whole-server
//! snippets for a new server name, env keys those servers need, and
//! `${input:...}` ids in VS Code files.
//!
//! The cursor is placed by a small scan of the text *before* it (strings,
//! brackets, colons, commas), so completion works in half-typed JSON whatever
//! follows; the analysed (repaired) tree adds what the scan cannot see, such
//! as keys after the cursor.

use super::convert;
use super::state::Snapshot;
use crate::config::{Config, Server};
use crate::dialect::Dialect;
use crate::schema::{self, SchemaNode};
use serde::Deserialize;
use std::sync::OnceLock;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat, Range,
    TextEdit,
};

// ---------------------------------------------------------------------------
// The catalogue of well-known servers (server/data/completion_servers.json).

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogEntry {
    /// The usual name of the entry, e.g. `github`.
    pub name: String,
    /// `npx` or `uvx`.
    pub runner: String,
    pub package: String,
    /// Arguments after the package (placeholders the user replaces).
    pub args: Vec<String>,
    /// Environment variables the server needs.
    pub env: Vec<String>,
    pub description: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Catalog {
    servers: Vec<CatalogEntry>,
}

pub fn catalog() -> &'static [CatalogEntry] {
    static CATALOG: OnceLock<Vec<CatalogEntry>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        match serde_json::from_str::<Catalog>(include_str!("../data/completion_servers.json")) {
            Ok(c) => c
                .servers
                .into_iter()
                .filter(|e| !e.name.is_empty() && !e.package.is_empty())
                .collect(),
            Err(e) => {
                tracing::error!("completion_servers.json is invalid: {e}");
                Vec::new()
            }
        }
    })
}

impl CatalogEntry {
    /// The package without a version (`@playwright/mcp@latest` → `@playwright/mcp`).
    fn bare_package(&self) -> &str {
        bare(&self.package)
    }
}

fn bare(package: &str) -> &str {
    match package.rfind('@') {
        Some(i) if i > 0 => &package[..i],
        _ => package,
    }
}

// ---------------------------------------------------------------------------
// Where the cursor is.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Key,
    Colon,
    Value,
    Comma,
}

#[derive(Clone, Debug)]
struct Frame {
    object: bool,
    /// The key this container is the value of (`None`: the root or an array element).
    key: Option<String>,
    expect: Expect,
    /// The key whose value comes next.
    pending_key: Option<String>,
    /// Keys (objects) or elements (arrays, key "") seen before the cursor, with string values.
    seen: Vec<(String, Option<String>)>,
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
enum Token {
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
struct Scan {
    frames: Vec<Frame>,
    token: Token,
}

fn scan(text: &str, offset: usize) -> Scan {
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
fn keys_after(text: &str, from: usize) -> Vec<String> {
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

fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'{' | b'}' | b'[' | b']' | b':' | b',' | b'"' | b'\'')
}

/// One step of the path from the root to the cursor's container.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Key,
    Value,
    Element,
}

// ---------------------------------------------------------------------------
// Building the items.

struct Ctx<'a> {
    snap: &'a Snapshot,
    config: &'a Config,
    dialect: Dialect,
    snippets: bool,
    cursor: usize,
    /// What the item replaces, and the text of the document there.
    replace: Range,
    in_string: bool,
    /// A key token that already has its `:` (only the name is being edited).
    has_colon: bool,
    /// Another member follows the cursor: a whole inserted member needs a comma.
    needs_comma: bool,
}

pub fn complete(snap: &Snapshot, offset: usize, snippets: bool) -> Vec<CompletionItem> {
    let text = snap.doc.text();
    let offset = crate::document::floor_char_boundary(text, offset);
    let config = &snap.analysis.config;
    let s = scan(text, offset);
    let (replace_start, replace_end, in_string, prefix) = match &s.token {
        Token::Comment => return Vec::new(),
        Token::String { start, end, prefix } => {
            (*start, end.unwrap_or(offset), true, prefix.clone())
        }
        Token::Word { start } => (*start, offset, false, String::new()),
        Token::None => (offset, offset, false, String::new()),
    };
    let mut ctx = Ctx {
        snap,
        config,
        dialect: config.dialect,
        snippets,
        cursor: offset,
        replace: convert::range(
            &snap.doc,
            crate::finding::Span::new(replace_start, replace_end),
        ),
        in_string,
        has_colon: false,
        needs_comma: false,
    };
    // Where the text after the token under the cursor resumes.
    let resume = match &s.token {
        Token::String { end: None, .. } => text[offset..]
            .find(['\n', '\r'])
            .map_or(text.len(), |n| offset + n),
        Token::Word { .. } => text[offset..]
            .find(|c: char| c.is_ascii() && is_delimiter(c as u8))
            .map_or(text.len(), |n| offset + n),
        _ => replace_end,
    };
    let after = text.get(replace_end..).unwrap_or("");
    let next = after.trim_start().chars().next();
    ctx.has_colon = next == Some(':');
    ctx.needs_comma = matches!(next, Some('"') | Some('\''));

    let Some(top) = s.frames.last() else {
        return if text.trim().is_empty() {
            skeleton(&ctx)
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
    let mut items = Vec::new();
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
                items.extend(server_snippets(&ctx, &top.seen));
            }
        }
        Role::Key => {
            if let Some(node) = walk(&path, ctx.dialect) {
                let mut present: Vec<String> = top.seen.iter().map(|(k, _)| k.clone()).collect();
                present.extend(keys_after(text, resume));
                items.extend(key_items(&ctx, node, &present));
            }
            if inner == [Seg::Key("env".into())] {
                let after = keys_after(text, resume);
                let present: Vec<&str> = top
                    .seen
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .chain(after.iter().map(String::as_str))
                    .collect();
                items.extend(env_key_items(&ctx, &s.frames, entry, &present));
            }
        }
        Role::Value => {
            let key = top.pending_key.clone().unwrap_or_default();
            if let Some(node) = walk(&path, ctx.dialect).and_then(|n| n.child(&key)) {
                items.extend(value_items(&ctx, node));
            }
            if server.is_some() && inner.is_empty() && key == "command" {
                items.extend(runner_items(&ctx));
            }
            if server.is_some() {
                items.extend(input_items(&ctx, &prefix));
            }
        }
        Role::Element => {
            if let Some(node) = walk(&path, ctx.dialect).and_then(|n| n.items.as_deref()) {
                items.extend(value_items(&ctx, node));
            }
            if inner == [Seg::Key("args".into())] {
                let command = sibling(&s.frames, 2, "command")
                    .or_else(|| entry.and_then(|e| e.command().map(|c| c.value.to_string())));
                let present: Vec<&str> =
                    top.seen.iter().filter_map(|(_, v)| v.as_deref()).collect();
                items.extend(package_items(&ctx, command.as_deref(), &present));
            }
            if server.is_some() {
                items.extend(input_items(&ctx, &prefix));
            }
        }
    }
    items
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
        let servers = node.property(dialect.spec().servers_key)?;
        node = servers;
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

/// A string value of `key` seen before the cursor in the frame `up` levels above the top.
fn sibling(frames: &[Frame], up: usize, key: &str) -> Option<String> {
    let f = frames.len().checked_sub(up).and_then(|i| frames.get(i))?;
    f.seen
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.clone())
}

fn item(ctx: &Ctx<'_>, label: &str, kind: CompletionItemKind, insert: String) -> CompletionItem {
    let (new_text, format) = if ctx.snippets {
        (insert, InsertTextFormat::SNIPPET)
    } else {
        (snippet_to_plain(&insert), InsertTextFormat::PLAIN_TEXT)
    };
    let filter = if ctx.in_string {
        format!("\"{label}\"")
    } else {
        label.to_string()
    };
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        filter_text: Some(filter),
        insert_text_format: Some(format),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            ctx.replace,
            new_text,
        ))),
        ..CompletionItem::default()
    }
}

/// `"key": <value>` (or only `"key"` when the colon is already there).
fn key_items(ctx: &Ctx<'_>, node: &SchemaNode, present: &[String]) -> Vec<CompletionItem> {
    node.properties
        .iter()
        .filter(|(k, _)| !present.iter().any(|p| p == k))
        .map(|(key, child)| {
            let mut insert = json_string(key);
            if !ctx.has_colon {
                insert.push_str(": ");
                insert.push_str(&value_placeholder(child));
                if ctx.needs_comma {
                    insert.push(',');
                }
            }
            let mut it = item(ctx, key, CompletionItemKind::PROPERTY, insert);
            it.detail = Some(child.type_label());
            it.documentation = child.description.clone().map(Documentation::String);
            it.deprecated = child.deprecated.then_some(true);
            it
        })
        .collect()
}

fn value_placeholder(node: &SchemaNode) -> String {
    let first = node.types.first().map(String::as_str);
    if let Some(first_enum) = node.enum_values.iter().find_map(|v| v.as_str()) {
        let choices: Vec<String> = node
            .enum_values
            .iter()
            .filter_map(|v| v.as_str())
            .map(|v| v.replace([',', '|'], ""))
            .collect();
        if choices.len() > 1 {
            return format!("\"${{1|{}|}}\"", choices.join(","));
        }
        return format!("\"${{1:{}}}\"", snippet_escape(first_enum));
    }
    match first {
        Some("string") => "\"$1\"".into(),
        Some("array") => "[$1]".into(),
        Some("object") => "{$1}".into(),
        Some("boolean") => format!(
            "${{1:{}}}",
            node.default
                .as_ref()
                .and_then(|d| d.as_bool())
                .unwrap_or(true)
        ),
        Some("integer" | "number") => format!(
            "${{1:{}}}",
            node.default
                .as_ref()
                .filter(|d| d.is_number())
                .map_or("0".to_string(), |d| d.to_string())
        ),
        _ => "$1".into(),
    }
}

/// Enum values and booleans for a value position.
fn value_items(ctx: &Ctx<'_>, node: &SchemaNode) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = node
        .enum_values
        .iter()
        .filter_map(|v| v.as_str())
        .map(|v| {
            let mut it = item(
                ctx,
                v,
                CompletionItemKind::ENUM_MEMBER,
                snippet_escape(&json_string(v)),
            );
            it.detail = node.description.clone();
            it
        })
        .collect();
    if node.allows_type("boolean") && !node.types.is_empty() && !ctx.in_string {
        for b in ["true", "false"] {
            out.push(item(ctx, b, CompletionItemKind::VALUE, b.to_string()));
        }
    }
    out
}

/// Commands that start the catalogue's servers.
fn runner_items(ctx: &Ctx<'_>) -> Vec<CompletionItem> {
    let mut runners: Vec<&str> = catalog().iter().map(|e| e.runner.as_str()).collect();
    runners.sort_unstable();
    runners.dedup();
    runners
        .into_iter()
        .map(|r| item(ctx, r, CompletionItemKind::VALUE, json_string(r)))
        .collect()
}

/// Well-known packages for `args` after `npx` or `uvx` (and `-y` for npx).
fn package_items(ctx: &Ctx<'_>, command: Option<&str>, present: &[&str]) -> Vec<CompletionItem> {
    let Some(runner) = command.map(runner_of) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if runner == "npx" && !present.contains(&"-y") && !present.contains(&"--yes") {
        let mut it = item(ctx, "-y", CompletionItemKind::KEYWORD, json_string("-y"));
        it.detail = Some("install without asking (a prompt would block the server)".into());
        it.sort_text = Some("0".into());
        out.push(it);
    }
    for e in catalog().iter().filter(|e| e.runner == runner) {
        if present.iter().any(|p| bare(p) == e.bare_package()) {
            continue;
        }
        let mut it = item(
            ctx,
            &e.package,
            CompletionItemKind::MODULE,
            snippet_escape(&json_string(&e.package)),
        );
        it.detail = Some(e.description.clone());
        it.sort_text = Some(format!("1{}", e.name));
        out.push(it);
    }
    out
}

/// `npx`, `/usr/local/bin/npx`, `npx.cmd` → `npx`.
fn runner_of(command: &str) -> &str {
    let file = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let stem = file
        .strip_suffix(".cmd")
        .or_else(|| file.strip_suffix(".exe"))
        .unwrap_or(file);
    match stem {
        "npx" | "uvx" => stem,
        _ => "",
    }
}

/// Env keys that the catalogue's servers named in this entry's `args` need.
fn env_key_items(
    ctx: &Ctx<'_>,
    frames: &[Frame],
    entry: Option<&Server>,
    present: &[&str],
) -> Vec<CompletionItem> {
    let mut args: Vec<String> = entry
        .map(|e| e.args().iter().map(|a| a.value.to_string()).collect())
        .unwrap_or_default();
    // `args` typed before `env` in this (maybe half-typed) entry.
    if let Some(server_frame) = frames.len().checked_sub(2).and_then(|i| frames.get(i)) {
        args.extend(
            server_frame
                .seen
                .iter()
                .filter(|(k, _)| k == "args")
                .filter_map(|(_, v)| v.clone()),
        );
    }
    let present_in_tree: Vec<&str> = entry
        .map(|e| e.env().iter().map(|m| m.key.as_str()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for e in catalog() {
        if !args.iter().any(|a| bare(a) == e.bare_package()) {
            continue;
        }
        for key in &e.env {
            if present.contains(&key.as_str()) || present_in_tree.contains(&key.as_str()) {
                continue;
            }
            let mut insert = json_string(key);
            if !ctx.has_colon {
                insert.push_str(&format!(": \"{}\"", env_placeholder(ctx.dialect, key, 1)));
                if ctx.needs_comma {
                    insert.push(',');
                }
            }
            let mut it = item(ctx, key, CompletionItemKind::VARIABLE, insert);
            it.detail = Some(format!("needed by {}", e.package));
            out.push(it);
        }
    }
    out
}

/// `${input:id}` for each input of a VS Code file.
fn input_items(ctx: &Ctx<'_>, prefix: &str) -> Vec<CompletionItem> {
    if !ctx.dialect.spec().substitutions.input || !ctx.in_string {
        return Vec::new();
    }
    // Replace from a `${` typed before the cursor, else insert at the cursor.
    let start = prefix
        .rfind("${")
        .map_or(ctx.cursor, |i| ctx.cursor - (prefix.len() - i));
    let range = convert::range(&ctx.snap.doc, crate::finding::Span::new(start, ctx.cursor));
    ctx.config
        .inputs
        .iter()
        .map(|(id, _)| {
            let label = format!("${{input:{id}}}");
            CompletionItem {
                label: label.clone(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some("VS Code asks for this value when the server starts".into()),
                filter_text: Some(label.clone()),
                insert_text_format: Some(InsertTextFormat::PLAIN_TEXT),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, label))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// Whole entries for the catalogue's servers, when a new server name is typed.
fn server_snippets(ctx: &Ctx<'_>, seen: &[(String, Option<String>)]) -> Vec<CompletionItem> {
    let taken =
        |name: &str| seen.iter().any(|(k, _)| k == name) || ctx.config.server(name).is_some();
    catalog()
        .iter()
        .filter(|e| !taken(&e.name))
        .map(|e| {
            let mut it = item(
                ctx,
                &e.name,
                CompletionItemKind::SNIPPET,
                server_snippet(e, ctx.dialect, ctx.needs_comma),
            );
            let mut command = vec![e.runner.clone()];
            if e.runner == "npx" {
                command.push("-y".into());
            }
            command.push(e.package.clone());
            command.extend(e.args.iter().cloned());
            it.detail = Some(command.join(" "));
            it.documentation = Some(Documentation::String(e.description.clone()));
            it
        })
        .collect()
}

/// `"github": { "command": "npx", "args": ["-y", "..."], "env": { "KEY": "${1}" } }`
fn server_snippet(e: &CatalogEntry, dialect: Dialect, comma: bool) -> String {
    let mut tab = 0;
    let mut next = || {
        tab += 1;
        tab
    };
    let mut fields = Vec::new();
    if dialect == Dialect::VsCode {
        fields.push("\"type\": \"stdio\"".to_string());
    }
    fields.push(format!("\"command\": {}", json_string(&e.runner)));
    let mut args = Vec::new();
    if e.runner == "npx" {
        args.push(json_string("-y"));
    }
    args.push(snippet_escape(&json_string(&e.package)));
    for a in &e.args {
        let inner = json_string(a);
        let inner = &inner[1..inner.len() - 1];
        args.push(format!("\"${{{}:{}}}\"", next(), snippet_escape(inner)));
    }
    fields.push(format!("\"args\": [{}]", args.join(", ")));
    if !e.env.is_empty() {
        let env: Vec<String> = e
            .env
            .iter()
            .map(|k| {
                format!(
                    "{}: \"{}\"",
                    json_string(k),
                    env_placeholder(dialect, k, next())
                )
            })
            .collect();
        fields.push(format!("\"env\": {{ {} }}", env.join(", ")));
    }
    format!(
        "{}: {{ {} }}{}",
        json_string(&e.name),
        fields.join(", "),
        if comma { "," } else { "" }
    )
}

/// A tab stop for an env value: empty, or prefilled with a reference to an
/// environment variable in the syntax this client expands (so the secret
/// stays out of the file).
fn env_placeholder(dialect: Dialect, key: &str, tab: usize) -> String {
    let subs = dialect.spec().substitutions;
    let reference = if subs.env_prefix {
        Some(format!("${{env:{key}}}"))
    } else if subs.braced {
        Some(format!("${{{key}}}"))
    } else {
        None
    };
    match reference {
        Some(r) => format!("${{{tab}:{}}}", snippet_escape(&r)),
        None => format!("${{{tab}}}"),
    }
}

/// For an empty file: the skeleton with this dialect's server map.
fn skeleton(ctx: &Ctx<'_>) -> Vec<CompletionItem> {
    let key = ctx.dialect.spec().servers_key;
    let insert = format!("{{\n\t{}: {{\n\t\t$0\n\t}}\n}}", json_string(key));
    let mut it = item(ctx, key, CompletionItemKind::SNIPPET, insert);
    it.detail = Some(format!("{} configuration", ctx.dialect.name()));
    vec![it]
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Escape text for a snippet (`$`, `}` and `\` are special there).
fn snippet_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A snippet as plain text: tab stops vanish, placeholders keep their text,
/// choices keep their first option.
fn snippet_to_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '$' if chars.peek().is_some_and(|n| n.is_ascii_digit()) => {
                while chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                    chars.next();
                }
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                    chars.next();
                }
                match chars.next() {
                    Some(':') => {}
                    Some('|') => {
                        // First choice, then skip to the closing `|}`.
                        let mut first = true;
                        for n in chars.by_ref() {
                            match n {
                                '|' => break,
                                ',' => first = false,
                                _ if first => out.push(n),
                                _ => {}
                            }
                        }
                        chars.next(); // '}'
                        continue;
                    }
                    _ => continue, // `${1}`
                }
                // Placeholder text until the matching unescaped `}`.
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            if let Some(m) = chars.next() {
                                out.push(m);
                            }
                        }
                        '}' => break,
                        _ => out.push(n),
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Options, analyze};
    use crate::document::Document;
    use crate::host::FakeHost;
    use std::str::FromStr;
    use std::sync::Arc;
    use tower_lsp_server::ls_types::Uri;

    fn snap(path: &str, text: &str) -> Snapshot {
        let doc = Arc::new(Document::new(text, 1));
        let analysis = Arc::new(analyze(
            text,
            Some(path),
            &Options::default(),
            &FakeHost::linux(),
        ));
        Snapshot {
            uri: Uri::from_str(&format!("file://{path}")).unwrap(),
            doc,
            analysis,
            rev: 1,
            launch: Vec::new(),
            reports: Default::default(),
            path: Some(path.to_string()),
            options: Options::default(),
        }
    }

    fn labels(path: &str, text: &str) -> Vec<String> {
        let s = snap(path, text);
        complete(&s, text.len(), true)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    fn edit_of(path: &str, text: &str, label: &str) -> (Range, String) {
        let s = snap(path, text);
        let it = complete(&s, text.len(), true)
            .into_iter()
            .find(|i| i.label == label)
            .unwrap_or_else(|| panic!("no {label}"));
        match it.text_edit.unwrap() {
            CompletionTextEdit::Edit(e) => (e.range, e.new_text),
            CompletionTextEdit::InsertAndReplace(_) => unreachable!(),
        }
    }

    #[test]
    fn catalogue_loads() {
        assert!(catalog().len() >= 15);
        assert!(
            catalog()
                .iter()
                .any(|e| e.package == "@modelcontextprotocol/server-github"
                    && e.env == ["GITHUB_PERSONAL_ACCESS_TOKEN"])
        );
    }

    #[test]
    fn keys_in_a_half_typed_entry() {
        let text = r#"{"mcpServers": {"x": {"com"#;
        let l = labels("/p/.cursor/mcp.json", text);
        assert!(l.contains(&"command".to_string()), "{l:?}");
        assert!(l.contains(&"env".to_string()));
        let (range, new_text) = edit_of("/p/.cursor/mcp.json", text, "command");
        assert_eq!(range.start.character, 22);
        assert_eq!(range.end.character, 26);
        assert_eq!(new_text, "\"command\": \"$1\"");
    }

    #[test]
    fn present_keys_are_skipped_even_after_the_cursor() {
        let text = "{\"mcpServers\": {\"x\": {\"\", \"args\": [], \"command\": \"npx\"}}}";
        let s = snap("/p/.mcp.json", text);
        let at = text.find("\"\"").unwrap() + 1;
        let l: Vec<String> = complete(&s, at, true)
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert!(l.contains(&"env".to_string()), "{l:?}");
        assert!(!l.contains(&"args".to_string()) && !l.contains(&"command".to_string()));
    }

    #[test]
    fn packages_after_npx_in_half_typed_args() {
        let text = r#"{"mcpServers": {"x": {"command": "npx", "args": ["-y", ""#;
        let l = labels("/p/.cursor/mcp.json", text);
        assert!(
            l.contains(&"@modelcontextprotocol/server-filesystem".to_string()),
            "{l:?}"
        );
        assert!(!l.contains(&"-y".to_string()));
        assert!(!l.contains(&"mcp-server-time".to_string()));
        // Also when the rest of the file follows and the parser cannot repair it.
        let text2 = format!("{text}\n}}}}}}");
        let s = snap("/p/.cursor/mcp.json", &text2);
        let l2: Vec<String> = complete(&s, text.len(), true)
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert!(l2.contains(&"@upstash/context7-mcp".to_string()), "{l2:?}");
        let uvx = r#"{"mcpServers": {"t": {"command": "uvx", "args": [""#;
        assert!(labels("/p/.mcp.json", uvx).contains(&"mcp-server-time".to_string()));
    }

    #[test]
    fn whole_server_snippets_use_the_dialects_reference_syntax() {
        let text = r#"{"mcpServers": {"gi"#;
        let (_, cursor) = edit_of("/p/.cursor/mcp.json", text, "github");
        assert_eq!(
            cursor,
            r#""github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${1:\${env:GITHUB_PERSONAL_ACCESS_TOKEN\}}" } }"#
        );
        let (_, desktop) = edit_of("/p/claude_desktop_config.json", text, "github");
        assert!(
            desktop.ends_with(r#""GITHUB_PERSONAL_ACCESS_TOKEN": "${1}" } }"#),
            "{desktop}"
        );
        let vs = "{\"servers\": {\"gi";
        let (_, vscode) = edit_of("/p/.vscode/mcp.json", vs, "github");
        assert!(
            vscode.starts_with(r#""github": { "type": "stdio", "command": "npx""#),
            "{vscode}"
        );
        // Plain text for clients without snippets, still valid JSON.
        let s = snap("/p/claude_desktop_config.json", text);
        let it = complete(&s, text.len(), false)
            .into_iter()
            .find(|i| i.label == "filesystem")
            .unwrap();
        let CompletionTextEdit::Edit(e) = it.text_edit.unwrap() else {
            unreachable!()
        };
        let json: serde_json::Value = serde_json::from_str(&format!("{{{}}}", e.new_text)).unwrap();
        assert_eq!(json["filesystem"]["args"][2], "/path/to/allowed/dir");
    }

    #[test]
    fn values_env_keys_and_inputs() {
        let l = labels("/p/.vscode/mcp.json", r#"{"servers": {"x": {"type": ""#);
        assert_eq!(l, ["stdio", "http", "sse"]);
        let env = r#"{"mcpServers": {"g": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-slack"], "env": {"SLACK_TEAM_ID": "T1", ""#;
        assert_eq!(labels("/p/.mcp.json", env), ["SLACK_BOT_TOKEN"]);
        let bare = &env[..env.len() - 1];
        let (_, t) = edit_of("/p/.mcp.json", bare, "SLACK_BOT_TOKEN");
        assert_eq!(t, r#""SLACK_BOT_TOKEN": "${1:\${SLACK_BOT_TOKEN\}}""#);
        let inputs = r#"{"inputs": [{"id": "tok", "type": "promptString"}], "servers": {"x": {"command": "npx", "env": {"K": "${in"#;
        let (range, text) = edit_of("/p/.vscode/mcp.json", inputs, "${input:tok}");
        assert_eq!(text, "${input:tok}");
        assert_eq!(range.end.character - range.start.character, 4);
        assert!(labels("/p/.vscode/mcp.json", r#"{"servers": {"x": {"disabled": "#).is_empty());
        let l = labels(
            "/p/cline_mcp_settings.json",
            r#"{"mcpServers": {"x": {"disabled": "#,
        );
        assert_eq!(l, ["true", "false"]);
    }

    #[test]
    fn top_level_and_edge_positions() {
        assert!(labels("/p/.vscode/mcp.json", r#"{""#).contains(&"inputs".to_string()));
        assert_eq!(labels("/p/.mcp.json", ""), ["mcpServers"]);
        assert!(labels("/p/.mcp.json", "{// comment").is_empty());
        assert!(labels("/p/.mcp.json", "{\"mcpServers\" ").is_empty());
        // Offsets past the end or inside a character are clamped, not trusted.
        let s = snap("/p/.mcp.json", "{\"é");
        for it in complete(&s, 3, true) {
            let Some(CompletionTextEdit::Edit(e)) = it.text_edit else {
                unreachable!()
            };
            assert_eq!((e.range.start.character, e.range.end.character), (1, 2));
        }
        assert!(
            complete(&s, 999, true)
                .iter()
                .any(|i| i.label == "mcpServers")
        );
    }

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(snippet_to_plain(r#""$1""#), r#""""#);
        assert_eq!(snippet_to_plain(r#""${1:\${env:X\}}""#), r#""${env:X}""#);
        assert_eq!(
            snippet_to_plain(r#""${1|stdio,http|}", x"#),
            r#""stdio", x"#
        );
        assert_eq!(snippet_to_plain("{\n\t$0\n}"), "{\n\t\n}");
    }
}
