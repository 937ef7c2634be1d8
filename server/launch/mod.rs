//! Test launch: start an MCP server the way a client would, run the real
//! handshake, and explain any failure.
//!
//! * stdio: the program is spawned directly (no shell) with exactly the
//!   environment given, in a new process group; on the way out stdin is
//!   closed, then the whole group gets SIGTERM and, after a grace period,
//!   SIGKILL. No process of the group outlives [`launch`], even when the
//!   future is dropped half-way (a guard SIGKILLs the group on drop).
//! * Streamable HTTP, legacy HTTP+SSE, or the spec's fallback between them.
//! * The handshake: `initialize` (we offer [`LATEST_PROTOCOL_VERSION`]),
//!   version check, `notifications/initialized`, then `tools/list`,
//!   `prompts/list` and `resources/list` for advertised capabilities.
//!
//! The result is a [`LaunchReport`] with exactly one [`Diagnosis`] code from
//! [`code`]. Every string in the report has gone through the [`Masker`].
//!
//! Decisions worth knowing:
//! * Non-JSON lines on stdout are recorded and skipped, like real clients do.
//!   If the handshake still succeeds the code stays `launch/ok` and the
//!   message carries a warning naming the first line (also in `evidence`).
//!   If it then times out, the code is `launch/stdout-pollution`. A JSON line
//!   that is not JSON-RPC but answers our request (`id`/`result`/`error`)
//!   fails at once with `launch/protocol-error`; other JSON non-JSON-RPC
//!   lines (JSON loggers) count as pollution and, if nothing valid ever
//!   arrives, end as `launch/protocol-error` at the timeout.
//! * Cancellation ends the launch promptly (with the same cleanup); the
//!   report then carries `launch/timeout` with a message saying it was
//!   cancelled, since the code list has no separate entry for it.
//! * The list phases get their own budget each: `min(timeout, 10 s)`.

mod auth;
pub mod check;
mod diagnose;
mod http;
mod lines;
pub mod plan;

mod report;
mod session;
mod sse;
mod stdio;
mod version;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

pub use crate::redact::mask::{MIN_SECRET_CHARS, Masker};
pub use crate::redact::redact;
pub use auth::{Challenge, bearer_params, parse_www_authenticate};
pub use check::{Checked, ServerCheck, check_server, check_servers, spawn_checks, summary};
pub use lines::{LineEvent, LineReader, TailBuffer};
pub use report::{
    Diagnosis, ExitInfo, HttpAttempt, HttpReport, LaunchReport, Listing, Phase, ProcessReport,
    Redirect, ResourceMetadata, ServerInfo, Transport, WwwAuthenticate, code,
};
pub use sse::{SseEvent, SseParser, SseTooLarge};
pub use stdio::{exit_info, signal_name};
pub use version::program_version;

/// Protocol versions this client accepts, newest first.
pub const SUPPORTED_PROTOCOL_VERSIONS: &[&str] =
    &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];
/// The version offered in `initialize`.
pub const LATEST_PROTOCOL_VERSION: &str = "2025-11-25";
/// `clientInfo.name` sent in `initialize`.
pub const CLIENT_NAME: &str = "mcp-config-lsp";

/// Longest accepted stdout line / HTTP message / SSE event.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// How much stderr is kept.
pub const STDERR_TAIL_BYTES: usize = 8 * 1024;
/// Page cap for each list.
pub const MAX_LIST_PAGES: u32 = 20;
/// Upper bound for each list phase.
pub const LIST_TIMEOUT: Duration = Duration::from_secs(10);

/// What to launch and how long to wait.
#[derive(Clone)]
pub struct LaunchSpec {
    pub target: LaunchTarget,
    /// Overall budget for spawn/connect + `initialize`. Each list gets its
    /// own budget of `min(timeout, 10 s)`.
    pub timeout: Duration,
    /// Values to mask wherever they appear in the report (env/header values).
    /// Also masked without being listed here: `Authorization` and other
    /// credential-looking header values, env values whose names look like
    /// credentials (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*_KEY`, …), and
    /// token-like URL query values.
    pub secrets: Vec<String>,
}

#[derive(Clone)]
pub enum LaunchTarget {
    Stdio {
        program: String,
        args: Vec<String>,
        /// The complete environment of the child (nothing is inherited).
        env: Vec<(String, String)>,
        cwd: Option<PathBuf>,
    },
    Http {
        url: url::Url,
        headers: Vec<(String, String)>,
        kind: HttpKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum HttpKind {
    StreamableHttp,
    Sse,
    /// POST (Streamable HTTP); on 400/404/405 fall back to GET + SSE.
    Auto,
}

// Debug without values: env and headers may hold secrets.
impl std::fmt::Debug for LaunchSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LaunchSpec")
            .field("target", &self.target)
            .field("timeout", &self.timeout)
            .field("secrets", &format_args!("[{} hidden]", self.secrets.len()))
            .finish()
    }
}

impl std::fmt::Debug for LaunchTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LaunchTarget::Stdio {
                program,
                args,
                env,
                cwd,
            } => f
                .debug_struct("Stdio")
                .field("program", program)
                .field("args", &format_args!("[{} args]", args.len()))
                .field(
                    "env",
                    &env.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
                )
                .field("cwd", cwd)
                .finish(),
            LaunchTarget::Http { url, headers, kind } => f
                .debug_struct("Http")
                .field("url", &Masker::default().url(url))
                .field(
                    "headers",
                    &headers.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
                )
                .field("kind", kind)
                .finish(),
        }
    }
}

/// A cancellation future that may be awaited any number of times.
pub(crate) struct Cancel<'a> {
    fut: Pin<Box<dyn Future<Output = ()> + Send + 'a>>,
    fired: bool,
}

impl<'a> Cancel<'a> {
    fn new(fut: impl Future<Output = ()> + Send + 'a) -> Self {
        Cancel {
            fut: Box::pin(fut),
            fired: false,
        }
    }

    /// Resolves when cancelled (at once if it already was).
    pub(crate) async fn wait(&mut self) {
        if !self.fired {
            (&mut self.fut).await;
            self.fired = true;
        }
    }
}

/// Shared state of one launch.
pub(crate) struct Ctx<'a> {
    pub masker: Masker,
    pub cancel: Cancel<'a>,
    pub started: Instant,
    /// End of the connect + initialize budget.
    pub deadline: Instant,
    pub timeout: Duration,
    pub list_budget: Duration,
}

impl Ctx<'_> {
    pub(crate) fn elapsed_ms(&self) -> u64 {
        ms(self.started.elapsed())
    }
}

pub(crate) fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Runs a test launch. Must be called inside a Tokio runtime (it spawns
/// reader tasks). `cancel` resolving stops it promptly (processes are
/// still cleaned up); pass `std::future::pending()` for none, or e.g.
/// `token.cancelled_owned()` / `async move { let _ = rx.wait_for(|c| *c).await; }`.
pub async fn launch<C>(spec: LaunchSpec, cancel: C) -> LaunchReport
where
    C: Future<Output = ()> + Send,
{
    let started = Instant::now();
    let masker = build_masker(&spec);
    let mut ctx = Ctx {
        masker,
        cancel: Cancel::new(cancel),
        started,
        // A huge timeout must not overflow the clock.
        deadline: started
            .checked_add(spec.timeout)
            .unwrap_or_else(|| started + Duration::from_secs(365 * 24 * 3600)),
        timeout: spec.timeout,
        list_budget: spec.timeout.min(LIST_TIMEOUT),
    };
    let mut report = LaunchReport {
        target: describe_target(&spec.target, &ctx.masker),
        transport: None,
        duration_ms: 0,
        phases: Vec::new(),
        protocol_version: None,
        server_info: None,
        capabilities: None,
        tools: None,
        prompts: None,
        resources: None,
        process: None,
        http: None,
        diagnosis: Diagnosis {
            code: &crate::registry::LAUNCH_OK,
            message: String::new(),
            evidence: Vec::new(),
        },
    };
    let outcome = match &spec.target {
        LaunchTarget::Stdio {
            program,
            args,
            env,
            cwd,
        } => stdio::run(program, args, env, cwd.as_deref(), &mut ctx, &mut report).await,
        LaunchTarget::Http { url, headers, kind } => {
            http::run(url, headers, *kind, &mut ctx, &mut report).await
        }
    };
    report.diagnosis = diagnose::diagnose(&spec, &ctx, &report, &outcome);
    report.mask_secrets(&ctx.masker);
    tracing::debug!(
        code = report.diagnosis.code.code,
        ms = report.duration_ms,
        "test launch done"
    );
    report
}

fn build_masker(spec: &LaunchSpec) -> Masker {
    let mut secrets: Vec<String> = spec.secrets.clone();
    match &spec.target {
        LaunchTarget::Http { headers, .. } => {
            for (k, v) in headers {
                if crate::redact::mask::is_sensitive_header(k) {
                    secrets.push(v.clone());
                }
            }
        }
        LaunchTarget::Stdio { env, .. } => {
            for (k, v) in env {
                if crate::redact::mask::is_sensitive_env(k) {
                    secrets.push(v.clone());
                }
            }
        }
    }
    let mut m = Masker::new(secrets);
    if let LaunchTarget::Http { url, .. } = &spec.target {
        m.add_url_secrets(url);
    }
    m
}

fn describe_target(t: &LaunchTarget, m: &Masker) -> String {
    match t {
        LaunchTarget::Stdio { program, args, .. } => {
            let mut words = vec![program.as_str()];
            words.extend(args.iter().map(String::as_str));
            m.mask(&shell_words::join(words))
        }
        LaunchTarget::Http { url, .. } => m.url(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn launch_future_is_send() {
        let spec = LaunchSpec {
            target: LaunchTarget::Stdio {
                program: "true".into(),
                args: vec![],
                env: vec![],
                cwd: None,
            },
            timeout: Duration::from_secs(1),
            secrets: vec![],
        };
        let fut = launch(spec, std::future::pending());
        assert_send(&fut);
    }

    #[test]
    fn debug_hides_values() {
        let spec = LaunchSpec {
            target: LaunchTarget::Http {
                url: url::Url::parse("https://h.example/mcp?token=abcdefghijk").unwrap(),
                headers: vec![("Authorization".into(), "Bearer s3cr3t-value".into())],
                kind: HttpKind::Auto,
            },
            timeout: Duration::from_secs(1),
            secrets: vec!["s3cr3t-value".into()],
        };
        let d = format!("{spec:?}");
        assert!(!d.contains("s3cr3t"), "{d}");
        assert!(!d.contains("abcdefghijk"), "{d}");
    }
}
