//! Full analysis (parse → model → every rule) with a scripted host, on
//! configs of growing size. Run: `cargo bench --bench analysis`.

use mcp_config_lsp::analysis::{Options, analyze};
use mcp_config_lsp::host::FakeHost;

fn main() {
    divan::main();
}

/// A realistic Cursor config with `n` servers: stdio and remote, env keys, a few mistakes.
pub fn config(n: usize) -> String {
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

fn host() -> FakeHost {
    FakeHost::linux()
        .with_env("GITHUB_TOKEN", "x")
        .with_env("TOKEN", "x")
}

#[divan::bench(args = [5, 40, 400, 4000, 6000])]
fn analyze_cursor(bencher: divan::Bencher, servers: usize) {
    let text = config(servers);
    let host = host();
    let opts = Options::default();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            analyze(
                divan::black_box(&text),
                Some("/p/.cursor/mcp.json"),
                &opts,
                &host,
            )
        });
}

#[divan::bench(args = [40, 6000])]
fn parse_only(bencher: divan::Bencher, servers: usize) {
    let text = config(servers);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| mcp_config_lsp::config::parse(divan::black_box(&text)));
}
