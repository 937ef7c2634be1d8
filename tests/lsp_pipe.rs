//! The built binary over real pipes: stdout carries nothing but LSP frames,
//! malformed input gets errors without ending the session, and the process
//! exits on `shutdown`+`exit` and when its input closes.

mod support;

use serde_json::{Value, json};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{TestClient, apply_edits, codes, pos, pos_of};
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

struct Proc {
    client: TestClient,
    child: Child,
    stderr: Arc<Mutex<Vec<u8>>>,
}

fn spawn(args: &[&str]) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mcp-config-lsp"))
        .args(args)
        // Verbose logging must still leave stdout to the protocol.
        .env("MCP_CONFIG_LSP_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let sink = stderr.clone();
    tokio::spawn(async move {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = err.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    Proc {
        client: TestClient::new(stdout, stdin),
        child,
        stderr,
    }
}

async fn exit_code(p: &mut Proc) -> i32 {
    let status = tokio::time::timeout(Duration::from_secs(10), p.child.wait())
        .await
        .expect("the server did not exit")
        .expect("wait");
    status.code().expect("exited by a signal")
}

const CURSOR: &str = "file:///proj/.cursor/mcp.json";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_over_pipes_is_clean_and_ends_with_shutdown_and_exit() {
    let mut p = spawn(&["serve", "--stdio"]);
    let init = p
        .client
        .initialize(
            json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
            Value::Null,
        )
        .await;
    assert_eq!(init["serverInfo"]["name"], "mcp-config-lsp");
    let text = "{\n  \"mcpServers\": {\n    \"x\": {\"comand\": \"npx\"}\n  }\n}\n";
    p.client.open(CURSOR, "json", text).await;
    let d = p.client.next_diagnostics(CURSOR).await;
    assert!(codes(&d).contains(&"schema/unknown-key".to_string()), "{d}");
    let h = p
        .client
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": CURSOR}, "position": pos_of(text, "\"mcpServers\"", 3)}),
        )
        .await;
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("mcpServers")
    );
    p.client.shutdown_and_exit().await;
    assert_eq!(exit_code(&mut p).await, 0);
    tokio::time::sleep(Duration::from_millis(100)).await;
    p.client.assert_clean_output();
    assert!(*p.client.closed.lock().unwrap());
    let log = String::from_utf8_lossy(&p.stderr.lock().unwrap()).to_string();
    assert!(!log.is_empty(), "debug logs go to stderr");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exits_when_stdin_closes() {
    let mut p = spawn(&[]);
    p.client.initialize(json!({}), Value::Null).await;
    p.client.open(CURSOR, "json", "{\"mcpServers\": {}}").await;
    p.client.close_input().await;
    // No shutdown was requested: exit code 1, as LSP asks for `exit` without `shutdown`.
    assert_eq!(exit_code(&mut p).await, 1);
    p.client.assert_clean_output();
}

/// The server holds its memory in small pages (a huge page keeps 2 MiB
/// resident for one small allocation in it); commands may use huge ones.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_asks_for_no_huge_pages() {
    let mut p = spawn(&[]);
    p.client.initialize(json!({}), Value::Null).await;
    let pid = p.child.id().expect("running");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    // Kernels since 5.0 show it: 0 once prctl(PR_SET_THP_DISABLE) is set.
    if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
        assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
    }
    p.client.close_input().await;
    assert_eq!(exit_code(&mut p).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_input_gets_errors_and_the_server_keeps_serving() {
    let mut p = spawn(&["serve"]);
    // A request before initialize.
    let r = p
        .client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": CURSOR}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32002, "{r}");

    // A frame whose body is not JSON.
    p.client.send_raw(b"Content-Length: 5\r\n\r\n{oops").await;
    let r = p.client.response(Value::Null).await;
    // Before initialize the answer is "not initialized" (-32002); any error will do.
    assert!(r["error"]["code"].is_i64(), "before initialize: {r}");

    p.client.initialize(json!({}), Value::Null).await;

    p.client.send_raw(b"Content-Length: 5\r\n\r\n{oops").await;
    let r = p.client.response(Value::Null).await;
    assert_eq!(r["error"]["code"], -32700, "{r}");

    // Bytes that are no frame at all, then a valid request right after them.
    p.client.send_raw(b"hello there\r\n\r\n").await;
    let r = p.client.response(Value::Null).await;
    assert_eq!(r["error"]["code"], -32700, "{r}");

    // JSON that is not JSON-RPC, with an id: the error carries it.
    p.client.send(&json!({"id": 77, "what": "is this"})).await;
    let r = p.client.response(json!(77)).await;
    assert_eq!(r["error"]["code"], -32600, "{r}");

    // An unknown method (request and notification).
    let r = p.client.request("mcp/doesNotExist", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    p.client.notify("mcp/alsoUnknown", json!({})).await;

    // Still serving.
    p.client
        .open(CURSOR, "json", "{\"mcpServers\": {\"x\": {}}}")
        .await;
    let d = p.client.next_diagnostics(CURSOR).await;
    assert_eq!(codes(&d), ["schema/missing-field"]);
    finish(p).await;
}

/// Codex CLI's TOML over the real binary: diagnostics with true ranges, a
/// quick fix written as TOML, hover from Codex's schema, and key completion
/// written `key = value` in a half-typed table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_codex_toml_document_gets_diagnostics_fixes_hover_and_completion() {
    const CODEX: &str = "file:///proj/.codex/config.toml";
    let mut p = spawn(&["serve", "--stdio"]);
    p.client
        .initialize(
            json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
            Value::Null,
        )
        .await;
    let text =
        "# Codex\n[mcp_servers.docs]\nurl = \"https://mcp.example.com/mcp\"\nenabeld = false\n";
    p.client.open(CODEX, "toml", text).await;
    let d = p.client.next_diagnostics(CODEX).await;
    assert_eq!(codes(&d), ["schema/unknown-key"], "{d}");
    let diag = d["diagnostics"][0].clone();
    assert_eq!(diag["range"]["start"], pos_of(text, "enabeld", 0));

    let actions = p
        .client
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": CODEX}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
        )
        .await;
    let rename = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Rename to `enabled`")
        .unwrap_or_else(|| panic!("{actions}"));
    let edits = rename["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .or_else(|| rename["edit"]["changes"][CODEX].as_array())
        .unwrap_or_else(|| panic!("{rename}"));
    let fixed = apply_edits(text, edits);
    assert!(fixed.contains("\nenabled = false\n"), "{fixed}");
    p.client.change_full(CODEX, 2, &fixed).await;
    let d = p
        .client
        .diagnostics_where(CODEX, |d| d["version"] == 2)
        .await;
    assert!(codes(&d).is_empty(), "{d}");

    let hover = hover_at(&mut p, CODEX, pos_of(&fixed, "url =", 1)).await;
    assert!(hover.contains("Streamable HTTP"), "{hover}");

    let typing = format!("{fixed}startup_t");
    let insert = completion_at_end(&mut p, CODEX, 3, &typing, "startup_timeout_sec").await;
    assert!(insert.starts_with("startup_timeout_sec = "), "{insert}");
    finish(p).await;
}

/// The hover's text at `position` of `uri`.
async fn hover_at(p: &mut Proc, uri: &str, position: Value) -> String {
    let h = p
        .client
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position}),
        )
        .await;
    h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// `typing` as version `version` of `uri`, then the text that completing
/// `label` at its end inserts.
async fn completion_at_end(
    p: &mut Proc,
    uri: &str,
    version: i32,
    typing: &str,
    label: &str,
) -> String {
    p.client.change_full(uri, version, typing).await;
    let items = p
        .client
        .call(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(typing, typing.len())}),
        )
        .await;
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("{items}"));
    item["textEdit"]["newText"].as_str().unwrap().to_string()
}

/// `shutdown` and `exit`: the process ends with 0 and wrote only LSP frames.
async fn finish(mut p: Proc) {
    p.client.shutdown_and_exit().await;
    assert_eq!(exit_code(&mut p).await, 0);
    p.client.assert_clean_output();
}

/// Goose's YAML over the real binary: diagnostics with true ranges, a quick
/// fix written as YAML, hover from Goose's schema, and key completion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_goose_yaml_document_gets_diagnostics_fixes_hover_and_completion() {
    const GOOSE: &str = "file:///home/me/.config/goose/config.yaml";
    let mut p = spawn(&["serve", "--stdio"]);
    p.client
        .initialize(
            json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
            Value::Null,
        )
        .await;
    let text = "# Goose\nextensions:\n  fs:\n    type: stdio\n    name: fs\n    enabled: true\n    cmd: npx -y @modelcontextprotocol/server-filesystem /tmp\n    args: []\n    timeout: 300\n";
    p.client.open(GOOSE, "yaml", text).await;
    let d = p.client.next_diagnostics(GOOSE).await;
    let diag = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "command/contains-args")
        .unwrap_or_else(|| panic!("{d}"))
        .clone();
    assert_eq!(diag["range"]["start"], pos_of(text, "npx -y", 0));
    let actions = p
        .client
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": GOOSE}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
        )
        .await;
    let split = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Split into"))
        })
        .unwrap_or_else(|| panic!("{actions}"));
    let edits = split["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .or_else(|| split["edit"]["changes"][GOOSE].as_array())
        .unwrap_or_else(|| panic!("{split}"));
    let fixed = apply_edits(text, edits);
    assert!(
        fixed.contains("    cmd: \"npx\"\n    args: [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"]\n"),
        "{fixed}"
    );
    p.client.change_full(GOOSE, 2, &fixed).await;
    let d = p
        .client
        .diagnostics_where(GOOSE, |d| d["version"] == 2)
        .await;
    assert!(
        !codes(&d).contains(&"command/contains-args".to_string()),
        "{d}"
    );

    let hover = hover_at(&mut p, GOOSE, pos_of(&fixed, "cmd:", 1)).await;
    assert!(hover.contains("Goose's name for `command`"), "{hover}");

    let typing = format!("{fixed}    availab");
    let insert = completion_at_end(&mut p, GOOSE, 3, &typing, "available_tools").await;
    assert!(insert.starts_with("available_tools: "), "{insert}");
    finish(p).await;
}
