//! The LSP transport guard on arbitrary bytes: it never panics or hangs, and
//! what it passes on is a sequence of well-framed messages, each one valid
//! JSON (the client's own, or the error request that stands in for it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_config_lsp::lsp::transport::guard;
use std::sync::OnceLock;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let mut out: Vec<u8> = Vec::new();
    runtime().block_on(guard(data, &mut out));
    let mut rest = out.as_slice();
    while !rest.is_empty() {
        let end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let header = std::str::from_utf8(&rest[..end]).expect("an ASCII header");
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .expect("Content-Length")
            .parse()
            .expect("a length");
        let body = &rest[end + 4..end + 4 + length];
        assert!(
            serde_json::from_slice::<serde_json::Value>(body).is_ok(),
            "a body that is not JSON: {:?}",
            String::from_utf8_lossy(body)
        );
        rest = &rest[end + 4 + length..];
    }
});
