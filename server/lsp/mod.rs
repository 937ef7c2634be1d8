//! The language server: glue between LSP (tower-lsp-server) and the pure
//! analysis core. No rule logic lives here.
//!
//! - `transport`: keeps the session alive through malformed input.
//! - `server`: the `LanguageServer` impl, routing only.
//! - `state`: open documents, settings, client capabilities.
//! - `convert`: the only place where spans/findings become LSP types.
//! - `diagnostics`, `code_action`, `hover`, `completion`, `symbols`: one feature each.
//! - `settings`: the `mcpConfigLsp` section. `commands`: `workspace/executeCommand`.
//!
//! stdout carries LSP frames only: logs go to stderr through `tracing`
//! (`MCP_CONFIG_LSP_LOG` or `RUST_LOG`, default `warn`), user-facing problems
//! through `window/logMessage`.

pub mod code_action;
pub mod commands;
pub mod completion;
pub mod convert;
pub mod diagnostics;
pub mod hover;
pub mod launch;
pub mod server;
pub mod settings;
pub mod state;
pub mod symbols;
pub mod transport;

pub use server::Backend;
pub use state::{State, Timing};

use crate::host::{Host, RealHost};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// How long to wait for the server to wind down once its input has ended.
const WIND_DOWN: Duration = Duration::from_secs(2);

/// What a server instance is built from; tests pass a `FakeHost` and short timings.
pub struct ServeOptions {
    pub host: Arc<dyn Host>,
    /// Called when watched files change (clears `RealHost`'s cache).
    pub on_files_changed: Option<Arc<dyn Fn() + Send + Sync>>,
    pub timing: Timing,
}

impl ServeOptions {
    pub fn new(host: Arc<dyn Host>) -> Self {
        Self {
            host,
            on_files_changed: None,
            timing: Timing::default(),
        }
    }

    /// This machine.
    pub fn real() -> Self {
        let host = Arc::new(RealHost::default());
        let cache = host.clone();
        Self {
            host,
            on_files_changed: Some(Arc::new(move || cache.invalidate())),
            timing: Timing::default(),
        }
    }
}

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

fn init_tracing() {
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

/// Exit when the editor that started us (`processId`) is gone.
fn watch_parent(state: Arc<State>, pid: u32) {
    #[cfg(unix)]
    {
        let Ok(raw) = i32::try_from(pid) else { return };
        // A pid we cannot see now (an editor outside our container's PID
        // namespace) says nothing about the editor: don't watch it.
        if raw <= 0 || !process_alive(raw) {
            tracing::info!("processId {pid} is not visible from here; not watching it");
            return;
        }
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(state.timing.parent_poll).await;
                if !process_alive(raw) {
                    tracing::warn!("the editor (process {pid}) has exited; stopping");
                    state.exit.notify_one();
                    return;
                }
            }
        });
    }
    #[cfg(not(unix))]
    {
        let _ = (state, pid);
    }
}

#[cfg(unix)]
fn process_alive(pid: i32) -> bool {
    use nix::errno::Errno;
    use nix::sys::signal::kill;
    use nix::unistd::Pid;
    // Signal 0 checks existence; EPERM means it exists but is not ours.
    !matches!(kill(Pid::from_raw(pid), None), Err(Errno::ESRCH))
}

/// Re-check open documents now and then, so that a command installed or a
/// file created meanwhile clears its diagnostic without reopening the file.
fn recheck_periodically(state: Arc<State>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(state.timing.recheck).await;
            if state.is_shutdown() {
                return;
            }
            if !state.docs.is_empty() {
                state.files_changed();
                diagnostics::recheck_all(&state).await;
            }
        }
    });
}
