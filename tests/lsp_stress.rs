//! The built binary over a pipe, under abuse: a thousand rapid incremental
//! edits with random (and invalid) ranges, versions out of order, frames
//! with a wrong `Content-Length`, bodies that are not JSON, unknown methods,
//! a document over the size limit, requests after `shutdown`. The server
//! answers each bad message with an error, keeps serving, and its final
//! diagnostics are exactly those of `analyze` on the final text.

mod support;

use mcp_config_lsp::analysis::{Options, analyze};
use mcp_config_lsp::document::{Document, Position};
use mcp_config_lsp::host::RealHost;
use mcp_config_lsp::lsp::convert;
use serde_json::{Value, json};
use std::str::FromStr;
use std::time::{Duration, Instant};
use support::{TestClient, spawn_server};
use tower_lsp_server::ls_types::Uri;

const URI: &str = "file:///tmp/mcp-config-lsp-stress/.cursor/mcp.json";
const PATH: &str = "/tmp/mcp-config-lsp-stress/.cursor/mcp.json";

const START: &str = r#"{
  "mcpServers": {
    "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
    "gh": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "YOUR_TOKEN"}},
    "remote": {"url": "https://mcp.example.com", "headers": {"Authorization": "abc"}},
    "py": {"command": "python3", "args": ["-m", "srv"], "enviroment": {"LOG": "1"}}
  }
}
"#;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const PIECES: &[&str] = &[
    "",
    "x",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    " ",
    "\n",
    "\r\n",
    "é",
    "😀",
    "\\",
    "${env:HOME}",
    "\"command\": \"npx\"",
    "// c\n",
    "null",
    "\"a\": 1,",
];

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// What the server must publish for `text`: the same analysis, converted
/// by the same code.
fn expected_diagnostics(text: &str, version: i32) -> Value {
    let a = analyze(text, Some(PATH), &Options::default(), &RealHost::default());
    let doc = Document::new(text, version);
    let uri = Uri::from_str(URI).unwrap();
    let diags: Vec<_> = a
        .findings
        .iter()
        .map(|f| convert::diagnostic(&uri, &doc, f, false))
        .collect();
    serde_json::to_value(diags).unwrap()
}

/// Diagnostics without the document version their fix data was made for.
fn without_versions(diagnostics: &Value) -> Value {
    let mut d = diagnostics.clone();
    for item in d.as_array_mut().into_iter().flatten() {
        if let Some(data) = item.get_mut("data").and_then(Value::as_object_mut) {
            data.remove("version");
        }
    }
    d
}

async fn still_serving(c: &mut TestClient) {
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(r.get("error").is_none(), "documentSymbol failed: {r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abuse_is_answered_with_errors_and_the_final_diagnostics_match_the_final_text() {
    let started = Instant::now();
    let (mut c, mut child) = spawn_server();
    c.initialize(json!({}), Value::Null).await;
    c.open(URI, "json", START).await;
    c.diagnostics_where(URI, |p| p["version"] == 1).await;

    // The editor's copy, kept with the server's own clamping rules.
    let mut doc = Document::new(START, 1);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut version = 1;
    let mut bad_requests = Vec::new();
    for k in 0..1000 {
        let lines = doc.line_count() as u64;
        let mut p = || {
            // Mostly inside the text, sometimes past the end of a line or of the file.
            let line = if rng.below(10) == 0 {
                lines + rng.below(5)
            } else {
                rng.below(lines)
            };
            let character = if rng.below(8) == 0 {
                1000 + rng.below(100)
            } else {
                rng.below(60)
            };
            Position::new(line as u32, character as u32)
        };
        let (start, end) = (p(), p());
        // One edit in four keeps a possibly reversed range; the rest are ordered.
        let (start, end) = if rng.below(4) != 0 && start > end {
            (end, start)
        } else {
            (start, end)
        };
        let text = PIECES[rng.below(PIECES.len() as u64) as usize];
        // Versions mostly increase; now and then one goes back.
        version = if rng.below(20) == 0 {
            version - 3
        } else {
            version + 1
        };
        doc.apply_change(start, end, text);
        let range = json!({
            "start": {"line": start.line, "character": start.character},
            "end": {"line": end.line, "character": end.character},
        });
        c.change(URI, version, range, text).await;

        // Garbage between the edits, none of which may swallow an edit.
        match k % 100 {
            10 => {
                // Content-Length too short: the body is cut, the rest is junk before the next header.
                let body =
                    json!({"jsonrpc": "2.0", "id": 9000 + k, "method": "shutdown"}).to_string();
                c.send_raw(format!("Content-Length: 7\r\n\r\n{body}").as_bytes())
                    .await;
            }
            20 => {
                // Content-Length too long, padded so the next frame is intact.
                let body =
                    json!({"jsonrpc": "2.0", "id": 9000 + k, "method": "shutdown"}).to_string();
                c.send_raw(
                    format!("Content-Length: {}\r\n\r\n{body}#####", body.len() + 5).as_bytes(),
                )
                .await;
            }
            30 => c.send_raw(frame("{not json at all").as_bytes()).await,
            40 => c.send_raw(b"Content-Length: banana\r\n\r\n").await,
            50 => {
                let id = 8000 + k;
                c.send(&json!({"jsonrpc": "2.0", "id": id, "method": "mcp/noSuchMethod", "params": {}}))
                    .await;
                bad_requests.push(id);
            }
            60 => c.notify("mcp/noSuchNotification", json!({"x": 1})).await,
            70 => {
                // A request that is not JSON-RPC at all, with an id.
                let id = 7000 + k;
                c.send_raw(frame(&json!({"id": id, "method": 5}).to_string()).as_bytes())
                    .await;
                bad_requests.push(id);
            }
            _ => {}
        }
    }

    // Every bad request with an id got an error under that id.
    for id in bad_requests {
        let r = c.response(json!(id)).await;
        assert!(r.get("error").is_some(), "no error for request {id}: {r}");
    }
    still_serving(&mut c).await;

    // One last, normal edit; its diagnostics are those of the final text.
    version += 1000;
    let end = doc.position_of(doc.len());
    let at = json!({"line": end.line, "character": end.character});
    doc.apply_change(end, end, "\n");
    c.change(URI, version, json!({"start": at, "end": at}), "\n")
        .await;
    // Asked for, not waited for: when the edit changes no diagnostic nothing
    // is published, and the client's copy (whose fix data names the version
    // it was made for) stands for the final text too.
    let pulled = c.pull_diagnostics(URI, None).await;
    assert_eq!(
        without_versions(&pulled["items"]),
        without_versions(&expected_diagnostics(doc.text(), version)),
        "the diagnostics do not match the final text:\n{}",
        doc.text()
    );

    // A document over the analysis limit: a clear finding, and the session goes on.
    let huge_uri = "file:///tmp/mcp-config-lsp-stress/big/.cursor/mcp.json";
    let huge = format!(
        "{{\"mcpServers\": {{\"a\": {{\"command\": \"{}\"}}}}}}",
        "x".repeat(17 * 1024 * 1024)
    );
    c.open(huge_uri, "json", &huge).await;
    let d = c.diagnostics_where(huge_uri, |_| true).await;
    let message = d["diagnostics"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("File too large"), "{d}");
    still_serving(&mut c).await;

    // After `shutdown`: requests are refused with an error; `exit` ends the process.
    let r = c.request("shutdown", Value::Null).await;
    assert!(r.get("error").is_none(), "{r}");
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert!(
        r.get("error").is_some(),
        "a request after shutdown was served: {r}"
    );
    c.notify("exit", Value::Null).await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("the server did not exit")
        .expect("wait");
    assert_eq!(status.code(), Some(0));
    c.assert_clean_output();
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
}
