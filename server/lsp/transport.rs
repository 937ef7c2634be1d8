//! A guard in front of tower-lsp-server's reader.
//!
//! tower-lsp-server stops reading (and so ends the session) at the first
//! message it cannot decode: a bad header, a body that is not JSON-RPC. The
//! guard re-frames the input: well-formed messages pass through unchanged,
//! and each malformed one is replaced by a request for
//! [`INVALID_MESSAGE`], which the server answers with a JSON-RPC error (under
//! the message's `id` when it had one, else `null`). So a garbage frame gets an
//! error and the session goes on.

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

/// The method the guard substitutes for a malformed message.
pub const INVALID_MESSAGE: &str = "mcp-config-lsp/invalidMessage";

/// JSON-RPC error codes.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;

const MAX_HEADER: usize = 8 * 1024;
/// The input buffer's capacity kept between messages.
const KEEP_CAPACITY: usize = 64 * 1024;
/// Larger messages are skipped (analysis gives up at 16 MiB of text anyway).
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// Copy LSP messages from `input` to `output` until `input` ends or `output` closes.
pub async fn guard<R, W>(mut input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::with_capacity(8 * 1024);
    let mut eof = false;
    loop {
        // Whitespace between messages is harmless.
        let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        buf.drain(..skip);
        if buf.is_empty() && eof {
            return;
        }
        let Some(header_end) = find(&buf, b"\r\n\r\n") else {
            if buf.len() > MAX_HEADER {
                let keep = resync_point(&buf, 1).unwrap_or(buf.len());
                buf.drain(..keep);
                if !send(
                    &mut output,
                    invalid(Value::Null, PARSE_ERROR, "malformed header"),
                )
                .await
                {
                    return;
                }
                continue;
            }
            if eof {
                // A truncated message at the end: nothing can answer it.
                tracing::warn!("input ended inside a message header");
                return;
            }
            eof = !fill(&mut input, &mut buf).await;
            continue;
        };
        let Some(length) = content_length(&buf[..header_end]) else {
            // Garbage, or garbage before a real header: resume at a later
            // `Content-Length` in the block if there is one.
            let resume = resync_point(&buf[..header_end], 1).unwrap_or(header_end + 4);
            buf.drain(..resume);
            if !send(
                &mut output,
                invalid(Value::Null, PARSE_ERROR, "malformed message header"),
            )
            .await
            {
                return;
            }
            continue;
        };
        buf.drain(..header_end + 4);
        if length > MAX_BODY {
            let mut left = length;
            let have = left.min(buf.len());
            buf.drain(..have);
            left -= have;
            while left > 0 && !eof {
                let mut chunk = vec![0u8; left.min(64 * 1024)];
                match input.read(&mut chunk).await {
                    Ok(0) | Err(_) => eof = true,
                    Ok(n) => left -= n.min(left),
                }
            }
            let msg = format!("message of {length} bytes is larger than the limit of {MAX_BODY}");
            if !send(&mut output, invalid(Value::Null, INVALID_REQUEST, &msg)).await {
                return;
            }
            continue;
        }
        while buf.len() < length && !eof {
            eof = !fill(&mut input, &mut buf).await;
        }
        if buf.len() < length {
            tracing::warn!("input ended inside a message body");
            return;
        }
        // The body is passed on from the buffer, not copied: a document
        // opened in full can be megabytes.
        let body = &buf[..length];
        let sent = match check(body) {
            Ok(()) => {
                output.write_all(header(length).as_bytes()).await.is_ok()
                    && output.write_all(body).await.is_ok()
                    && output.flush().await.is_ok()
            }
            Err(replacement) => {
                tracing::warn!(
                    "invalid message from the client: {}",
                    String::from_utf8_lossy(body)
                        .chars()
                        .take(200)
                        .collect::<String>()
                );
                send(&mut output, replacement).await
            }
        };
        buf.drain(..length);
        // A large message grew the buffer; it is not kept that large for
        // the keystrokes that follow.
        if buf.capacity() > KEEP_CAPACITY && buf.len() < KEEP_CAPACITY / 2 {
            buf.shrink_to(KEEP_CAPACITY);
        }
        if !sent {
            return;
        }
    }
}

/// Read more input; false at the end of it.
async fn fill<R: AsyncRead + Unpin>(input: &mut R, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    match input.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the last `Content-Length` header of `bytes` starts, searching from `from`.
fn resync_point(bytes: &[u8], from: usize) -> Option<usize> {
    let lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
    let needle = b"content-length";
    (from..lower.len().saturating_sub(needle.len() - 1))
        .rev()
        .find(|&i| lower[i..].starts_with(needle))
}

/// The length from a header block whose every line is `Name: value`.
fn content_length(header: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(header).ok()?;
    let mut length = None;
    for line in text.split("\r\n") {
        let (name, value) = line.split_once(':')?;
        let token = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if name.is_empty() || !name.chars().all(token) {
            return None;
        }
        if name.eq_ignore_ascii_case("content-length") {
            let v = value.trim();
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            length = Some(v.parse().ok()?);
        }
    }
    length
}

fn header(length: usize) -> String {
    format!("Content-Length: {length}\r\n\r\n")
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = header(body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Pass a body tower-lsp-server will decode; otherwise say what to send instead.
fn check(body: &[u8]) -> Result<(), Vec<u8>> {
    // serde skips ignored fields without validating them, so a request can
    // decode although a string in an unknown member is not UTF-8 (found by
    // fuzzing): JSON text is UTF-8, the whole body must be.
    if let Err(e) = std::str::from_utf8(body) {
        let message = format!("not UTF-8 (invalid byte at offset {})", e.valid_up_to());
        return Err(invalid(Value::Null, PARSE_ERROR, &message));
    }
    if serde_json::from_slice::<Response>(body).is_ok()
        || serde_json::from_slice::<Request>(body).is_ok()
    {
        return Ok(());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => {
            let id = v
                .get("id")
                .filter(|id| id.is_string() || id.is_i64())
                .cloned()
                .unwrap_or(Value::Null);
            Err(invalid(
                id,
                INVALID_REQUEST,
                "not a JSON-RPC 2.0 request, notification or response",
            ))
        }
        Err(e) => Err(invalid(Value::Null, PARSE_ERROR, &format!("not JSON: {e}"))),
    }
}

fn invalid(id: Value, code: i64, message: &str) -> Vec<u8> {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": INVALID_MESSAGE,
        "params": { "code": code, "message": message },
    });
    frame(body.to_string().as_bytes())
}

async fn send<W: AsyncWrite + Unpin>(output: &mut W, message: Vec<u8>) -> bool {
    output.write_all(&message).await.is_ok() && output.flush().await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn run(input: &[u8]) -> Vec<Value> {
        let (mut tx, rx) = tokio::io::duplex(1 << 20);
        let (out_w, mut out_r) = tokio::io::duplex(1 << 20);
        tx.write_all(input).await.unwrap();
        drop(tx);
        guard(rx, out_w).await;
        let mut out = Vec::new();
        out_r.read_to_end(&mut out).await.unwrap();
        let mut messages = Vec::new();
        let mut rest = &out[..];
        while !rest.is_empty() {
            let end = find(rest, b"\r\n\r\n").unwrap();
            let n = content_length(&rest[..end]).unwrap();
            messages.push(serde_json::from_slice(&rest[end + 4..end + 4 + n]).unwrap());
            rest = &rest[end + 4 + n..];
        }
        messages
    }

    fn msg(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn passes_good_messages_and_replaces_bad_ones() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#;
        let input = [
            msg(good),
            "\r\n".into(),
            msg("{not json"),
            msg(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            "GARBAGE".into(),
            msg(good),
            "Content-Length: x\r\n\r\n".into(),
            format!(
                "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}",
                msg(good)
            ),
        ]
        .concat();
        let out = run(input.as_bytes()).await;
        let methods: Vec<&str> = out.iter().map(|m| m["method"].as_str().unwrap()).collect();
        assert_eq!(
            methods,
            [
                "initialize",
                INVALID_MESSAGE,
                INVALID_MESSAGE,
                INVALID_MESSAGE,
                "initialize",
                INVALID_MESSAGE,
                "initialize"
            ]
        );
        assert_eq!(out[1]["id"], Value::Null);
        assert_eq!(out[1]["params"]["code"], PARSE_ERROR);
        assert_eq!(out[2]["id"], 7);
        assert_eq!(out[2]["params"]["code"], INVALID_REQUEST);
    }

    /// Fuzzing found a request that decoded although a string in an unknown
    /// member was not UTF-8 (serde skips what it ignores without checking it).
    #[tokio::test]
    async fn a_body_that_is_not_utf8_is_a_parse_error_even_in_an_ignored_member() {
        let mut body =
            br#"{"jsonrpc": "2.0", "method": "textDocument/didOpen", "param1": {"text": "a"#
                .to_vec();
        body.push(0xa0);
        body.extend_from_slice(br#"b"}}"#);
        let mut input = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        input.extend_from_slice(&body);
        let out = run(&input).await;
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["method"], INVALID_MESSAGE);
        assert_eq!(out[0]["params"]["code"], PARSE_ERROR);
        assert!(
            out[0]["params"]["message"]
                .as_str()
                .unwrap()
                .contains("not UTF-8"),
            "{}",
            out[0]
        );
    }

    #[tokio::test]
    async fn oversized_and_truncated_input_end_quietly() {
        let huge = format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1);
        let out = run(huge.as_bytes()).await;
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["params"]["code"], INVALID_REQUEST);
        assert!(
            run(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"")
                .await
                .is_empty()
        );
        let junk = vec![b'x'; MAX_HEADER + 10];
        assert_eq!(run(&junk).await.len(), 1);
    }
}
