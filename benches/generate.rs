//! Generated configs shared by the benchmarks and benches/compare.

use mcp_config_lsp::host::FakeHost;

/// A realistic Cursor config with `n` servers: stdio and remote, env keys, a few mistakes.
pub fn cursor_config(n: usize) -> String {
    let mut s = String::from("{\n  \"mcpServers\": {\n");
    for i in 0..n {
        let entry = match i % 5 {
            0 => format!(
                "    \"fs-{i}\": {{ \"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"] }}"
            ),
            1 => format!(
                "    \"gh-{i}\": {{ \"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"], \"env\": {{ \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"${{env:GITHUB_TOKEN}}\" }} }}"
            ),
            2 => format!(
                "    \"time-{i}\": {{ \"command\": \"uvx\", \"args\": [\"mcp-server-time\", \"--local-timezone=Europe/Paris\"] }}"
            ),
            3 => format!(
                "    \"remote-{i}\": {{ \"url\": \"https://mcp.example.com/mcp\", \"headers\": {{ \"Authorization\": \"Bearer ${{env:TOKEN}}\" }} }}"
            ),
            _ => format!(
                "    \"py-{i}\": {{ \"command\": \"python3\", \"args\": [\"-m\", \"my_server\"], \"enviroment\": {{ \"LOG\": \"1\" }} }}"
            ),
        };
        s.push_str(&entry);
        s.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    s.push_str("  }\n}\n");
    s
}

/// The machine the benchmarks pretend to run on: commands installed, variables set.
pub fn host() -> FakeHost {
    FakeHost::linux()
        .with_env("GITHUB_TOKEN", "x")
        .with_env("TOKEN", "x")
}
