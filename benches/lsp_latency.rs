//! LSP latency over a real pipe, against the built binary: a keystroke (an
//! incremental `didChange`) → the diagnostics of that text (the answer to a
//! pull sent after it; an edit that changes none publishes nothing), on
//! the 3 KB and the 1.2 MB config and on a 5.3 MB `~/.claude.json` (typing
//! in a prompt of its history); whether a keystroke costs more with many
//! large documents open; the server's resident memory (VmRSS) idle with one
//! file open and after 10 000 edits.
//!
//! Run: `cargo bench --bench lsp_latency` (prints a table). The latency
//! includes the server's wait for more keystrokes (as long as the document's
//! last analysis took, at most 40 ms) and the client's reading of the
//! notification.

#[path = "generate.rs"]
mod generate;
#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::{TestClient, pos, spawn_server};
use tokio::process::Child;

struct Server {
    client: TestClient,
    child: Child,
}

/// A push client that shows related information, as VS Code and Neovim
/// do: the same problem at many places is one diagnostic (`lsp/group.rs`).
async fn start() -> Server {
    let (mut client, child) = spawn_server();
    let caps = json!({"textDocument": {"publishDiagnostics": {"relatedInformation": true}}});
    client.initialize(caps, Value::Null).await;
    Server { client, child }
}

/// Resident memory from Linux's /proc; 0 (not measured) elsewhere.
#[cfg(not(target_os = "linux"))]
fn rss_kb(_pid: u32) -> u64 {
    0
}

#[cfg(target_os = "linux")]
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn uri(i: usize) -> String {
    format!("file:///tmp/bench-{i}/.cursor/mcp.json")
}

/// Where a keystroke goes: inside the first server's name, which keeps the file valid.
fn keystroke_at(text: &str) -> Value {
    keystroke_in(text, "\"fs-0\"")
}

/// Inside the string `needle` (quotes included) first starts.
fn keystroke_in(text: &str, needle: &str) -> Value {
    let at = text.find(needle).expect("the needle is in the text") + 3;
    pos(text, at)
}

/// Asks for `uri`'s diagnostics (`textDocument/diagnostic`). The answer
/// waits for the analysis of the text as the server has it, and carries the
/// diagnostics the server would publish: an edit that changes none publishes
/// nothing, so a pull is what shows that the server has caught up.
async fn pulled(s: &mut Server, uri: &str) {
    s.client
        .call(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
}

/// `n` keystrokes (type a character, delete it, ...), each timed until a
/// pull sent right after it is answered: the latencies in ms.
async fn keystrokes(
    s: &mut Server,
    uri: &str,
    at: Value,
    first_version: i32,
    n: usize,
) -> Vec<f64> {
    let mut after = at.clone();
    after["character"] = json!(at["character"].as_u64().unwrap() + 1);
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let version = first_version + k as i32;
        let start = Instant::now();
        if k % 2 == 0 {
            s.client
                .change(uri, version, json!({"start": at, "end": at}), "x")
                .await;
        } else {
            s.client
                .change(uri, version, json!({"start": at, "end": after}), "")
                .await;
        }
        pulled(s, uri).await;
        out.push(start.elapsed().as_secs_f64() * 1e3);
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn row(name: &str, bytes: usize, mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let (p50, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
    println!(
        "| {name} | {:.1} KB | {} | {p50:.1} ms | {p99:.1} ms |",
        bytes as f64 / 1024.0,
        ms.len(),
    );
    (p50, p99)
}

#[tokio::main]
async fn main() {
    // `cargo test --benches` runs this with `--bench` absent: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n = if quick { 4 } else { 200 };
    let small = generate::cursor_config(40);
    let large = generate::cursor_config(6000);

    println!("| file | size | keystrokes | p50 | p99 |");
    println!("|---|---|---|---|---|");

    // One document open.
    let mut s = start().await;
    let pid = s.child.id().unwrap();
    s.client.open(&uri(0), "json", &small).await;
    s.client
        .diagnostics_where(&uri(0), |p| p["version"] == 1)
        .await;
    let ms = keystrokes(&mut s, &uri(0), keystroke_at(&small), 2, n).await;
    row("40 servers", small.len(), ms);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle_kb = rss_kb(pid);

    // Three rounds of 10 000 edits: rapid, with a pause for diagnostics every
    // 100. Growth shows as rounds that each end higher than the last.
    let edits = if quick { 200 } else { 10_000 };
    let at = keystroke_at(&small);
    let mut version = 2 + n as i32;
    let mut after_kb = Vec::new();
    for _round in 0..3 {
        for k in 0..edits {
            let (range, text) = if k % 2 == 0 {
                (json!({"start": at, "end": at}), "x")
            } else {
                let mut after = at.clone();
                after["character"] = json!(at["character"].as_u64().unwrap() + 1);
                (json!({"start": at, "end": after}), "")
            };
            s.client.change(&uri(0), version, range, text).await;
            if k % 100 == 99 {
                pulled(&mut s, &uri(0)).await;
            }
            version += 1;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        after_kb.push(rss_kb(pid));
    }
    s.client.shutdown_and_exit().await;
    let _ = s.child.wait().await;

    // The 1.2 MB file alone, then with 9 more copies of it open.
    let mut s = start().await;
    let pid = s.child.id().unwrap();
    s.client.open(&uri(0), "json", &large).await;
    s.client
        .diagnostics_where(&uri(0), |p| p["version"] == 1)
        .await;
    let large_n = if quick { 2 } else { n };
    let alone = keystrokes(&mut s, &uri(0), keystroke_at(&large), 2, large_n).await;
    let (alone_p50, _) = row("6000 servers", large.len(), alone);
    let large_kb = rss_kb(pid);
    let others = if quick { 2 } else { 9 };
    for i in 1..=others {
        s.client.open(&uri(i), "json", &large).await;
        s.client
            .diagnostics_where(&uri(i), |p| p["version"] == 1)
            .await;
    }
    let crowded = keystrokes(
        &mut s,
        &uri(0),
        keystroke_at(&large),
        2 + large_n as i32,
        large_n,
    )
    .await;
    let (crowded_p50, _) = row(
        &format!("6000 servers, {} open", others + 1),
        large.len(),
        crowded,
    );
    let crowded_kb = rss_kb(pid);
    s.client.shutdown_and_exit().await;
    let _ = s.child.wait().await;

    // ~/.claude.json: typing in a prompt of a project's history.
    let claude = generate::claude_json(300, 60);
    let claude_uri = "file:///tmp/bench-claude/.claude.json";
    let mut s = start().await;
    let pid = s.child.id().unwrap();
    let before_claude_kb = rss_kb(pid);
    s.client.open(claude_uri, "json", &claude).await;
    s.client
        .diagnostics_where(claude_uri, |p| p["version"] == 1)
        .await;
    let claude_kb = rss_kb(pid);
    // Typing in a prompt changes no diagnostic: nothing is published.
    let at = keystroke_in(&claude, "\"/compact\"");
    let ms = keystrokes(&mut s, claude_uri, at, 2, n).await;
    let published = s
        .client
        .collect(
            "textDocument/publishDiagnostics",
            Duration::from_millis(300),
        )
        .await;
    row(
        "~/.claude.json, 300 projects × 60 prompts",
        claude.len(),
        ms,
    );
    println!(
        "(diagnostics published during those keystrokes: {})",
        published.len()
    );
    s.client.shutdown_and_exit().await;
    let _ = s.child.wait().await;

    println!();
    println!("| server memory (VmRSS) | |");
    println!("|---|---|");
    println!(
        "| idle, the 3 KB file open | {:.1} MB |",
        idle_kb as f64 / 1024.0
    );
    for (round, kb) in after_kb.iter().enumerate() {
        println!(
            "| after {} edits of it | {:.1} MB |",
            edits * (round + 1),
            *kb as f64 / 1024.0
        );
    }
    println!(
        "| the 1.2 MB file open | {:.1} MB |",
        large_kb as f64 / 1024.0
    );
    println!(
        "| {} copies of the 1.2 MB file open | {:.1} MB |",
        others + 1,
        crowded_kb as f64 / 1024.0
    );
    println!(
        "| a new server, no file open | {:.1} MB |",
        before_claude_kb as f64 / 1024.0
    );
    let added = claude_kb.saturating_sub(before_claude_kb) as f64 * 1024.0;
    println!(
        "| the same with the 5.3 MB ~/.claude.json open | {:.1} MB (+{:.1} MB, {:.1}× the file's size) |",
        claude_kb as f64 / 1024.0,
        added / (1024.0 * 1024.0),
        added / claude.len() as f64
    );
    println!();
    println!(
        "keystroke p50 with {} large documents open / with one: {:.2}",
        others + 1,
        crowded_p50 / alone_p50
    );
}
