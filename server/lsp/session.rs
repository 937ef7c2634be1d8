//! The entry point: the async runtime, logging to stderr, and one LSP session
//! on stdio (or any pair of streams, for tests). The top of `lsp/`: imports
//! the `Backend` and the transport guard; nothing imports it but `mod.rs`.

use super::server::Backend;
use super::state::ServeOptions;
use super::transport;
use std::process::ExitCode;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// How long to wait for the server to wind down once its input has ended.
const WIND_DOWN: Duration = Duration::from_secs(2);

/// `mcp-config-lsp` / `mcp-config-lsp serve`: the server on stdio.
pub fn run() -> ExitCode {
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Analyses run on blocking threads (stdin's reader holds one). More
        // threads than this buy no speed, and each keeps its own allocator
        // heap: a fast typist would grow the server by megabytes.
        .max_blocking_threads(4)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
        ServeOptions::real(),
    ));
    // The stdin reader may be blocked in a read that never returns: don't wait for it.
    runtime.shutdown_timeout(Duration::from_millis(100));
    code
}

/// Logs to stderr, at the level `MCP_CONFIG_LSP_LOG` (or `RUST_LOG`) says,
/// `warn` by default.
pub fn init_tracing() {
    let filter = std::env::var("MCP_CONFIG_LSP_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".into());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// Serve one LSP session on `input`/`output` until `exit`, the end of the
/// input, or the death of the editor process. Exit code 0 when the client
/// asked for `shutdown` first, 1 otherwise (as LSP specifies for `exit`).
pub async fn serve<I, O>(input: I, output: O, opts: ServeOptions) -> ExitCode
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Send + 'static,
{
    let (guard_side, server_side) = tokio::io::duplex(64 * 1024);
    let mut guard = tokio::spawn(transport::guard(input, guard_side));
    let (service, socket) = LspService::build(|client| Backend::new(client, opts))
        .custom_method(transport::INVALID_MESSAGE, Backend::invalid_message)
        .finish();
    let state = service.inner().state().clone();
    let served = Server::new(server_side, output, socket).serve(service);
    let input_ended = async {
        let _ = (&mut guard).await;
        // Normally the server stops on its own right after; this is the backstop.
        tokio::time::sleep(WIND_DOWN).await;
    };
    tokio::select! {
        () = served => {}
        () = state.exit.notified() => {}
        () = input_ended => tracing::warn!("input ended but the server did not stop; exiting"),
    }
    guard.abort();
    if state.is_shutdown() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
