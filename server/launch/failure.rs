//! Why a launch step failed, as data: the transports and the session return
//! these, `diagnose` turns them (with the report's evidence) into a diagnosis.
//! Imports nothing of `launch`.

use serde_json::Value;

/// Why a step failed. Turned into a [`Diagnosis`](super::report::Diagnosis) later,
/// together with the evidence stored in the report.
#[derive(Debug)]
pub(crate) enum Failure {
    Spawn(std::io::Error),
    BadCwd(std::path::PathBuf),
    /// The process ended (status in the report).
    Exited,
    /// stdout reached EOF (or stdin broke) while the process kept running.
    PipeClosed(&'static str),
    Timeout,
    Cancelled,
    LineTooLong {
        prefix: String,
    },
    /// Valid JSON that is not a JSON-RPC 2.0 message where one was expected.
    NotJsonRpc {
        detail: String,
        text: String,
    },
    Rpc {
        code: i64,
        message: String,
        data: Option<Value>,
    },
    /// A structurally wrong result (initialize result, list item).
    BadResult(String),
    UnsupportedVersion(String),
    Http(HttpFailure),
}

#[derive(Debug)]
pub(crate) enum HttpFailure {
    Refused(String),
    Dns(String),
    Tls(String),
    ConnectTimeout(String),
    Io(String),
    /// A non-success status (details in the report).
    Status(u16),
    Unauthorized(u16),
    /// 2xx `text/html`.
    Html,
    ContentType(String),
    BadHeader(String),
    BadJson(String),
    /// Legacy SSE: no `endpoint` event in time.
    NoEndpoint,
    EndpointOrigin(String),
    BadEndpoint(String),
    /// The server ended the stream without answering.
    StreamClosed,
    SseTooLarge,
    ClientBuild(String),
}

/// A failed step: which phase, and why.
#[derive(Debug)]
pub(crate) struct Failed {
    pub phase: String,
    pub failure: Failure,
}

pub(crate) type Outcome = Result<(), Failed>;
