//! Test launches against real MCP servers, installed project-locally by
//! `scripts/install-test-servers` (these tests fail, not skip, without them).

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use mcp_config_lsp::launch::{HttpKind, Transport, code};

const T: Duration = Duration::from_secs(30);

/// `mcp-server-everything <mode>` on a free port; killed on drop.
fn start_everything(mode: &str) -> (u16, KillOnDrop) {
    let port = free_port();
    let child = Command::new(everything_bin())
        .arg(mode)
        .env("PORT", port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mcp-server-everything");
    let guard = KillOnDrop(child);
    wait_for_port(port, Duration::from_secs(20));
    (port, guard)
}

#[tokio::test]
async fn everything_over_stdio() {
    let r = run(stdio_spec(&everything_bin(), &["stdio"], client_env(), T)).await;
    assert_code(&r, code::OK);
    assert_eq!(r.transport, Some(Transport::Stdio));
    assert_eq!(r.protocol_version.as_deref(), Some("2025-11-25"));
    let si = r.server_info.as_ref().unwrap();
    assert!(si.name.contains("everything"), "{}", show(&r));
    let tools = r.tools.as_ref().unwrap();
    assert!(tools.items.iter().any(|t| t == "echo"), "{:?}", tools.items);
    let res = r.resources.as_ref().unwrap();
    assert!(
        res.items.iter().all(|u| u.contains("://")),
        "{:?}",
        res.items
    );
    assert!(res.count > 0);
    assert!(r.prompts.as_ref().unwrap().count > 0);
    assert!(
        r.diagnosis.message.starts_with("✓ protocol 2025-11-25 · "),
        "{}",
        r.diagnosis.message
    );
    eprintln!(
        "everything stdio: {} ({} ms)",
        r.diagnosis.message, r.duration_ms
    );
    let exit = r
        .process
        .as_ref()
        .and_then(|p| p.exit.clone())
        .expect("exit");
    assert!(exit.by_launcher);
}

#[tokio::test]
async fn everything_over_streamable_http() {
    let (port, _server) = start_everything("streamableHttp");
    let url = format!("http://127.0.0.1:{port}/mcp");
    let r = run(http_spec(&url, HttpKind::StreamableHttp, T)).await;
    assert_code(&r, code::OK);
    assert_eq!(r.transport, Some(Transport::StreamableHttp));
    let h = r.http.as_ref().unwrap();
    assert!(h.session, "no Mcp-Session-Id seen");
    assert!(r.tools.as_ref().unwrap().items.iter().any(|t| t == "echo"));
    eprintln!(
        "everything streamableHttp: {} ({} ms)",
        r.diagnosis.message, r.duration_ms
    );
    // Auto on the same URL stays on Streamable HTTP.
    let r = run(http_spec(&url, HttpKind::Auto, T)).await;
    assert_code(&r, code::OK);
    assert_eq!(r.transport, Some(Transport::StreamableHttp));
}

#[tokio::test]
async fn everything_over_legacy_sse() {
    let (port, _server) = start_everything("sse");
    let url = format!("http://127.0.0.1:{port}/sse");
    let r = run(http_spec(&url, HttpKind::Sse, T)).await;
    assert_code(&r, code::OK);
    assert_eq!(r.transport, Some(Transport::Sse));
    let endpoint = r
        .http
        .as_ref()
        .and_then(|h| h.sse_endpoint.clone())
        .unwrap_or_default();
    assert!(
        endpoint.starts_with(&format!("http://127.0.0.1:{port}/message?sessionId=")),
        "{endpoint}"
    );
    assert!(r.tools.as_ref().unwrap().count > 0);
    eprintln!(
        "everything sse: {} ({} ms)",
        r.diagnosis.message, r.duration_ms
    );
}

#[tokio::test]
async fn auto_falls_back_to_legacy_sse() {
    let (port, _server) = start_everything("sse");
    let url = format!("http://127.0.0.1:{port}/sse");
    let r = run(http_spec(&url, HttpKind::Auto, T)).await;
    assert_code(&r, code::OK);
    assert_eq!(r.transport, Some(Transport::Sse));
    let h = r.http.as_ref().unwrap();
    let outcomes: Vec<(Transport, &str)> = h
        .attempts
        .iter()
        .map(|a| (a.transport, a.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (Transport::StreamableHttp, "HTTP 404"),
            (Transport::Sse, "ok")
        ]
    );
    assert_message_has(&r, &["legacy HTTP+SSE transport"]);
}

#[tokio::test]
async fn streamable_url_probed_as_sse_fails_clearly() {
    let (port, _server) = start_everything("streamableHttp");
    let url = format!("http://127.0.0.1:{port}/mcp");
    let r = run(http_spec(&url, HttpKind::Sse, Duration::from_secs(5))).await;
    // GET /mcp without a session: the everything server answers 400.
    assert_code(&r, code::HTTP_STATUS);
    assert_message_has(&r, &["HTTP 400", "No valid session ID"]);
}

#[tokio::test]
async fn time_server_over_stdio() {
    let r = run(stdio_spec(
        &time_bin(),
        &["--local-timezone", "UTC"],
        client_env(),
        T,
    ))
    .await;
    assert_code(&r, code::OK);
    let tools = r.tools.as_ref().unwrap();
    assert!(
        tools.items.iter().any(|t| t == "get_current_time"),
        "{:?}",
        tools.items
    );
    assert!(
        r.server_info.as_ref().unwrap().name.contains("time"),
        "{}",
        show(&r)
    );
    eprintln!(
        "mcp-server-time stdio: {} ({} ms)",
        r.diagnosis.message, r.duration_ms
    );
}
