//! Times full analysis of config files (used by benches/compare/run.sh),
//! generates a Cursor config with N servers (`--generate N`), or analyses a
//! file exactly N times (`--count N FILE`, for `valgrind --tool=callgrind`).

use mcp_config_lsp::analysis::{Options, analyze};

/// The allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};

#[path = "../generate.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--generate") {
        let n = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(40);
        print!("{}", generate::cursor_config(n));
        return;
    }
    let host = generate::host();
    let opts = Options::default();
    if args.first().map(String::as_str) == Some("--count") {
        let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
        let text = std::fs::read_to_string(&args[2]).expect("readable file");
        for _ in 0..n {
            std::hint::black_box(analyze(&text, Some("/p/.cursor/mcp.json"), &opts, &host));
        }
        return;
    }
    for file in &args {
        let Ok(text) = std::fs::read_to_string(file) else {
            eprintln!("cannot read {file}");
            std::process::exit(2);
        };
        let path = "/p/.cursor/mcp.json";
        let mut findings = 0;
        for _ in 0..20 {
            findings = analyze(&text, Some(path), &opts, &host).findings.len();
        }
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_secs(2) || n < 10 {
            std::hint::black_box(analyze(&text, Some(path), &opts, &host));
            n += 1;
        }
        let mean_us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!(
            "{{\"file\":{file:?},\"bytes\":{},\"iterations\":{n},\"meanUs\":{mean_us},\"findings\":{findings}}}",
            text.len()
        );
    }
}
