//! Secrets planted in configs of several clients never appear in what the
//! built CLI prints, in any output format (they may appear redacted:
//! the first 4 characters and the length).

use assert_cmd::Command;
use std::path::Path;

const GITHUB: &str = "ghp_R4nd0mT0k3nV4lu3Xq9Zz8Yy7Ww6Vv5Uu4Tt";
const STRIPE: &str = "sk_live_51H8x2CJ3kLmNoPqRsTuVwXyZ0a1b2";
const TAVILY: &str = "tvly-dev-Zq3k9XbV7mN2pL5wR8tY1uC4";
const SLACK: &str = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
const AWS: &str = "AKIAZ7Q4XW2LMN8PRT5V";
const OPENAI: &str = "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe";
const PASSWORD: &str = "Tr0ub4dor-and-3-horses";
const SERVICE: &str = "q8Z3v9XkLm2Pn4Rt7Wy1";
const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

const ALL: &[&str] = &[
    GITHUB, STRIPE, TAVILY, SLACK, AWS, OPENAI, PASSWORD, SERVICE, JWT,
];

fn write(dir: &Path, rel: &str, text: &str) -> String {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn planted(dir: &Path) -> Vec<String> {
    vec![
        write(
            dir,
            "project/.cursor/mcp.json",
            &format!(
                r#"{{
  "mcpServers": {{
    "github": {{ "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {{ "GITHUB_PERSONAL_ACCESS_TOKEN": "{GITHUB}", "MY_SERVICE_TOKEN": "{SERVICE}" }} }},
    "stripe": {{ "command": "npx", "args": ["-y", "@stripe/mcp", "--tools=all", "--api-key={STRIPE}"] }},
    "tavily": {{ "url": "https://mcp.tavily.com/mcp/?tavilyApiKey={TAVILY}" }},
    "private": {{ "url": "http://admin:{PASSWORD}@mcp.example.com/mcp" }}
  }}
}}"#
            ),
        ),
        write(
            dir,
            "project/.mcp.json",
            &format!(
                r#"{{"mcpServers": {{
  "copilot": {{"type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": {{"Authorization": "{GITHUB}", "X-Session": "{JWT}"}}}},
  "aws": {{"command": "uvx", "args": ["awslabs.core-mcp-server"], "env": {{"AWS_ACCESS_KEY_ID": "{AWS}", "OPENAI_API_KEY": "{OPENAI}"}}}}
}}}}"#
            ),
        ),
        write(
            dir,
            "Claude/claude_desktop_config.json",
            &format!(
                r#"{{"mcpServers": {{
  "slack": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-slack"], "env": {{"SLACK_BOT_TOKEN": "{SLACK}", "SLACK_TEAM_ID": "T01234567"}}}},
  "remote": {{"url": "https://mcp.example.com/mcp", "headers": {{"Authorization": "Bearer {OPENAI}"}}}}
}}}}"#
            ),
        ),
        write(
            dir,
            "project/.vscode/mcp.json",
            &format!(
                r#"{{"servers": {{"gh": {{"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github", "--token", "{GITHUB}"], "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{GITHUB}"}}}}}}}}"#
            ),
        ),
    ]
}

#[test]
fn no_output_format_prints_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let files = planted(dir.path());
    for format in ["human", "json", "sarif", "github"] {
        let output = Command::cargo_bin("mcp-config-lsp")
            .unwrap()
            .args(["check", "--format", format])
            .args(&files)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stdout.contains("secret/plaintext"),
            "{format}: the planted secrets were not even found:\n{stdout}"
        );
        for secret in ALL {
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "{format} output contains {secret}:\n{stdout}\n{stderr}"
            );
        }
        assert!(stdout.contains("ghp_…(40 chars)"), "{format}: {stdout}");
    }
}
