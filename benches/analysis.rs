//! Full analysis (parse → model → every rule) with a scripted host, on
//! configs of growing size. Run: `cargo bench --bench analysis`.

use mcp_config_lsp::analysis::{Options, analyze};

#[path = "generate.rs"]
mod generate;

use generate::{cursor_config as config, host};

fn main() {
    divan::main();
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
