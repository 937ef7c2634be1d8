//! The seam between the MCP session and the transports. A transport (stdio,
//! Streamable HTTP, legacy SSE) offers a [`Conn`]: send one JSON-RPC message,
//! receive the next. The session drives the handshake over any `Conn` and is
//! handed to the transports as a [`Handshake`], so that transports never
//! import the session (`mod.rs` wires the two). Closing stays with each
//! transport: how a process group or an HTTP session ends, and what that
//! adds to the report, is theirs.
//!
//! Imports `failure`, `ctx` and `report` only.

use serde_json::Value;

use super::ctx::Ctx;
use super::failure::{Failure, Outcome};
use super::report::LaunchReport;

/// A live connection to a server.
pub(crate) trait Conn: Send {
    /// Sends one message; `is_request` says whether an answer is awaited
    /// (Streamable HTTP reads the response body only then).
    async fn send(&mut self, msg: &Value, is_request: bool) -> Result<(), Failure>;

    /// The next message from the server.
    async fn recv(&mut self) -> Result<Value, Failure>;

    /// Records a JSON value that is not JSON-RPC. Returns whether the
    /// transport skips it (stdio does, like real clients) rather than fail
    /// (HTTP bodies must be valid).
    fn note_noise(&mut self, _text: &str) -> bool {
        false
    }

    /// The version `initialize` agreed on (Streamable HTTP sends it as a header).
    fn set_protocol_version(&mut self, _version: &str) {}
}

/// The MCP handshake a transport runs on the connection it established.
pub(crate) trait Handshake: Sync {
    /// `initialize` (a failure there has the phase `initialize`), then
    /// `notifications/initialized` and the lists.
    async fn handshake(
        &self,
        conn: &mut impl Conn,
        ctx: &mut Ctx<'_>,
        report: &mut LaunchReport,
    ) -> Outcome;
}
