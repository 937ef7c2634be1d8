//! Generated configs shared by the benchmarks and benches/compare.
#![allow(dead_code)] // each includer uses a part of it

use mcp_config_lsp::host::FakeHost;

/// Entries written by hand are one-liners; those of large generated or
/// shared team configs are pretty-printed and carry more arguments and env.
const HAND_WRITTEN: usize = 40;

/// A realistic Cursor config with `n` servers: stdio and remote, env keys, a
/// few mistakes. The first 40 entries are short one-line entries as people
/// write them (~75 bytes each), later ones longer pretty-printed entries
/// (~200 bytes each): 40 servers are about 3 KB, 6000 about 1.2 MB.
pub fn cursor_config(n: usize) -> String {
    let mut s = String::from("{\n  \"mcpServers\": {\n");
    for i in 0..n {
        let entry = if i < HAND_WRITTEN {
            hand_written(i)
        } else {
            generated(i)
        };
        s.push_str(&entry);
        s.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    s.push_str("  }\n}\n");
    s
}

fn hand_written(i: usize) -> String {
    match i % 6 {
        0 => format!(
            "    \"fs-{i}\": {{\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"]}}"
        ),
        1 => format!("    \"time-{i}\": {{\"command\": \"uvx\", \"args\": [\"mcp-server-time\"]}}"),
        2 => format!("    \"remote-{i}\": {{\"url\": \"https://mcp.example.com/mcp\"}}"),
        3 => format!(
            "    \"gh-{i}\": {{\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"]}}"
        ),
        4 => format!(
            "    \"py-{i}\": {{\"command\": \"python3\", \"args\": [\"-m\", \"srv\"], \"enviroment\": {{\"LOG\": \"1\"}}}}"
        ),
        _ => format!(
            "    \"api-{i}\": {{\"url\": \"https://api.example.com/mcp\", \"headers\": {{\"Authorization\": \"Bearer ${{env:TOKEN}}\"}}}}"
        ),
    }
}

fn generated(i: usize) -> String {
    match i % 5 {
        0 => format!(
            r#"    "github-{i}": {{
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {{
        "GITHUB_PERSONAL_ACCESS_TOKEN": "${{env:GITHUB_TOKEN}}",
        "GITHUB_API_URL": "https://api.github.com"
      }}
    }}"#
        ),
        1 => format!(
            r#"    "postgres-{i}": {{
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "DATABASE_URL", "mcp/postgres"],
      "env": {{ "DATABASE_URL": "postgresql://localhost:5432/app" }}
    }}"#
        ),
        2 => format!(
            r#"    "linear-{i}": {{
      "url": "https://mcp.linear.app/mcp",
      "headers": {{
        "Authorization": "Bearer ${{env:TOKEN}}",
        "X-Team": "platform"
      }}
    }}"#
        ),
        3 => format!(
            r#"    "notes-{i}": {{
      "command": "/usr/bin/python3",
      "args": ["-m", "notes_server", "--root", "/home/me/notes", "--log", "info"],
      "env": {{ "PYTHONUNBUFFERED": "1", "NOTES_MODE": "readonly" }}
    }}"#
        ),
        _ => format!(
            r#"    "search-{i}": {{
      "command": "uvx",
      "args": ["mcp-server-fetch", "--ignore-robots-txt", "--user-agent", "bot"],
      "enviroment": {{ "LOG_LEVEL": "debug" }}
    }}"#
        ),
    }
}

/// The machine the benchmarks pretend to run on: commands installed, variables set.
pub fn host() -> FakeHost {
    FakeHost::linux()
        .with_env("GITHUB_TOKEN", "x")
        .with_env("TOKEN", "x")
}
