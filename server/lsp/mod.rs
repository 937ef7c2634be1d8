//! The language server: glue between LSP (tower-lsp-server) and the pure
//! analysis core. No rule logic lives here.
//!
//! Layers, each importing only those below it (`scripts/check-layers`):
//!
//! 1. `session`: `run`/`serve`, the entry point.
//! 2. `server`: the `LanguageServer` impl, routing only.
//! 3. `watch`: the editor-process watch and the periodic re-check.
//! 4. Features, one each: `code_action` → `commands` → `launch` (test
//!    launches, code lenses) → `diagnostics`; `hover`, `completion`, `symbols`.
//! 5. `state`: open documents, snapshots, settings, timings; `logs`
//!    below it: what each server's client logged (diagnostic and hover text).
//! 6. `group` (the same problem at many places, as one diagnostic) on
//!    the leaves: `convert` (spans/findings ↔ LSP types), `caps` (client
//!    capabilities), `reported` (the diagnostics the client was last given),
//!    `settings` (the `mcpConfigLsp` section), `transport`
//!    (keeps the session alive through malformed input).
//!
//! stdout carries LSP frames only: logs go to stderr through `tracing`
//! (`MCP_CONFIG_LSP_LOG` or `RUST_LOG`, default `warn`), user-facing problems
//! through `window/logMessage`.

pub mod caps;
pub mod code_action;
pub mod commands;
pub mod completion;
pub mod convert;
pub mod diagnostics;
pub mod group;
pub mod hover;
pub mod launch;

pub mod logs;
pub mod reported;
pub mod server;
pub mod session;
pub mod settings;
pub mod state;
pub mod symbols;
pub mod transport;
pub mod watch;

pub use server::Backend;
pub use session::{init_tracing, run, serve};
pub use state::{ServeOptions, State, Timing};
