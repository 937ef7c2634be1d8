//! A small LSP client for tests: Content-Length framing over any async pipe,
//! strict about what the server writes (every byte must belong to a valid
//! frame), answering the server's own requests (`workspace/configuration`,
//! `client/registerCapability`, ...).

#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

pub type Writer = Box<dyn AsyncWrite + Unpin + Send>;

pub struct TestClient {
    writer: Arc<tokio::sync::Mutex<Writer>>,
    rx: mpsc::UnboundedReceiver<Value>,
    backlog: VecDeque<Value>,
    next_id: i64,
    /// What `workspace/configuration` answers for each item.
    pub config: Arc<Mutex<Value>>,
    /// Violations of the framing seen on the server's output.
    pub frame_errors: Arc<Mutex<Vec<String>>>,
    /// Requests the server sent us (method, params).
    pub server_requests: Arc<Mutex<Vec<(String, Value)>>>,
    /// Set when the server's output ended.
    pub closed: Arc<Mutex<bool>>,
}

pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The built binary as a language server on pipes (its stderr dropped), and
/// a client on them.
pub fn spawn_server() -> (TestClient, tokio::process::Child) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mcp-config-lsp"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    (TestClient::new(stdout, stdin), child)
}

impl TestClient {
    pub fn new<R, W>(reader: R, writer: W) -> Self
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let writer: Arc<tokio::sync::Mutex<Writer>> =
            Arc::new(tokio::sync::Mutex::new(Box::new(writer)));
        let (tx, rx) = mpsc::unbounded_channel();
        let config = Arc::new(Mutex::new(Value::Null));
        let frame_errors = Arc::new(Mutex::new(Vec::new()));
        let server_requests = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(Mutex::new(false));
        tokio::spawn(read_loop(
            reader,
            tx,
            writer.clone(),
            config.clone(),
            frame_errors.clone(),
            server_requests.clone(),
            closed.clone(),
        ));
        Self {
            writer,
            rx,
            backlog: VecDeque::new(),
            next_id: 1,
            config,
            frame_errors,
            server_requests,
            closed,
        }
    }

    pub async fn send_raw(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().await;
        let _ = w.write_all(bytes).await;
        let _ = w.flush().await;
    }

    pub async fn send(&self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
            .await;
    }

    /// Close the server's input (dropping the pipe's write end).
    pub async fn close_input(&self) {
        let mut w = self.writer.lock().await;
        let _ = w.shutdown().await;
        *w = Box::new(tokio::io::sink());
    }

    pub async fn notify(&self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Send a request and wait for its response (the whole message).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.response(json!(id)).await
    }

    /// The response with this id (other messages are kept for later).
    pub async fn response(&mut self, id: Value) -> Value {
        if let Some(i) = self
            .backlog
            .iter()
            .position(|m| m.get("method").is_none() && m["id"] == id)
        {
            return self.backlog.remove(i).unwrap_or_default();
        }
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(m)) if m.get("method").is_none() && m["id"] == id => return m,
                Ok(Some(m)) => self.backlog.push_back(m),
                Ok(None) => panic!("server closed before answering {id}"),
                Err(_) => panic!("no response to {id} within {TIMEOUT:?}"),
            }
        }
    }

    /// The result of a request, asserting it succeeded.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params).await;
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The next notification `method` whose params satisfy `pred`.
    pub async fn notification_where(
        &mut self,
        method: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self
            .backlog
            .iter()
            .position(|m| m["method"] == method && m.get("id").is_none() && pred(&m["params"]))
        {
            return self.backlog.remove(i).map(|m| m["params"].clone());
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(m)) if m["method"] == method && m.get("id").is_none() => {
                    if pred(&m["params"]) {
                        return Some(m["params"].clone());
                    }
                }
                Ok(Some(m)) => self.backlog.push_back(m),
                Ok(None) | Err(_) => return None,
            }
        }
    }

    /// Every notification `method` that arrives within `window`.
    pub async fn collect(&mut self, method: &str, window: Duration) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        let mut keep = VecDeque::new();
        for m in self.backlog.drain(..) {
            if m["method"] == method && m.get("id").is_none() {
                out.push(m["params"].clone());
            } else {
                keep.push_back(m);
            }
        }
        self.backlog = keep;
        let deadline = tokio::time::Instant::now() + window;
        while let Ok(Some(m)) = tokio::time::timeout_at(deadline, self.rx.recv()).await {
            if m["method"] == method && m.get("id").is_none() {
                out.push(m["params"].clone());
            } else {
                self.backlog.push_back(m);
            }
        }
        out
    }

    /// The next diagnostics published for `uri` that satisfy `pred`.
    pub async fn diagnostics_where(&mut self, uri: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.notification_where("textDocument/publishDiagnostics", TIMEOUT, |p| {
            p["uri"] == uri && pred(p)
        })
        .await
        .unwrap_or_else(|| panic!("no matching diagnostics for {uri}"))
    }

    pub async fn next_diagnostics(&mut self, uri: &str) -> Value {
        self.diagnostics_where(uri, |_| true).await
    }

    /// A `textDocument/diagnostic` pull for `uri`, with the `resultId` of an
    /// earlier report when there is one; returns the report.
    pub async fn pull_diagnostics(&mut self, uri: &str, previous: Option<&Value>) -> Value {
        let mut params = json!({"textDocument": {"uri": uri}});
        if let Some(id) = previous {
            params["previousResultId"] = id.clone();
        }
        self.call("textDocument/diagnostic", params).await
    }

    /// `initialize` + `initialized`; returns the initialize result.
    pub async fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self
            .call(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn change_full(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        )
        .await;
    }

    pub async fn change(&self, uri: &str, version: i32, range: Value, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": text}]}),
        )
        .await;
    }

    pub async fn shutdown_and_exit(&mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null).await;
    }

    pub fn assert_clean_output(&self) {
        let errors = self.frame_errors.lock().unwrap();
        assert!(
            errors.is_empty(),
            "invalid output from the server: {errors:?}"
        );
    }
}

/// Codes of a publishDiagnostics params or a diagnostics array.
pub fn codes(diags: &Value) -> Vec<String> {
    let list = diags.get("diagnostics").unwrap_or(diags);
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// An LSP position (UTF-16) of a byte offset in `text`.
pub fn pos(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// The position of the first occurrence of `needle` (plus `delta` bytes).
pub fn pos_of(text: &str, needle: &str, delta: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    pos(text, at + delta)
}

/// A byte offset of an LSP position in `text`.
pub fn offset(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let character = p["character"].as_u64().unwrap() as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').unwrap() + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Apply LSP text edits to `text`, as an editor would.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn read_loop<R: AsyncRead + Unpin>(
    mut reader: R,
    tx: mpsc::UnboundedSender<Value>,
    writer: Arc<tokio::sync::Mutex<Writer>>,
    config: Arc<Mutex<Value>>,
    errors: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<(String, Value)>>>,
    closed: Arc<Mutex<bool>>,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        // A complete frame in the buffer?
        while let Some(frame_end) = next_frame(&buf, &errors) {
            let (header_len, body_len) = frame_end;
            let body = buf[header_len..header_len + body_len].to_vec();
            buf.drain(..header_len + body_len);
            let message: Value = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => {
                    errors
                        .lock()
                        .unwrap()
                        .push(format!("body is not JSON: {e}"));
                    continue;
                }
            };
            if message["jsonrpc"] != "2.0" {
                errors
                    .lock()
                    .unwrap()
                    .push(format!("not JSON-RPC 2.0: {message}"));
            }
            if let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) {
                requests
                    .lock()
                    .unwrap()
                    .push((method.to_string(), message["params"].clone()));
                let result = match method {
                    "workspace/configuration" => {
                        let n = message["params"]["items"].as_array().map_or(1, Vec::len);
                        let c = config.lock().unwrap().clone();
                        Value::Array(vec![c; n])
                    }
                    _ => Value::Null,
                };
                let body = json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string();
                let mut w = writer.lock().await;
                let _ = w
                    .write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
                    .await;
                let _ = w.flush().await;
            }
            let _ = tx.send(message);
        }
        match reader.read(&mut chunk).await {
            Ok(0) | Err(_) => {
                if !buf.is_empty() {
                    errors.lock().unwrap().push(format!(
                        "output ended inside a frame: {:?}",
                        String::from_utf8_lossy(&buf)
                    ));
                }
                *closed.lock().unwrap() = true;
                return;
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// (header length, body length) of a complete frame at the start of `buf`;
/// a malformed header is recorded and the buffer given up on.
fn next_frame(buf: &[u8], errors: &Mutex<Vec<String>>) -> Option<(usize, usize)> {
    const PREFIX: &[u8] = b"Content-Length: ";
    if buf.is_empty() {
        return None;
    }
    let n = buf.len().min(PREFIX.len());
    if buf[..n] != PREFIX[..n] {
        let mut e = errors.lock().unwrap();
        if e.len() < 10 {
            e.push(format!(
                "bytes outside a frame: {:?}",
                String::from_utf8_lossy(&buf[..buf.len().min(80)])
            ));
        }
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let header = std::str::from_utf8(&buf[..end]).ok()?;
    let mut length = None;
    for line in header.split("\r\n") {
        match line.split_once(": ") {
            Some(("Content-Length", v)) => length = v.parse::<usize>().ok(),
            Some(("Content-Type", _)) => {}
            _ => errors
                .lock()
                .unwrap()
                .push(format!("bad header line {line:?}")),
        }
    }
    let length = length?;
    (buf.len() >= end + 4 + length).then_some((end + 4, length))
}
