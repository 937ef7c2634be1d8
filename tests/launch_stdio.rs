//! stdio test launches against fixture processes.

// The fixtures are shell scripts and Unix process groups (sh, setsid,
// signals); launch_real.rs and probe.rs launch real servers on every OS.
#![cfg(unix)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use mcp_config_lsp::launch::{self, LaunchTarget, code};

const T: Duration = Duration::from_secs(10);
/// For fixtures that never answer. Python needs ~0.4 s to start here, and
/// the fixture must get its banner/pid file out before the budget ends even
/// on a loaded 2-core machine.
const SHORT: Duration = Duration::from_secs(3);

#[tokio::test]
async fn correct_server_handshake_and_lists() {
    let r = run(fixture_spec("ok", T)).await;
    assert_code(&r, code::OK);
    assert_eq!(r.protocol_version.as_deref(), Some("2025-11-25"));
    let si = r.server_info.as_ref().expect("serverInfo");
    assert_eq!(
        (si.name.as_str(), si.version.as_deref(), si.title.as_deref()),
        ("fixture", Some("0.1.0"), Some("Fixture Server"))
    );
    let tools = r.tools.as_ref().expect("tools");
    assert_eq!(tools.items, ["echo", "add", "slow"]);
    assert_eq!((tools.count, tools.pages, tools.truncated), (3, 2, false));
    assert_eq!(
        r.prompts.as_ref().map(|p| p.items.clone()),
        Some(vec!["greet".to_string()])
    );
    assert_eq!(
        r.resources.as_ref().map(|p| p.items.clone()),
        Some(vec![
            "file:///a.txt".to_string(),
            "file:///b.txt".to_string()
        ])
    );
    assert!(
        r.diagnosis.message.starts_with(
            "✓ protocol 2025-11-25 · fixture 0.1.0 · 3 tools, 1 prompt, 2 resources · "
        ),
        "{}",
        r.diagnosis.message
    );
    assert!(r.diagnosis.evidence.is_empty(), "{}", show(&r));
    let names: Vec<&str> = r.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "spawn",
            "initialize",
            "tools/list",
            "prompts/list",
            "resources/list",
            "shutdown"
        ]
    );
    // The fixture exits by itself once stdin is closed.
    let p = r.process.as_ref().expect("process");
    let exit = p.exit.as_ref().expect("exit status");
    assert_eq!(exit.code, Some(0));
    assert!(exit.by_launcher);
    assert!(p.stdout_noise.is_empty());
    // Serialises as camelCase JSON.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["diagnosis"]["code"], "launch/ok");
    assert_eq!(json["serverInfo"]["name"], "fixture");
    assert_eq!(json["transport"], "stdio");
}

#[tokio::test]
async fn startup_crash_quotes_stderr() {
    let r = run(fixture_spec("crash", T)).await;
    assert_code(&r, code::EXITED);
    assert_message_has(
        &r,
        &[
            "exited with code 1",
            "ModuleNotFoundError: No module named 'missing_module'",
            "Connection closed",
        ],
    );
    assert_evidence_has(&r, "Traceback (most recent call last)");
    assert_evidence_has(&r, "process exit code 1");
    let exit = r
        .process
        .as_ref()
        .and_then(|p| p.exit.clone())
        .expect("exit");
    assert!(!exit.by_launcher);
}

#[tokio::test]
async fn banner_then_working_server_is_ok_and_a_separate_stdout_pollution_warning() {
    let r = run(fixture_spec("banner-ok", T)).await;
    assert_code(&r, code::OK);
    assert!(
        !r.diagnosis.message.contains("stdout"),
        "the success says nothing of stdout: {}",
        r.diagnosis.message
    );
    let [w] = r.warnings.as_slice() else {
        panic!("one warning: {:?}", r.warnings)
    };
    assert_eq!(w.code.code, "launch/stdout-pollution");
    assert!(
        w.message
            .starts_with("The server works, but printed 1 line on stdout")
            && w.message.contains("Starting fixture server v0.1.0"),
        "{}",
        w.message
    );
    assert!(
        w.evidence.iter().any(
            |e| e == "stdout line 1 that is not JSON-RPC: “Starting fixture server v0.1.0 ...”"
        )
    );
    assert_eq!(r.process.as_ref().map(|p| p.stdout_noise_lines), Some(1));
}

#[tokio::test]
async fn banner_then_silence_is_stdout_pollution() {
    let r = run(fixture_spec("banner-hang", SHORT)).await;
    assert_code(&r, code::STDOUT_POLLUTION);
    assert_message_has(
        &r,
        &[
            "Starting fixture server v0.1.0",
            "did not answer `initialize` within 3 s",
            "stderr",
        ],
    );
}

#[tokio::test]
async fn hanging_server_times_out_and_is_terminated() {
    let start = Instant::now();
    let r = run(fixture_spec("hang", SHORT)).await;
    assert_code(&r, code::TIMEOUT);
    assert_message_has(
        &r,
        &[
            "running but did not answer `initialize` within 3 s",
            "Request timed out",
        ],
    );
    assert_evidence_has(&r, "process still running after 3 s");
    let exit = r
        .process
        .as_ref()
        .and_then(|p| p.exit.clone())
        .expect("exit");
    assert!(exit.by_launcher);
    assert_eq!(exit.signal.as_deref(), Some("SIGTERM"));
    // Budget + stdin grace + a prompt SIGTERM.
    assert!(
        start.elapsed() < SHORT + Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn forked_grandchild_is_killed_with_the_group() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("grandchild.pid");
    let mut env = base_env();
    env.push((
        "GRANDCHILD_PID_FILE".into(),
        pid_file.to_string_lossy().into_owned(),
    ));
    let spec = stdio_spec(&fixture("stdio_server.py"), &["fork-hang"], env, SHORT);
    let r = run(spec).await;
    assert_code(&r, code::TIMEOUT);
    let grandchild: i32 = std::fs::read_to_string(&pid_file)
        .expect("fixture wrote the grandchild pid")
        .trim()
        .parse()
        .unwrap();
    let leader = r.process.as_ref().and_then(|p| p.pid).expect("pid") as i32;
    // The grandchild ignores SIGTERM: only the group SIGKILL ends it.
    assert!(
        !is_alive(grandchild),
        "grandchild {grandchild} survived:\n{}",
        show(&r)
    );
    assert!(!is_alive(leader), "server {leader} survived");
}

#[tokio::test]
async fn sigkill_is_reported_by_name() {
    let r = run(fixture_spec("sigkill", T)).await;
    assert_code(&r, code::KILLED);
    assert_message_has(&r, &["killed by SIGKILL", "out-of-memory"]);
    assert_evidence_has(&r, "process killed by SIGKILL");
}

#[tokio::test]
async fn json_that_is_not_json_rpc() {
    let r = run(fixture_spec("garbage-json", SHORT)).await;
    assert_code(&r, code::PROTOCOL_ERROR);
    assert_message_has(&r, &["not JSON-RPC 2.0"]);
    assert_evidence_has(&r, r#"{"hello":"world"}"#);
}

#[tokio::test]
async fn answer_without_jsonrpc_member_fails_at_once() {
    let start = Instant::now();
    let r = run(fixture_spec("answer-no-jsonrpc", T)).await;
    assert_code(&r, code::PROTOCOL_ERROR);
    assert_message_has(&r, &["no \"jsonrpc\": \"2.0\" member"]);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "did not fail fast: {:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn unsupported_protocol_version() {
    let r = run(fixture_spec("old-version", T)).await;
    assert_code(&r, code::VERSION_MISMATCH);
    assert_message_has(
        &r,
        &[
            "“1999-01-01”",
            "Server's protocol version is not supported: 1999-01-01",
        ],
    );
    assert_eq!(r.protocol_version.as_deref(), Some("1999-01-01"));
    assert!(r.tools.is_none(), "must not list after a version mismatch");
}

#[tokio::test]
async fn version_rejected_with_supported_list() {
    let r = run(fixture_spec("version-error", T)).await;
    assert_code(&r, code::VERSION_MISMATCH);
    assert_message_has(
        &r,
        &[
            "rejected protocol version 2025-11-25",
            "supports only 2024-11-05",
        ],
    );
}

#[tokio::test]
async fn initialize_error_is_protocol_error() {
    let r = run(fixture_spec("init-error", T)).await;
    assert_code(&r, code::PROTOCOL_ERROR);
    assert_message_has(
        &r,
        &[
            "-32603",
            "database unavailable",
            "MCP error -32603: database unavailable",
        ],
    );
}

#[tokio::test]
async fn stderr_flood_is_bounded() {
    let start = Instant::now();
    let mut env = base_env();
    env.push(("FLOOD_MB".into(), "256".into()));
    let spec = stdio_spec(
        &fixture("stdio_server.py"),
        &["stderr-flood"],
        env,
        Duration::from_secs(8),
    );
    let r = run(spec).await;
    let took = start.elapsed();
    assert_code(&r, code::TIMEOUT);
    let p = r.process.as_ref().expect("process");
    assert!(
        p.stderr_bytes >= 256 * 1024 * 1024,
        "counted {} bytes",
        p.stderr_bytes
    );
    assert!(
        p.stderr_tail.len() <= launch::STDERR_TAIL_BYTES,
        "tail is {} bytes",
        p.stderr_tail.len()
    );
    assert!(
        p.stderr_tail.ends_with("flood done\n"),
        "tail: {:?}",
        &p.stderr_tail[p.stderr_tail.len().saturating_sub(100)..]
    );
    eprintln!(
        "stderr flood of {} MiB handled in {took:?}",
        p.stderr_bytes >> 20
    );
}

#[tokio::test]
async fn exit_zero_is_not_a_stdio_server() {
    let r = run(fixture_spec("exit0", T)).await;
    assert_code(&r, code::EXITED);
    assert_message_has(
        &r,
        &[
            "code 0",
            "not a long-running stdio server",
            "usage: server [--port N] [stdio|http]",
        ],
    );
}

#[tokio::test]
async fn crash_during_list_names_the_phase() {
    let r = run(fixture_spec("list-crash", T)).await;
    assert_code(&r, code::EXITED);
    assert_message_has(
        &r,
        &["during `tools/list`", "exited with code 3", "KeyError"],
    );
    assert_eq!(r.protocol_version.as_deref(), Some("2025-11-25"));
}

#[tokio::test]
async fn missing_trailing_newline_is_named() {
    let r = run(fixture_spec("no-newline", SHORT)).await;
    assert_code(&r, code::TIMEOUT);
    assert_message_has(&r, &["without a newline"]);
    assert_evidence_has(
        &r,
        "stdout text without a trailing newline: “{\"jsonrpc\": \"2.0\"",
    );
}

#[tokio::test]
async fn secrets_are_masked_everywhere() {
    let secret = "sk-test-Sup3rS3cretValue-0123456789";
    let mut env = base_env();
    env.push(("SECRET_TOKEN".into(), secret.into()));
    let mut spec = stdio_spec(
        &fixture("stdio_server.py"),
        &["echo-secret", secret],
        env,
        T,
    );
    spec.secrets = vec![secret.into()];
    let r = run(spec).await;
    assert_code(&r, code::OK);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(secret), "secret leaked:\n{json}");
    assert!(
        !json.contains("Sup3rS3cret"),
        "part of the secret leaked:\n{json}"
    );
    let shown = launch::redact(secret);
    assert_eq!(shown, "sk-t…(35 chars)");
    let p = r.process.as_ref().unwrap();
    assert!(
        p.stderr_tail
            .contains(&format!("using token {shown} for the API")),
        "{}",
        p.stderr_tail
    );
    assert!(p.stdout_noise[0].contains(&shown), "{:?}", p.stdout_noise);
    // In the command line shown as target, and the stdout warning.
    assert!(r.target.contains(&shown), "{}", r.target);
    assert!(
        r.warnings.iter().any(|w| w.message.contains(&shown)),
        "{:?}",
        r.warnings
    );
}

#[tokio::test]
async fn file_without_exec_bit_is_permission_denied() {
    let r = run(stdio_spec(
        &fixture("not_executable.py"),
        &[],
        base_env(),
        T,
    ))
    .await;
    assert_code(&r, code::PERMISSION_DENIED);
    assert_message_has(&r, &["not executable", "chmod +x"]);
}

#[tokio::test]
async fn missing_path_is_not_found() {
    let r = run(stdio_spec(
        "/nonexistent/dir/mcp-server",
        &[],
        base_env(),
        T,
    ))
    .await;
    assert_code(&r, code::NOT_FOUND);
    assert_message_has(&r, &["/nonexistent/dir/mcp-server does not exist"]);
}

#[tokio::test]
async fn program_not_on_path_is_not_found() {
    let r = run(stdio_spec(
        "definitely-not-an-mcp-server-xyz",
        &[],
        base_env(),
        T,
    ))
    .await;
    assert_code(&r, code::NOT_FOUND);
    assert_message_has(
        &r,
        &["`definitely-not-an-mcp-server-xyz` was not found on the PATH"],
    );
    assert_evidence_has(&r, "PATH given to the server: ");
}

#[tokio::test]
async fn program_on_our_path_but_not_the_clients() {
    // python3 exists here, but the client passes a PATH without it.
    let env = vec![("PATH".to_string(), "/nonexistent-bin".to_string())];
    let r = run(stdio_spec("python3", &["-V"], env, T)).await;
    assert_code(&r, code::NOT_FOUND);
    assert_message_has(&r, &["exists at", "not on the PATH the client passes"]);
    assert_evidence_has(&r, "PATH given to the server: /nonexistent-bin");
}

#[tokio::test]
async fn missing_shebang_interpreter_is_not_found() {
    let r = run(stdio_spec(
        &fixture("missing_interpreter.sh"),
        &[],
        base_env(),
        T,
    ))
    .await;
    assert_code(&r, code::NOT_FOUND);
    assert_message_has(&r, &["interpreter", "/nonexistent/interpreter"]);
}

#[tokio::test]
async fn wrapper_exit_127_is_not_found() {
    let r = run(stdio_spec(
        "/bin/sh",
        &["-c", "exec no-such-command-xyz"],
        base_env(),
        T,
    ))
    .await;
    assert_code(&r, code::NOT_FOUND);
    assert_message_has(&r, &["code 127", "command not found"]);
    assert_evidence_has(&r, "no-such-command-xyz");
}

#[tokio::test]
async fn wrapper_exit_126_is_permission_denied() {
    let script = format!("exec {}", fixture("not_executable.py"));
    let r = run(stdio_spec("/bin/sh", &["-c", &script], base_env(), T)).await;
    assert_code(&r, code::PERMISSION_DENIED);
    assert_message_has(&r, &["code 126"]);
}

#[tokio::test]
async fn wrapper_exit_137_is_killed() {
    let r = run(stdio_spec(
        "/bin/sh",
        &["-c", "sh -c 'kill -9 $$'; exit $?"],
        base_env(),
        T,
    ))
    .await;
    assert_code(&r, code::KILLED);
    assert_message_has(&r, &["code 137", "SIGKILL", "out-of-memory"]);
}

#[tokio::test]
async fn environment_is_exactly_the_given_one() {
    // HOME is set for this test process but not passed on.
    assert!(std::env::var("HOME").is_ok());
    let r = run(stdio_spec(
        "/bin/sh",
        &["-c", "echo \"home=[$HOME] path=[$PATH]\" >&2; exit 4"],
        vec![("PATH".into(), "/usr/bin:/bin".into())],
        T,
    ))
    .await;
    assert_code(&r, code::EXITED);
    assert_message_has(&r, &["home=[] path=[/usr/bin:/bin]"]);
}

#[tokio::test]
async fn missing_cwd_is_not_found() {
    let mut spec = fixture_spec("ok", T);
    if let LaunchTarget::Stdio { cwd, .. } = &mut spec.target {
        *cwd = Some("/nonexistent/work/dir".into());
    }
    let r = run(spec).await;
    assert_code(&r, code::NOT_FOUND);
    assert_message_has(&r, &["working directory /nonexistent/work/dir"]);
}

#[tokio::test]
async fn cwd_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = stdio_spec("/bin/sh", &["-c", "pwd >&2; exit 5"], base_env(), T);
    if let LaunchTarget::Stdio { cwd, .. } = &mut spec.target {
        *cwd = Some(dir.path().to_path_buf());
    }
    let r = run(spec).await;
    assert_code(&r, code::EXITED);
    let real = std::fs::canonicalize(dir.path()).unwrap();
    assert_message_has(&r, &[&real.to_string_lossy()]);
}

#[tokio::test]
async fn cancellation_is_prompt_and_cleans_up() {
    let start = Instant::now();
    let cancel = tokio::time::sleep(Duration::from_millis(300));
    let r = launch::launch(fixture_spec("hang", Duration::from_secs(60)), cancel).await;
    assert_code(&r, code::TIMEOUT);
    assert_message_has(&r, &["cancelled"]);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "cancel took {:?}",
        start.elapsed()
    );
    let pid = r.process.as_ref().and_then(|p| p.pid).expect("pid") as i32;
    assert!(!is_alive(pid));
}

#[tokio::test]
async fn dropping_the_launch_future_kills_the_group() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("grandchild.pid");
    let mut env = base_env();
    env.push((
        "GRANDCHILD_PID_FILE".into(),
        pid_file.to_string_lossy().into_owned(),
    ));
    let spec = stdio_spec(
        &fixture("stdio_server.py"),
        &["fork-hang"],
        env,
        Duration::from_secs(60),
    );
    let mut fut = Box::pin(launch::launch(spec, std::future::pending()));
    // Run the launch until the grandchild exists, then drop it mid-handshake.
    let grandchild = async {
        loop {
            if let Some(pid) = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|s| s.trim().parse::<i32>().ok())
            {
                return pid;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let grandchild = tokio::select! {
        r = &mut fut => panic!("launch ended early:\n{}", show(&r)),
        pid = tokio::time::timeout(Duration::from_secs(20), grandchild) => pid.expect("fixture wrote no pid file"),
    };
    assert!(is_alive(grandchild));
    drop(fut);
    let deadline = Instant::now() + Duration::from_secs(3);
    while is_alive(grandchild) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !is_alive(grandchild),
        "grandchild survived a dropped launch"
    );
}

#[tokio::test]
async fn handshake_free_server_is_version_mismatch() {
    let r = run(fixture_spec("modern-only", T)).await;
    assert_code(&r, code::VERSION_MISMATCH);
    assert_message_has(&r, &["handshake-free", "2026-07-28"]);
}

#[tokio::test]
async fn error_without_id_fails_at_once() {
    let start = Instant::now();
    let r = run(fixture_spec("null-id-error", T)).await;
    assert_code(&r, code::PROTOCOL_ERROR);
    assert_message_has(&r, &["-32700", "Parse error: unexpected token"]);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn tool_without_input_schema_is_named() {
    let r = run(fixture_spec("bad-tool", T)).await;
    assert_code(&r, code::PROTOCOL_ERROR);
    assert_message_has(&r, &["tools[1] (\"broken\") has no \"inputSchema\""]);
}

#[tokio::test]
async fn credential_env_values_are_masked_without_being_listed() {
    let secret = "ghp_0123456789abcdefghijklmnop";
    let mut env = base_env();
    env.push(("GITHUB_TOKEN".into(), secret.into()));
    let r = run(stdio_spec(
        "/bin/sh",
        &["-c", "echo \"auth with $GITHUB_TOKEN failed\" >&2; exit 2"],
        env,
        T,
    ))
    .await;
    assert_code(&r, code::EXITED);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(secret), "{json}");
    assert_message_has(&r, &["auth with ghp_…(30 chars) failed"]);
}

/// A stand-in `npx` that prints what the real one prints while it
/// downloads, then waits.
fn fake_npx(dir: &std::path::Path, stderr_line: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("npx");
    std::fs::write(
        &path,
        format!("#!/bin/sh\necho '{stderr_line}' >&2\nexec sleep 30\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn npx_download_is_named_on_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let npx = fake_npx(
        dir.path(),
        "npm WARN exec The following package was not found and will be installed: @scope/server@1.0.0",
    );
    let r = run(stdio_spec(
        &npx,
        &["-y", "@scope/server"],
        base_env(),
        SHORT,
    ))
    .await;
    assert_code(&r, code::TIMEOUT);
    assert_message_has(
        &r,
        &["npm activity", "first run of `npx` downloads the package"],
    );
    assert!(
        !r.diagnosis.message.contains("without `-y`"),
        "{}",
        r.diagnosis.message
    );
}

#[tokio::test]
async fn npx_without_yes_is_named_on_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let npx = fake_npx(dir.path(), "Need to install the following packages:");
    let r = run(stdio_spec(&npx, &["@scope/server"], base_env(), SHORT)).await;
    assert_code(&r, code::TIMEOUT);
    assert_message_has(
        &r,
        &["`npx` without `-y`", "Ok to proceed? (y)", "add \"-y\""],
    );
}

#[tokio::test]
async fn huge_timeout_does_not_overflow() {
    let r = run(fixture_spec("crash", Duration::MAX)).await;
    assert_code(&r, code::EXITED);
}
