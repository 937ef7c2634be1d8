//! The whole analysis on structure-aware inputs: a real config (one of the
//! examples) or a tree built from the keys and values clients use, written
//! out with or without comments, trailing commas and line breaks, then cut
//! and spliced like a person typing. The first byte picks the path (so the
//! dialect), the host OS and the environment mode.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

const EXAMPLES: &[&str] = &[
    include_str!("../../examples/claude-code/.mcp.json"),
    include_str!("../../examples/claude-desktop/claude_desktop_config.json"),
    include_str!("../../examples/cline/cline_mcp_settings.json"),
    include_str!("../../examples/cursor/.cursor/mcp.json"),
    include_str!("../../examples/gemini/.gemini/settings.json"),
    include_str!("../../examples/generic/mcp.json"),
    include_str!("../../examples/roo/.roo/mcp.json"),
    include_str!("../../examples/vscode/.vscode/mcp.json"),
    include_str!("../../examples/windsurf/.codeium/windsurf/mcp_config.json"),
    include_str!("../../examples/zed/.zed/settings.json"),
];

const KEYS: &[&str] = &[
    "mcpServers",
    "servers",
    "context_servers",
    "mcp_servers",
    "projects",
    "inputs",
    "command",
    "args",
    "env",
    "url",
    "serverUrl",
    "httpUrl",
    "type",
    "transportType",
    "headers",
    "cwd",
    "envFile",
    "disabled",
    "enabled",
    "id",
    "password",
    "description",
    "timeout",
    "trust",
    "alwaysAllow",
    "autoApprove",
    "settings",
    "source",
    "oauth",
    "auth_provider_type",
    "PATH",
    "GITHUB_PERSONAL_ACCESS_TOKEN",
    "Authorization",
    "API_KEY",
    "enviroment",
    "comand",
];

const VALUES: &[&str] = &[
    "npx",
    "uvx",
    "node",
    "python3",
    "docker",
    "cmd",
    "/c",
    "-y",
    "-e",
    "--api-key=sk-abc",
    "/usr/bin/env",
    "C:\\Program Files\\nodejs\\npx.cmd",
    "C:\\Users\\me\\srv.exe",
    "~/srv.js",
    "./srv",
    "npx -y pkg",
    " npx",
    "@modelcontextprotocol/server-github",
    "mcp/github:latest",
    "mcp-server-time==1.0",
    "${env:HOME}",
    "${env:NOPE}",
    "${HOME}",
    "$HOME",
    "${NOPE:-x}",
    "${input:tok}",
    "${workspaceFolder}/x",
    "${userHome}",
    "https://mcp.example.com/mcp",
    "https://mcp.example.com",
    "http://0.0.0.0:8000/sse",
    "http://u:p@h/mcp?token=abc123def",
    "not a url",
    "Bearer ${env:TOKEN}",
    "a8f3k2m8q1z7x4c6v0b5n2",
    "ghp_R4nd0mT0k3nV4lu3Xq9Zz8Yy7Ww6Vv5Uu4Tt",
    "YOUR_API_KEY",
    "<token>",
    "sk-...",
    "",
    "stdio",
    "http",
    "sse",
    "streamable-http",
    "streamableHttp",
    "promptString",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "/home/me/p/.env",
    "é日😀",
];

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "'",
    "\\",
    "//",
    "/*",
    "*/",
    "\n",
    "\r\n",
    " ",
    "\t",
    "\u{feff}",
    "true",
    "null",
    "0x1F",
    "01",
    "-",
    ".5",
    "\"command\": ",
    "\"args\": [",
    "\"env\": {",
    "\"url\": \"",
    "${",
    "${env:",
    "}\"",
    ",}",
    ",]",
];

#[derive(Arbitrary, Debug)]
struct Input {
    selector: u8,
    cursor: u16,
    seed: Seed,
    format: Format,
    edits: Vec<Edit>,
}

#[derive(Arbitrary, Debug)]
enum Seed {
    Example(u8),
    Built(Node),
}

#[derive(Arbitrary, Debug)]
enum Node {
    Object(Vec<(Word, Node)>),
    Array(Vec<Node>),
    Str(Word),
    Number(i32),
    Float(f32),
    Bool(bool),
    Null,
}

#[derive(Arbitrary, Debug)]
enum Word {
    Known(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Format {
    pretty: bool,
    trailing_commas: bool,
    comments: bool,
}

#[derive(Arbitrary, Debug)]
enum Edit {
    Insert { at: u16, piece: Piece },
    Delete { at: u16, len: u8 },
    Copy { from: u16, len: u8, to: u16 },
}

#[derive(Arbitrary, Debug)]
enum Piece {
    Known(u8),
    Raw(String),
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

fn word(w: &Word, list: &[&str]) -> String {
    match w {
        Word::Known(i) => pick(list, *i).to_string(),
        Word::Raw(s) => s.clone(),
    }
}

fn write(node: &Node, f: &Format, depth: usize, out: &mut String) {
    let nl = |out: &mut String, d: usize| {
        if f.pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(d));
        }
    };
    match node {
        Node::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                if f.comments && i == 0 {
                    out.push_str("// note\n");
                }
                out.push_str(&serde_json_string(&word(k, KEYS)));
                out.push_str(": ");
                write(v, f, depth + 1, out);
            }
            if f.trailing_commas && !members.is_empty() {
                out.push(',');
            }
            nl(out, depth);
            out.push('}');
        }
        Node::Array(elements) => {
            out.push('[');
            for (i, e) in elements.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(e, f, depth + 1, out);
            }
            if f.trailing_commas && !elements.is_empty() {
                out.push(',');
            }
            out.push(']');
        }
        Node::Str(w) => out.push_str(&serde_json_string(&word(w, VALUES))),
        Node::Number(n) => out.push_str(&n.to_string()),
        Node::Float(x) if x.is_finite() => out.push_str(&x.to_string()),
        Node::Float(_) => out.push_str("1e400"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Null => out.push_str("null"),
    }
}

/// A JSON string literal; every backslash is left single so that Windows
/// paths also appear with invalid escapes, as people write them.
fn serde_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn clamp(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|input: Input| {
    let mut text = match &input.seed {
        Seed::Example(i) => EXAMPLES[usize::from(*i) % EXAMPLES.len()].to_string(),
        Seed::Built(node) => {
            let mut out = String::new();
            if input.format.comments {
                out.push_str("// mcp servers\n");
            }
            write(node, &input.format, 0, &mut out);
            out
        }
    };
    for edit in input.edits.iter().take(16) {
        match edit {
            Edit::Insert { at, piece } => {
                let at = clamp(&text, usize::from(*at));
                let s = match piece {
                    Piece::Known(i) => pick(PIECES, *i).to_string(),
                    Piece::Raw(s) => s.clone(),
                };
                text.insert_str(at, &s);
            }
            Edit::Delete { at, len } => {
                let a = clamp(&text, usize::from(*at));
                let b = clamp(&text, a + usize::from(*len));
                text.replace_range(a..b, "");
            }
            Edit::Copy { from, len, to } => {
                let a = clamp(&text, usize::from(*from));
                let b = clamp(&text, a + usize::from(*len));
                let piece = text[a..b].to_string();
                let to = clamp(&text, usize::from(*to));
                text.insert_str(to, &piece);
            }
        }
    }
    common::exercise(&text, input.selector, usize::from(input.cursor));
});
