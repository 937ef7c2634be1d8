//! Twenty test launches at once, every one of a misbehaving fixture server
//! (hangs, floods stderr, forks a grandchild that ignores SIGTERM, crashes,
//! exits at once, is killed, answers garbage) next to two good ones. Each is
//! classified with the right code, no process outlives its launch (neither
//! the server, nor anything in its process group, nor the grandchildren), and
//! the memory of this process stays bounded while 200 MiB of stderr pour in.

// Process groups, grandchildren and VmHWM are read from Linux's /proc.
#![cfg(target_os = "linux")]

mod common;

use common::*;
use mcp_config_lsp::launch::code;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// For fixtures that never answer.
const HANGS: Duration = Duration::from_secs(6);
/// For fixtures that end or answer by themselves: long enough for twenty
/// Python interpreters to start on a loaded 2-core machine.
const ENDS: Duration = Duration::from_secs(60);

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

/// Live (non-zombie) processes whose process group is `pgid`. Zombies do
/// not count: an orphan's zombie waits for PID 1 to reap it, which some
/// containers never do.
fn live_group_members(pgid: i32) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // After the `(comm)`: state, ppid, pgrp.
            let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
                return false;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            fields.len() > 2 && !matches!(fields[0], "Z" | "X") && fields[2] == pgid.to_string()
        })
        .collect()
}

struct Case {
    mode: &'static str,
    code: &'static str,
    timeout: Duration,
    env: Vec<(String, String)>,
    grandchild_pid_file: Option<PathBuf>,
}

fn case(mode: &'static str, code: &'static str, timeout: Duration) -> Case {
    Case {
        mode,
        code,
        timeout,
        env: base_env(),
        grandchild_pid_file: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_misbehaving_launches_at_once_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for _ in 0..3 {
        cases.push(case("hang", code::TIMEOUT, HANGS));
        cases.push(case("banner-hang", code::STDOUT_POLLUTION, HANGS));
    }
    for i in 0..3 {
        let pid_file = dir.path().join(format!("grandchild-{i}.pid"));
        let mut c = case("fork-hang", code::TIMEOUT, HANGS);
        c.env.push((
            "GRANDCHILD_PID_FILE".into(),
            pid_file.to_string_lossy().into_owned(),
        ));
        c.grandchild_pid_file = Some(pid_file);
        cases.push(c);
    }
    for _ in 0..3 {
        let mut c = case("stderr-flood", code::TIMEOUT, HANGS);
        c.env.push(("FLOOD_MB".into(), "64".into()));
        cases.push(c);
    }
    for _ in 0..2 {
        cases.push(case("crash", code::EXITED, ENDS));
        cases.push(case("exit0", code::EXITED, ENDS));
    }
    cases.push(case("sigkill", code::KILLED, ENDS));
    cases.push(case("old-version", code::VERSION_MISMATCH, ENDS));
    cases.push(case("ok", code::OK, ENDS));
    cases.push(case("ok", code::OK, ENDS));
    assert_eq!(cases.len(), 20);

    let hwm_before = vm_hwm_kb();
    let started = Instant::now();
    let reports = futures_util::future::join_all(cases.iter().map(|c| {
        let spec = stdio_spec(
            &fixture("stdio_server.py"),
            &[c.mode],
            c.env.clone(),
            c.timeout,
        );
        run(spec)
    }))
    .await;
    let took = started.elapsed();

    for (c, r) in cases.iter().zip(&reports) {
        assert_eq!(
            r.diagnosis.code,
            c.code,
            "{} was misclassified:\n{}",
            c.mode,
            show(r)
        );
    }
    // Every launch is over when it reports: the servers, their process
    // groups and the grandchildren (which ignore SIGTERM) are gone.
    let mut leaders = Vec::new();
    for (c, r) in cases.iter().zip(&reports) {
        let pid = r.process.as_ref().and_then(|p| p.pid).expect("a pid") as i32;
        assert!(!is_alive(pid), "{} server {pid} survived", c.mode);
        leaders.push(pid);
        if let Some(file) = &c.grandchild_pid_file {
            let grandchild: i32 = std::fs::read_to_string(file)
                .expect("the fixture wrote its grandchild's pid")
                .trim()
                .parse()
                .unwrap();
            assert!(!is_alive(grandchild), "grandchild {grandchild} survived");
        }
    }
    for pid in leaders {
        let members = live_group_members(pid);
        assert!(
            members.is_empty(),
            "process group {pid} still has members: {members:?}"
        );
    }
    // The stderr floods (3 × 64 MiB) went through bounded buffers: about
    // 2 MiB here; keeping even one flood whole would pass 32.
    let growth_mib = vm_hwm_kb().saturating_sub(hwm_before) as f64 / 1024.0;
    eprintln!("20 launches: peak memory grew by {growth_mib:.1} MiB, took {took:?}");
    assert!(
        growth_mib < 32.0,
        "peak memory grew by {growth_mib:.0} MiB during the launches"
    );
    // All at once, not one after another: bounded by the longest budget.
    assert!(took < ENDS + Duration::from_secs(30), "took {took:?}");
}
