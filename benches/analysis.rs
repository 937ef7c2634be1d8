//! Full analysis (parse → model → every rule) with a scripted host, on
//! Cursor configs of growing size: 5 servers (0.4 KB), 40 (3.3 KB), 600
//! (117 KB), 2000 (400 KB), 6000 (1.2 MB); and on a `~/.claude.json` of 30
//! and 300 projects × 60 prompts (0.5 and 5.3 MB). Run: `cargo bench --bench analysis`.

use mcp_config_lsp::analysis::{Options, analyze};

/// The allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "generate.rs"]
mod generate;

use generate::{claude_json, cursor_config as config, host};

fn main() {
    divan::main();
}

/// The full analysis of `text` read as the file at `path`, throughput in bytes.
fn full_analysis(bencher: divan::Bencher, text: &str, path: &str) {
    let host = host();
    let opts = Options::default();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| analyze(divan::black_box(text), Some(path), &opts, &host));
}

#[divan::bench(args = [5, 40, 600, 2000, 6000])]
fn analyze_cursor(bencher: divan::Bencher, servers: usize) {
    full_analysis(bencher, &config(servers), "/p/.cursor/mcp.json");
}

#[divan::bench(args = [30, 300])]
fn analyze_claude_json(bencher: divan::Bencher, projects: usize) {
    full_analysis(bencher, &claude_json(projects, 60), "/home/me/.claude.json");
}

#[divan::bench(args = [40, 6000])]
fn parse_only(bencher: divan::Bencher, servers: usize) {
    let text = config(servers);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| mcp_config_lsp::config::parse(divan::black_box(&text)));
}

/// The floor under `parse_only`: jsonc-parser building its AST, nothing else.
#[divan::bench(args = [40, 6000])]
fn jsonc_parser_alone(bencher: divan::Bencher, servers: usize) {
    let text = config(servers);
    let collect = jsonc_parser::CollectOptions {
        comments: jsonc_parser::CommentCollectionStrategy::Off,
        tokens: false,
    };
    bencher.bench(|| {
        jsonc_parser::parse_to_ast(
            divan::black_box(&text),
            &collect,
            &jsonc_parser::ParseOptions::default(),
        )
        .map(|r| r.value.is_some())
    });
}

/// What doctor and the editor pay per server for its client's log: locate,
/// tail-read (256 KiB, the cap), parse, find the last failure, redact. A
/// Claude Desktop per-server file of multi-line records ending in a failure.
#[divan::bench]
fn client_log_last_failure(bencher: divan::Bencher) {
    use mcp_config_lsp::client_logs::{TAIL_BYTES, last_failure};
    let mut log = String::new();
    while log.len() < TAIL_BYTES as usize {
        log.push_str("2025-06-07T10:10:44.177Z [fetch] [info] Message from client: {\"method\":\"tools/call\",\"params\":{\"name\":\"fetch\",\"arguments\":{\"url\":\"https://example.com/?token=abcdef0123456789\"}},\"jsonrpc\":\"2.0\",\"id\":7} { metadata: undefined }\nnpx: installed 57 in 12.39s\n2025-06-07T10:10:44.197Z [fetch] [info] Using MCP server command: npx with args and path: {\n  metadata: {\n    args: [ '-y', 'server' ]\n  }\n}\n");
    }
    log.push_str("2025-06-07T10:10:45.000Z [fetch] [error] spawn npx ENOENT\n");
    let host = mcp_config_lsp::host::FakeHost::macos().with_log(
        "/Users/me/Library/Logs/Claude/mcp-server-fetch.log",
        &log,
        std::time::SystemTime::UNIX_EPOCH,
    );
    let masker = mcp_config_lsp::redact::Masker::default();
    bencher
        .counter(divan::counter::BytesCount::new(TAIL_BYTES))
        .bench(|| {
            last_failure(
                &host,
                mcp_config_lsp::Dialect::ClaudeDesktop,
                divan::black_box("fetch"),
                &masker,
            )
        });
}

/// Codex CLI's TOML: `[mcp_servers.sN]` tables with an `[env]` sub-table each.
fn codex_config(servers: usize) -> String {
    (0..servers)
        .map(|i| {
            format!(
                "[mcp_servers.s{i}]\ncommand = \"npx\"\nargs = [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"]\nstartup_timeout_sec = 60\n\n[mcp_servers.s{i}.env]\nLOG_LEVEL = \"info\"\n\n"
            )
        })
        .collect()
}

/// Goose's YAML: `extensions:` entries in block style.
fn goose_config(servers: usize) -> String {
    let mut text = String::from("extensions:\n");
    for i in 0..servers {
        text.push_str(&format!(
            "  s{i}:\n    type: stdio\n    name: s{i}\n    enabled: true\n    cmd: npx\n    args: [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"]\n    envs:\n      LOG_LEVEL: info\n    timeout: 300\n"
        ));
    }
    text
}

#[divan::bench(args = [40, 2000])]
fn analyze_codex_toml(bencher: divan::Bencher, servers: usize) {
    full_analysis(
        bencher,
        &codex_config(servers),
        "/home/me/.codex/config.toml",
    );
}

#[divan::bench(args = [40, 2000])]
fn analyze_goose_yaml(bencher: divan::Bencher, servers: usize) {
    full_analysis(
        bencher,
        &goose_config(servers),
        "/home/me/.config/goose/config.yaml",
    );
}
