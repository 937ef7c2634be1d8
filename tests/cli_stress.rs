//! `check` on files no client config should ever be: huge, absurdly deep,
//! a million servers, or as large as analysis accepts. Each ends in bounded
//! time (the timeouts are hang guards, not speed assertions) and memory
//! with a clear finding or error, never a crash. NUL bytes, invalid UTF-8,
//! `/dev/zero` and FIFOs are covered in `tests/cli.rs`.
#![cfg(unix)] // its files name `/bin/sh` as the server

use assert_cmd::Command;
use predicates::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Far longer than any of these takes; only there so a hang fails the test.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn bin() -> Command {
    let mut c = Command::cargo_bin("mcp-config-lsp").unwrap();
    c.env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .timeout(HANG_GUARD);
    c
}

fn write(dir: &Path, rel: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// The largest resident set of any child process waited for so far, in MiB.
#[cfg(unix)]
fn children_peak_rss_mib() -> f64 {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    usage.max_rss() as f64 / 1024.0 // kilobytes on Linux
}

/// Not measured where there is no getrusage (Windows).
#[cfg(not(unix))]
fn children_peak_rss_mib() -> f64 {
    0.0
}

/// Peak memory of the checker is bounded: by the file size for what it
/// reads, and not at all by what it refuses.
const PEAK_RSS_LIMIT_MIB: f64 = 1024.0;

#[test]
fn a_50_mb_file_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("{\"mcpServers\": {\"a\": {\"command\": \"npx\", \"args\": [\"");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push_str("\"]}}}");
    let p = write(dir.path(), ".cursor/mcp.json", text.as_bytes());
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("File too large (52.4 MB)"));
    assert!(children_peak_rss_mib() < PEAK_RSS_LIMIT_MIB);
}

#[test]
fn a_million_servers_are_over_the_cap_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("{\"mcpServers\": {\n");
    for i in 0..1_000_000 {
        if i > 0 {
            text.push_str(",\n");
        }
        write!(
            text,
            "  \"s{i}\": {{\"command\": \"npx\", \"args\": [\"-y\", \"pkg-{i}\"]}}"
        )
        .unwrap();
    }
    text.push_str("\n}}\n");
    assert!(text.len() > 16 * 1024 * 1024);
    let p = write(dir.path(), ".cursor/mcp.json", text.as_bytes());
    bin().arg("check").arg(&p).assert().code(2).stderr(
        predicate::str::contains("File too large")
            .and(predicate::str::contains("no MCP config is this large")),
    );
}

#[test]
fn a_file_just_under_the_cap_is_analysed_in_bounded_time_and_memory() {
    // ~15 MiB: 420 000 servers whose command exists, so nothing is printed per server.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("{\"mcpServers\": {\n");
    let mut i = 0;
    while text.len() < 15 * 1024 * 1024 {
        if i > 0 {
            text.push_str(",\n");
        }
        write!(text, "  \"server-{i}\": {{\"command\": \"/bin/sh\"}}").unwrap();
        i += 1;
    }
    text.push_str("\n}}\n");
    let p = write(dir.path(), ".cursor/mcp.json", text.as_bytes());
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no problems found"));
    let peak = children_peak_rss_mib();
    assert!(
        peak < PEAK_RSS_LIMIT_MIB,
        "checking a 15 MiB file took {peak:.0} MiB"
    );
}

#[test]
fn nesting_100_000_levels_deep_is_a_finding_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    for (name, open, close) in [("arrays", "[", "]"), ("objects", "{\"a\":", "}")] {
        let text = format!(
            "{{\"mcpServers\": {{\"s\": {{\"command\": \"/bin/sh\", \"x\": {}1{}}}}}}}",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let p = write(
            dir.path(),
            &format!("{name}/.cursor/mcp.json"),
            text.as_bytes(),
        );
        bin()
            .args(["check", "--format", "json"])
            .arg(&p)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("Nesting"));
    }
    // Unclosed, too: the repair loop gives up in bounded time.
    let text = "[".repeat(100_000);
    let p = write(dir.path(), "open/.cursor/mcp.json", text.as_bytes());
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[syntax]"));
    assert!(children_peak_rss_mib() < PEAK_RSS_LIMIT_MIB);
}

#[test]
fn a_long_line_of_garbage_and_a_huge_string_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    // 8 MiB on one line with no structure at all.
    let alphabet = b"{[,:'\"x\\ ";
    let garbage: Vec<u8> = (0..8 * 1024 * 1024)
        .map(|i| alphabet[i % alphabet.len()])
        .collect();
    let p = write(dir.path(), "g/.cursor/mcp.json", &garbage);
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[syntax]"));
    // One 10 MiB string value.
    let text = format!(
        "{{\"mcpServers\": {{\"s\": {{\"command\": \"/bin/sh\", \"args\": [\"{}\"]}}}}}}",
        "a".repeat(10 * 1024 * 1024)
    );
    let p = write(dir.path(), "s/.cursor/mcp.json", text.as_bytes());
    bin().arg("check").arg(&p).assert().code(0);
    assert!(children_peak_rss_mib() < PEAK_RSS_LIMIT_MIB);
}
