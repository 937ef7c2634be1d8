//! The whole `check` process (start, read, analyse, render, exit) against
//! the built binary, timed as a user would wait for it:
//! - Cursor configs of N, 2N and 4N servers (findings and secret env values
//!   double with them), in every output format: each doubling should about
//!   double the time, never quadruple it; and the whole process on 4N set
//!   against the analysis of the same file inside such a process (as
//!   `MCP_CONFIG_LSP_LOG=debug` logs it): what starting, reading,
//!   rendering and exiting add;
//! - the 5.3 MB `~/.claude.json` of `benches/generate.rs`;
//! - a tree of 10 000 small configs (every core, reports in order).
//!
//! Each figure is the median of repeated runs (the machine is shared).
//! Run: `cargo bench --bench cli` (prints tables).

#[path = "generate.rs"]
mod generate;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const BINARY: &str = env!("CARGO_BIN_EXE_mcp-config-lsp");

/// Median wall time of `check --format FORMAT PATH`, in ms, after a warm-up run.
fn check_ms(format: &str, path: &Path, runs: usize) -> f64 {
    let run = || {
        let start = Instant::now();
        let status = Command::new(BINARY)
            .args(["check", "--format", format])
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the binary runs");
        // 0: nothing wrong, 1: errors found; 2 would be a failure to check.
        assert!(status.code().is_some_and(|c| c < 2), "{status}");
        start.elapsed().as_secs_f64() * 1e3
    };
    median_after_warm_up(runs, run)
}

/// Median time the analysis of `path` takes inside a `check` process, as
/// the process logs it (`analysed PATH in 21.4ms`).
fn analysis_ms(path: &Path, runs: usize) -> f64 {
    let run = || {
        let out = Command::new(BINARY)
            .args(["check", "--format", "json"])
            .arg(path)
            .env("MCP_CONFIG_LSP_LOG", "debug")
            .stdout(Stdio::null())
            .output()
            .expect("the binary runs");
        let log = String::from_utf8_lossy(&out.stderr);
        let took = log
            .lines()
            .find_map(|l| l.split_once("analysed ")?.1.rsplit_once(" in "))
            .map(|(_, t)| t.trim())
            .expect("the analysis is logged");
        duration_ms(took).expect("a duration as Debug prints it")
    };
    median_after_warm_up(runs, run)
}

/// The median of `runs` calls of `run`, after one not counted.
fn median_after_warm_up(runs: usize, mut run: impl FnMut() -> f64) -> f64 {
    run();
    let mut times: Vec<f64> = (0..runs).map(|_| run()).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// `21.4ms`, `950.1µs`, `1.2s` (`Duration`'s `Debug`) in ms.
fn duration_ms(text: &str) -> Option<f64> {
    let units = [("ns", 1e-6), ("µs", 1e-3), ("ms", 1.0), ("s", 1e3)];
    let (number, scale) = units
        .iter()
        .find_map(|(unit, scale)| Some((text.strip_suffix(unit)?, *scale)))?;
    Some(number.parse::<f64>().ok()? * scale)
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick { 1 } else { 15 };
    let dir = tempfile::tempdir().expect("a temporary directory");

    let base = if quick { 250 } else { 1500 };
    let sizes = [base, 2 * base, 4 * base];
    let files: Vec<_> = sizes
        .iter()
        .map(|&n| {
            let path = dir.path().join(format!("servers-{n}")).join(".cursor");
            std::fs::create_dir_all(&path).expect("a directory");
            let path = path.join("mcp.json");
            std::fs::write(&path, generate::cursor_config(n)).expect("written");
            path
        })
        .collect();
    let analysis = analysis_ms(&files[2], runs);
    println!(
        "| format | {} | 2N / N | 4N / 2N | {} servers: whole process / analysis |",
        sizes.map(|n| format!("{n} servers")).join(" | "),
        sizes[2]
    );
    println!("|---|---|---|---|---|---|---|");
    for format in ["human", "json", "sarif", "github"] {
        let ms: Vec<f64> = files.iter().map(|f| check_ms(format, f, runs)).collect();
        println!(
            "| {format} | {:.1} ms | {:.1} ms | {:.1} ms | {:.2} | {:.2} | {:.2} |",
            ms[0],
            ms[1],
            ms[2],
            ms[1] / ms[0],
            ms[2] / ms[1],
            ms[2] / analysis
        );
    }
    println!(
        "\nThe analysis of the {} servers inside a `check` process: {analysis:.1} ms",
        sizes[2]
    );

    let claude = dir.path().join(".claude.json");
    let (projects, prompts) = if quick { (10, 10) } else { (300, 60) };
    let text = generate::claude_json(projects, prompts);
    std::fs::write(&claude, &text).expect("written");
    println!();
    println!("| file | size | `check --format json` |");
    println!("|---|---|---|");
    println!(
        "| ~/.claude.json, {projects} projects × {prompts} prompts | {:.1} KB | {:.1} ms |",
        text.len() as f64 / 1024.0,
        check_ms("json", &claude, runs)
    );

    let many = if quick { 200 } else { 10_000 };
    let tree = dir.path().join("many");
    for i in 0..many {
        let project = tree
            .join(format!("p{:02}", i % 100))
            .join(format!("{i}"))
            .join(".cursor");
        std::fs::create_dir_all(&project).expect("a directory");
        std::fs::write(project.join("mcp.json"), generate::cursor_config(1 + i % 5))
            .expect("written");
    }
    println!(
        "| {many} small Cursor configs in one tree | | {:.0} ms |",
        check_ms("json", &tree, runs.min(5))
    );
}
