//! The stdio protocol family: no answer in time (and why: npm installing,
//! stdout pollution, JSON that is not JSON-RPC), a JSON-RPC error, a version
//! the client does not speak.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::evidence::{
    d, http_evidence, noise_evidence, program_of, quote, secs, stderr_evidence, stderr_lines,
};
use super::process::npm_activity;
use crate::launch::ctx::Ctx;
use crate::launch::report::{Diagnosis, LaunchReport};
use crate::launch::session::LATEST_PROTOCOL_VERSION;
use crate::launch::spec::LaunchSpec;
use crate::redact::mask::cut_chars;
use crate::registry::{
    LAUNCH_PROTOCOL_ERROR, LAUNCH_STDOUT_POLLUTION, LAUNCH_TIMEOUT, LAUNCH_VERSION_MISMATCH,
};

/// No answer in time: over HTTP, or from a process that is still running.
pub(super) fn timeout(
    spec: &LaunchSpec,
    ctx: &Ctx<'_>,
    report: &LaunchReport,
    phase: &str,
) -> Diagnosis {
    let budget = if phase == "initialize" || phase == "connect" {
        ctx.timeout
    } else {
        ctx.list_budget
    };
    if report.http.is_some() {
        http_timeout(report, phase, budget)
    } else {
        stdio_timeout(spec, report, phase, budget)
    }
}

fn http_timeout(report: &LaunchReport, phase: &str, budget: Duration) -> Diagnosis {
    let mut ev = Vec::new();
    http_evidence(report, &mut ev);
    let url = report
        .http
        .as_ref()
        .map(|h| h.url.clone())
        .unwrap_or_default();
    let msg = if phase.ends_with("/list") {
        format!(
            "The server at {url} accepted `initialize` but `{phase}` got no answer within {}. Its handler probably hangs; check the server's logs.",
            secs(budget)
        )
    } else {
        format!(
            "The server at {url} did not answer {} within {}. Clients report “MCP error -32001: Request timed out”. The server may be overloaded or stuck, or a proxy may be holding the response back.",
            if phase == "connect" {
                "the SSE connection"
            } else {
                "`initialize`"
            },
            secs(budget)
        )
    };
    d(&LAUNCH_TIMEOUT, msg, ev)
}

/// A process that is still running: stdout pollution if it printed
/// something else before `initialize`, else a timeout with the likely cause.
fn stdio_timeout(
    spec: &LaunchSpec,
    report: &LaunchReport,
    phase: &str,
    budget: Duration,
) -> Diagnosis {
    let mut ev = Vec::new();
    let is_list = phase.ends_with("/list");
    let noise = report.process.as_ref().filter(|p| p.stdout_noise_lines > 0);
    noise_evidence(report, &mut ev);
    if let Some(u) = report
        .process
        .as_ref()
        .and_then(|p| p.stdout_unterminated.clone())
    {
        ev.push(format!(
            "stdout text without a trailing newline: {}",
            quote(&u)
        ));
    }
    ev.push(format!("process still running after {}", secs(budget)));
    stderr_evidence(report, &mut ev);
    if let Some(p) = noise
        && !is_list
    {
        let first = p.stdout_noise.first().map(|s| quote(s)).unwrap_or_default();
        return d(
            &LAUNCH_STDOUT_POLLUTION,
            format!(
                "The server printed text on stdout that is not JSON-RPC ({first}{}) and then did not answer `initialize` within {}. stdout is reserved for JSON-RPC messages; banners and logs there corrupt or hide the protocol. Send them to stderr (console.error, print(..., file=sys.stderr), logging to stderr).",
                if p.stdout_noise_lines > 1 {
                    format!(", and {} more lines", p.stdout_noise_lines - 1)
                } else {
                    String::new()
                },
                secs(budget)
            ),
            ev,
        );
    }
    let mut msg = if is_list {
        format!(
            "The server answered `initialize`, but `{phase}` got no answer within {}: its handler hangs or is very slow.",
            secs(budget)
        )
    } else {
        format!(
            "The server is running but did not answer `initialize` within {}. Clients report “MCP error -32001: Request timed out”.",
            secs(budget)
        )
    };
    msg.push_str(&stdio_timeout_causes(spec, report, is_list));
    d(&LAUNCH_TIMEOUT, msg, ev)
}

/// What usually keeps a process from answering: an `npx` prompt or
/// download, output without a newline, buffering or a prompt for input.
fn stdio_timeout_causes(spec: &LaunchSpec, report: &LaunchReport, is_list: bool) -> String {
    let mut msg = String::new();
    let lines = stderr_lines(report);
    let (program, args, _) = program_of(spec).unwrap_or(("", &[], &[]));
    let base = Path::new(program)
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or(program);
    let npx = base == "npx" || base == "npx.cmd";
    let has_yes = args.iter().any(|a| a == "-y" || a == "--yes");
    let prompt_seen = lines
        .iter()
        .any(|l| l.to_ascii_lowercase().contains("ok to proceed"));
    if (npx && !has_yes) || prompt_seen {
        msg.push_str(" `npx` without `-y` asks “Ok to proceed? (y)” before installing a package, and with no terminal it waits forever: add \"-y\" as the first argument.");
    }
    if let Some(l) = npm_activity(&lines) {
        msg.push_str(&format!(
            " stderr shows npm activity ({}): the first run of `npx` downloads the package, which can take longer than the client waits. Run the command once in a terminal to fill the cache, then retry, or raise the timeout.",
            quote(&l)
        ));
    } else if npx && has_yes && lines.is_empty() {
        msg.push_str(" With npx the first run downloads the package, which can be slow; retry once it is cached.");
    }
    if report
        .process
        .as_ref()
        .is_some_and(|p| p.stdout_unterminated.is_some())
    {
        msg.push_str(" Its stdout ends with text without a newline: every message must end with \\n and be flushed.");
    } else if !is_list {
        msg.push_str(" Common causes: it waits for input (a prompt or a login), its stdout is block-buffered (Python: run with -u or set PYTHONUNBUFFERED=1), or it is still starting up.");
    }
    msg
}

pub(super) fn supported_list(data: Option<&Value>) -> Option<Vec<String>> {
    let s = data?.get("supported")?.as_array()?;
    Some(
        s.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

pub(super) fn rpc_error(
    report: &LaunchReport,
    phase: &str,
    c: i64,
    message: &str,
    data: Option<&Value>,
) -> Diagnosis {
    let mut ev = vec![format!(
        "JSON-RPC error {c}: {message}{}",
        data.map(|d| format!(" (data: {})", cut_chars(&d.to_string(), 300)))
            .unwrap_or_default()
    )];
    stderr_evidence(report, &mut ev);
    let supported = supported_list(data);
    if phase == "initialize" {
        if let Some(s) = &supported {
            if s.iter().any(|v| v.starts_with("2026-")) && (c == -32601 || c == -32022) {
                return d(
                    &LAUNCH_VERSION_MISMATCH,
                    format!(
                        "The server speaks only the handshake-free protocol (supported: {}); clients that start with `initialize` (all current SDK-based clients) cannot talk to it. Use a client that supports protocol 2026-07-28 or a server release that still supports {LATEST_PROTOCOL_VERSION}.",
                        s.join(", ")
                    ),
                    ev,
                );
            }
            if c == -32602 || c == -32022 {
                return d(
                    &LAUNCH_VERSION_MISMATCH,
                    format!(
                        "The server rejected protocol version {LATEST_PROTOCOL_VERSION} (“{message}”) and supports only {}. Clients show “MCP error {c}: {message}”. Update the server (or its MCP SDK) so it accepts a current protocol version.",
                        s.join(", ")
                    ),
                    ev,
                );
            }
        }
        if c == -32601 {
            return d(
                &LAUNCH_PROTOCOL_ERROR,
                "The server does not know the `initialize` method (JSON-RPC -32601 Method not found): it is not an MCP server, or it speaks only a newer handshake-free protocol revision.".to_string(),
                ev,
            );
        }
    }
    d(
        &LAUNCH_PROTOCOL_ERROR,
        format!(
            "The server answered `{}` with a JSON-RPC error: {c} {}. Clients show “MCP error {c}: {message}”.{}",
            if phase == "initialize" {
                "initialize"
            } else {
                phase
            },
            quote(message),
            if phase == "initialize" {
                " Its stderr or logs usually say more."
            } else {
                " The handshake worked; this list handler fails."
            }
        ),
        ev,
    )
}
