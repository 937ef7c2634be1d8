//! Failure + evidence → one diagnosis code and a message for a person who
//! just saw "MCP error -32000: Connection closed".

use std::path::Path;

use serde_json::Value;

use super::ctx::Ctx;
use super::failure::{Failed, Failure, HttpFailure, Outcome};
use super::limits::MAX_MESSAGE_BYTES;
use super::report::{Diagnosis, ExitInfo, LaunchReport, Transport};
use super::session::{LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS};
use super::spec::{HttpKind, LaunchSpec, LaunchTarget};
use crate::redact::mask::cut_chars;
use crate::registry::*;

const STDERR_EVIDENCE_LINES: usize = 20;

fn d(code: &'static Rule, message: String, evidence: Vec<String>) -> Diagnosis {
    Diagnosis {
        code,
        message,
        evidence,
    }
}

pub(crate) fn diagnose(
    spec: &LaunchSpec,
    ctx: &Ctx<'_>,
    report: &LaunchReport,
    outcome: &Outcome,
) -> Diagnosis {
    match outcome {
        Ok(()) => ok(spec, report),
        Err(f) => failed(spec, ctx, report, f),
    }
}

// ---------------------------------------------------------------------------
// Evidence helpers

fn quote(s: &str) -> String {
    format!("“{}”", cut_chars(s.trim(), 200))
}

fn stderr_lines(report: &LaunchReport) -> Vec<&str> {
    report
        .process
        .as_ref()
        .map(|p| {
            p.stderr_tail
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn last_stderr_line(report: &LaunchReport) -> Option<String> {
    stderr_lines(report)
        .last()
        .map(|l| cut_chars(l.trim(), 200))
}

fn stderr_evidence(report: &LaunchReport, ev: &mut Vec<String>) {
    let Some(p) = &report.process else { return };
    let lines = stderr_lines(report);
    if lines.is_empty() {
        if p.stderr_bytes == 0 {
            ev.push("stderr: (empty)".into());
        }
        return;
    }
    let from = lines.len().saturating_sub(STDERR_EVIDENCE_LINES);
    let shown: Vec<String> = lines[from..].iter().map(|l| cut_chars(l, 300)).collect();
    ev.push(format!(
        "stderr (last {} lines of {} bytes):\n{}",
        shown.len(),
        p.stderr_bytes,
        shown.join("\n")
    ));
}

fn noise_evidence(report: &LaunchReport, ev: &mut Vec<String>) {
    let Some(p) = &report.process else { return };
    for (i, l) in p.stdout_noise.iter().enumerate() {
        ev.push(format!(
            "stdout line {} that is not JSON-RPC: {}",
            i + 1,
            quote(l)
        ));
    }
    if p.stdout_noise_lines > p.stdout_noise.len() {
        ev.push(format!(
            "{} such stdout lines in total",
            p.stdout_noise_lines
        ));
    }
}

fn exit_text(e: &ExitInfo) -> String {
    match (&e.signal, e.code) {
        (Some(s), _) => format!(
            "killed by {s}{}",
            if e.core_dumped { " (core dumped)" } else { "" }
        ),
        (None, Some(c)) => format!("exit code {c}"),
        (None, None) => "ended (status unknown)".into(),
    }
}

fn exit_evidence(report: &LaunchReport, ev: &mut Vec<String>) {
    if let Some(e) = report.process.as_ref().and_then(|p| p.exit.as_ref()) {
        let by = if e.by_launcher {
            " (at shutdown, by the launcher)"
        } else {
            ""
        };
        ev.push(format!("process {}{by}", exit_text(e)));
    }
}

fn http_evidence(report: &LaunchReport, ev: &mut Vec<String>) {
    let Some(h) = &report.http else { return };
    for r in &h.redirects {
        ev.push(format!("redirect {}: {} → {}", r.status, r.from, r.to));
    }
    if h.attempts.len() > 1 {
        for a in &h.attempts {
            ev.push(format!(
                "{} {} {} → {}",
                a.transport.as_str(),
                a.method,
                a.url,
                a.outcome
            ));
        }
    }
    if let Some(s) = h.status {
        let ct = h.content_type.as_deref().unwrap_or("no content type");
        ev.push(format!(
            "{} {} → HTTP {s} ({ct})",
            h.method.as_deref().unwrap_or("request"),
            h.final_url.as_deref().unwrap_or(&h.url)
        ));
    }
    if let Some(w) = &h.www_authenticate {
        ev.push(format!("WWW-Authenticate: {}", w.raw));
    }
    if let Some(m) = &h.resource_metadata {
        match &m.error {
            None => {
                ev.push(format!("protected-resource metadata {}", m.url));
                if !m.authorization_servers.is_empty() {
                    ev.push(format!(
                        "authorization_servers: {}",
                        m.authorization_servers.join(", ")
                    ));
                }
                if !m.scopes_supported.is_empty() {
                    ev.push(format!(
                        "scopes_supported: {}",
                        m.scopes_supported.join(" ")
                    ));
                }
            }
            Some(e) => ev.push(format!("protected-resource metadata {}: {e}", m.url)),
        }
    }
    if let Some(t) = &h.html_title {
        ev.push(format!("HTML <title>: {t}"));
    }
    if let Some(b) = &h.body_snippet {
        ev.push(format!("body: {}", cut_chars(b, 500)));
    }
}

fn secs(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// "before answering `initialize`" / "during `tools/list`".
fn when(phase: &str) -> String {
    match phase {
        "spawn" => "at spawn".into(),
        "initialize" => "before answering `initialize`".into(),
        "connect" => "while connecting".into(),
        "notifications/initialized" => {
            "right after `initialize` (at `notifications/initialized`)".into()
        }
        p => format!("during `{p}` (after a successful `initialize`)"),
    }
}

/// Program, args and env of a stdio target.
type StdioParts<'a> = (&'a str, &'a [String], &'a [(String, String)]);

fn program_of(spec: &LaunchSpec) -> Option<StdioParts<'_>> {
    match &spec.target {
        LaunchTarget::Stdio {
            program, args, env, ..
        } => Some((program.as_str(), args.as_slice(), env.as_slice())),
        LaunchTarget::Http { .. } => None,
    }
}

fn env_path(env: &[(String, String)]) -> Option<&str> {
    env.iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.as_str())
}

// ---------------------------------------------------------------------------
// Success

fn ok(spec: &LaunchSpec, report: &LaunchReport) -> Diagnosis {
    let mut parts = vec![format!(
        "✓ protocol {}",
        report.protocol_version.as_deref().unwrap_or("?")
    )];
    if let Some(si) = &report.server_info {
        parts.push(match &si.version {
            Some(v) => format!("{} {v}", si.name),
            None => si.name.clone(),
        });
    }
    let mut counts = Vec::new();
    for (l, one, many) in [
        (&report.tools, "tool", "tools"),
        (&report.prompts, "prompt", "prompts"),
        (&report.resources, "resource", "resources"),
    ] {
        if let Some(l) = l {
            let plus = if l.truncated { "+" } else { "" };
            counts.push(format!(
                "{}{plus} {}",
                l.count,
                if l.count == 1 { one } else { many }
            ));
        }
    }
    parts.push(if counts.is_empty() {
        "no tools, prompts or resources advertised".into()
    } else {
        counts.join(", ")
    });
    parts.push(format!("{} ms", report.duration_ms));
    let mut message = parts.join(" · ");
    let mut evidence = Vec::new();

    if let (
        LaunchTarget::Http {
            kind: HttpKind::Auto,
            ..
        },
        Some(Transport::Sse),
    ) = (&spec.target, report.transport)
    {
        message.push_str("\nℹ The URL speaks the legacy HTTP+SSE transport (Streamable HTTP POST was refused, the GET fallback worked). Set the transport type to SSE in the config, or use the server's Streamable HTTP endpoint.");
        http_evidence(report, &mut evidence);
    }
    if let Some(p) = &report.process
        && p.stdout_noise_lines > 0
    {
        let first = p.stdout_noise.first().map(|s| quote(s)).unwrap_or_default();
        message.push_str(&format!(
            "\n⚠ The server printed {} line{} on stdout that {} not JSON-RPC (first: {first}). Clients skip such lines, but stdout is reserved for protocol messages: a banner or log there can corrupt a message. Log to stderr instead.",
            p.stdout_noise_lines,
            if p.stdout_noise_lines == 1 { "" } else { "s" },
            if p.stdout_noise_lines == 1 { "is" } else { "are" },
        ));
        noise_evidence(report, &mut evidence);
    }
    d(&LAUNCH_OK, message, evidence)
}

// ---------------------------------------------------------------------------
// Failures

fn failed(spec: &LaunchSpec, ctx: &Ctx<'_>, report: &LaunchReport, f: &Failed) -> Diagnosis {
    let mut ev = Vec::new();
    let phase = f.phase.as_str();
    match &f.failure {
        Failure::Spawn(e) => spawn_failed(spec, e),
        Failure::BadCwd(dir) => d(
            &LAUNCH_NOT_FOUND,
            format!(
                "The working directory {} does not exist (or is not a directory), so the server could not be started. Fix `cwd` in the config.",
                dir.display()
            ),
            vec![format!("cwd: {}", dir.display())],
        ),
        Failure::Exited => exited(spec, report, phase),
        Failure::PipeClosed(which) => {
            stderr_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "The server closed its {which} {} but kept running, so no messages can flow. A stdio server must keep stdin and stdout open for the whole session.",
                    when(phase)
                ),
                ev,
            )
        }
        Failure::Cancelled => {
            stderr_evidence(report, &mut ev);
            d(
                &LAUNCH_TIMEOUT,
                format!(
                    "Test launch cancelled after {} ms, during `{phase}`, before the server could be fully checked.",
                    report.duration_ms
                ),
                ev,
            )
        }
        Failure::Timeout => timeout(spec, ctx, report, phase),
        Failure::LineTooLong { prefix } => {
            ev.push(format!("line starts with: {}", quote(prefix)));
            stderr_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "The server wrote a stdout line longer than {} MiB {} — either a runaway log line or a message far larger than any client accepts.",
                    MAX_MESSAGE_BYTES / (1024 * 1024),
                    when(phase)
                ),
                ev,
            )
        }
        Failure::NotJsonRpc { detail, text } => {
            if !text.is_empty() {
                ev.push(format!("received: {}", quote(text)));
            }
            noise_evidence(report, &mut ev);
            http_evidence(report, &mut ev);
            stderr_evidence(report, &mut ev);
            let what = if report.http.is_some() {
                "This URL answers with JSON that is not JSON-RPC 2.0 — probably a REST API rather than an MCP endpoint."
            } else {
                "The server writes JSON to stdout that is not JSON-RPC 2.0 — it is not an MCP server, or speaks another protocol (or logs JSON to stdout)."
            };
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!("{what} Problem: {detail} ({}).", when(phase)),
                ev,
            )
        }
        Failure::Rpc {
            code: c,
            message,
            data,
        } => rpc_error(report, phase, *c, message, data.as_ref()),
        Failure::BadResult(detail) => {
            stderr_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "The server's answer is not a valid MCP result: {detail}. Clients built on the official SDKs reject it; this is a server bug."
                ),
                ev,
            )
        }
        Failure::UnsupportedVersion(v) => {
            ev.push(format!("initialize result protocolVersion: {v}"));
            ev.push(format!(
                "offered: {LATEST_PROTOCOL_VERSION}; supported: {}",
                SUPPORTED_PROTOCOL_VERSIONS.join(", ")
            ));
            d(
                &LAUNCH_VERSION_MISMATCH,
                format!(
                    "The server answered protocolVersion “{v}”, which clients do not support (supported: {}). A TypeScript-SDK client fails with “Server's protocol version is not supported: {v}” and disconnects. Update the server (or its MCP SDK).",
                    SUPPORTED_PROTOCOL_VERSIONS.join(", ")
                ),
                ev,
            )
        }
        Failure::Http(h) => http_failed(spec, ctx, report, phase, h),
    }
}

fn spawn_failed(spec: &LaunchSpec, e: &std::io::Error) -> Diagnosis {
    let Some((program, _, env)) = program_of(spec) else {
        return d(
            &LAUNCH_NOT_FOUND,
            format!("Could not start the server: {e}"),
            vec![],
        );
    };
    let mut ev = vec![format!("spawn error: {e}")];
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            if program.contains('/') {
                let p = Path::new(program);
                if p.is_file() {
                    let interp = shebang(p);
                    if let Some(i) = &interp {
                        ev.push(format!("first line: #!{i}"));
                    }
                    let named = interp.map(|i| format!(" ({i})")).unwrap_or_default();
                    d(
                        &LAUNCH_NOT_FOUND,
                        format!(
                            "{program} exists, but the interpreter named on its first line{named} was not found. Install it, fix the #! line, or run the script through an interpreter given by absolute path."
                        ),
                        ev,
                    )
                } else {
                    d(
                        &LAUNCH_NOT_FOUND,
                        format!("{program} does not exist. Check the path in `command`."),
                        ev,
                    )
                }
            } else {
                ev.push(match env_path(env) {
                    Some(p) => format!("PATH given to the server: {p}"),
                    None => "PATH given to the server: (not set)".into(),
                });
                let here = which::which(program).ok();
                let hint = match &here {
                    Some(found) => {
                        ev.push(format!("found on this process's PATH at {}", found.display()));
                        format!(
                            " It exists at {} on this machine, but that directory is not on the PATH the client passes. Use the absolute path as `command`, or add the directory to `env.PATH`.",
                            found.display()
                        )
                    }
                    None => " Install it, or use an absolute path as `command`. GUI clients (Claude Desktop, editors started from the dock) don't read your shell profile, so tools installed via nvm, Homebrew, asdf or pyenv are often missing from their PATH.".into(),
                };
                d(
                    &LAUNCH_NOT_FOUND,
                    format!(
                        "`{program}` was not found on the PATH the client gives the server.{hint}"
                    ),
                    ev,
                )
            }
        }
        std::io::ErrorKind::PermissionDenied => {
            let p = Path::new(program);
            let msg = if p.is_dir() {
                format!(
                    "{program} is a directory, not a program. Point `command` at the executable inside it."
                )
            } else {
                format!(
                    "{program} is not executable (permission denied). Run `chmod +x {program}`, or start it through its interpreter (e.g. `python3 script.py`)."
                )
            };
            d(&LAUNCH_PERMISSION_DENIED, msg, ev)
        }
        _ => d(
            &LAUNCH_NOT_FOUND,
            format!("The server could not be started: {e}."),
            ev,
        ),
    }
}

fn shebang(p: &Path) -> Option<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(p).ok()?;
    let mut buf = [0u8; 256];
    let n = f.read(&mut buf).ok()?;
    let head = String::from_utf8_lossy(&buf[..n]);
    let line = head.lines().next()?;
    line.strip_prefix("#!").map(|s| s.trim().to_string())
}

fn exited(spec: &LaunchSpec, report: &LaunchReport, phase: &str) -> Diagnosis {
    let mut ev = Vec::new();
    exit_evidence(report, &mut ev);
    noise_evidence(report, &mut ev);
    stderr_evidence(report, &mut ev);
    let exit = report.process.as_ref().and_then(|p| p.exit.clone());
    let last = last_stderr_line(report)
        .map(|l| format!(" Last stderr line: {}.", quote(&l)))
        .unwrap_or_else(|| " It wrote nothing to stderr.".into());
    let closed = " Clients report this as “MCP error -32000: Connection closed”.";
    let w = when(phase);
    let Some(e) = exit else {
        return d(
            &LAUNCH_EXITED,
            format!("The server process ended {w}.{last}{closed}"),
            ev,
        );
    };
    if let Some(sig) = &e.signal {
        return killed(sig, &w, &last, ev);
    }
    let c = e.code.unwrap_or(-1);
    match c {
        127 => d(
            &LAUNCH_NOT_FOUND,
            format!(
                "The server exited with code 127 {w}: by shell convention “command not found”. The command it runs in turn (through a wrapper such as npx, sh -c or a launcher script) was not found.{last} Install the missing program or use absolute paths."
            ),
            ev,
        ),
        126 => d(
            &LAUNCH_PERMISSION_DENIED,
            format!(
                "The server exited with code 126 {w}: by shell convention “found but not executable”.{last} Fix the permissions (chmod +x) of the program the wrapper runs."
            ),
            ev,
        ),
        129..=159 => {
            let sig = super::stdio::signal_name(c - 128);
            d(
                &LAUNCH_KILLED,
                format!(
                    "The server exited with code {c} {w} = 128 + {}: a process behind a shell wrapper was killed by {sig}{}.{last}",
                    c - 128,
                    if c == 137 {
                        " — often the out-of-memory killer"
                    } else {
                        ""
                    }
                ),
                ev,
            )
        }
        0 if phase != "initialize" => d(
            &LAUNCH_EXITED,
            format!(
                "The server exited normally (code 0) {w}: it answered `initialize` and then quit in the middle of the session.{last}{closed}"
            ),
            ev,
        ),
        0 => {
            let printed = report
                .process
                .as_ref()
                .and_then(|p| p.stdout_noise.first())
                .map(|l| format!(" It printed {} on stdout.", quote(l)))
                .unwrap_or_default();
            let args_hint = match program_of(spec) {
                Some((_, [], _)) => {
                    " Check whether it needs an argument such as `stdio` or `--stdio`."
                }
                _ => {
                    " Check its arguments (it may need `stdio`/`--stdio`, or it printed help because an argument is wrong)."
                }
            };
            d(
                &LAUNCH_EXITED,
                format!(
                    "The server exited normally (code 0) {w}: it is not a long-running stdio server as launched — it must keep running and answer on stdout.{printed}{args_hint}{closed}"
                ),
                ev,
            )
        }
        _ => d(
            &LAUNCH_EXITED,
            format!(
                "The server crashed {w}: it exited with code {c}.{last}{closed} Fix what stderr reports (often a missing API key or environment variable, a bad argument, or a missing dependency) and test again."
            ),
            ev,
        ),
    }
}

fn killed(sig: &str, w: &str, last: &str, ev: Vec<String>) -> Diagnosis {
    let why = match sig {
        "SIGKILL" => {
            " SIGKILL is most often the out-of-memory killer (see `dmesg` or the system log); otherwise another program killed it."
        }
        "SIGTERM" => " Something else terminated it (a supervisor, a timeout wrapper, or a user).",
        "SIGSEGV" | "SIGBUS" | "SIGILL" | "SIGFPE" => {
            " That is a crash in native code (a bad binary or native module, or an architecture mismatch)."
        }
        "SIGABRT" => {
            " The process aborted itself (a failed assertion or an unhandled fatal error)."
        }
        _ => "",
    };
    d(
        &LAUNCH_KILLED,
        format!("The server was killed by {sig} {w}.{why}{last}"),
        ev,
    )
}

fn npm_activity(lines: &[&str]) -> Option<String> {
    let keys = [
        "npm warn",
        "npm err",
        "npm notice",
        "npm http",
        "npm info",
        "npx:",
        "need to install the following packages",
        "added ",
        "ok to proceed",
        "npm error",
    ];
    lines
        .iter()
        .rev()
        .find(|l| {
            let l = l.to_ascii_lowercase();
            keys.iter().any(|k| l.contains(k))
        })
        .map(|l| cut_chars(l.trim(), 200))
}

fn timeout(spec: &LaunchSpec, ctx: &Ctx<'_>, report: &LaunchReport, phase: &str) -> Diagnosis {
    let mut ev = Vec::new();
    let budget = if phase == "initialize" || phase == "connect" {
        ctx.timeout
    } else {
        ctx.list_budget
    };
    let is_list = phase.ends_with("/list");
    if report.http.is_some() {
        http_evidence(report, &mut ev);
        let url = report
            .http
            .as_ref()
            .map(|h| h.url.clone())
            .unwrap_or_default();
        let msg = if is_list {
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
        return d(&LAUNCH_TIMEOUT, msg, ev);
    }
    // stdio
    let lines = stderr_lines(report);
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
    d(&LAUNCH_TIMEOUT, msg, ev)
}

fn supported_list(data: Option<&Value>) -> Option<Vec<String>> {
    let s = data?.get("supported")?.as_array()?;
    Some(
        s.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

fn rpc_error(
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

fn host_port(report: &LaunchReport, spec: &LaunchSpec) -> (String, String) {
    match &spec.target {
        LaunchTarget::Http { url, .. } => (
            url.host_str().unwrap_or("?").to_string(),
            url.port_or_known_default()
                .map(|p| p.to_string())
                .unwrap_or_else(|| "?".into()),
        ),
        LaunchTarget::Stdio { .. } => (report.target.clone(), String::new()),
    }
}

fn suggest_mcp_url(spec: &LaunchSpec) -> Option<String> {
    let LaunchTarget::Http { url, .. } = &spec.target else {
        return None;
    };
    let path = url.path().trim_end_matches('/');
    if path.ends_with("/mcp") {
        return None;
    }
    let mut u = url.clone();
    u.set_path(&format!("{path}/mcp"));
    u.set_query(None);
    Some(u.to_string())
}

fn http_failed(
    spec: &LaunchSpec,
    ctx: &Ctx<'_>,
    report: &LaunchReport,
    phase: &str,
    h: &HttpFailure,
) -> Diagnosis {
    let mut ev = Vec::new();
    let (host, port) = host_port(report, spec);
    let url = report
        .http
        .as_ref()
        .map(|h| h.url.clone())
        .unwrap_or_default();
    let has_auth = matches!(&spec.target, LaunchTarget::Http { headers, .. } if headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("authorization")));
    match h {
        HttpFailure::Refused(e) => {
            ev.push(format!("connect error: {e}"));
            let local = if host == "localhost" {
                " `localhost` may resolve to ::1 (IPv6) while the server listens only on 127.0.0.1, or the reverse: try the other address."
            } else {
                ""
            };
            d(
                &LAUNCH_CONNECTION_REFUSED,
                format!(
                    "Nothing is listening at {host}:{port} (connection refused). Start the server first, or fix the host/port in the URL.{local}"
                ),
                ev,
            )
        }
        HttpFailure::Dns(e) => {
            ev.push(format!("resolver error: {e}"));
            d(
                &LAUNCH_DNS,
                format!(
                    "The host name “{host}” could not be resolved: a typo in the URL, or no network/VPN connection."
                ),
                ev,
            )
        }
        HttpFailure::Tls(e) => {
            ev.push(format!("TLS error: {e}"));
            let l = e.to_ascii_lowercase();
            let hint = if l.contains("corrupt message")
                || l.contains("invalidcontenttype")
                || l.contains("wrong version")
                || l.contains("record overflow")
            {
                " The server does not speak TLS on this port: use http:// instead of https://."
            } else if l.contains("expired") {
                " The server's certificate has expired."
            } else if l.contains("notvalidforname")
                || l.contains("name") && l.contains("certificate")
            {
                " The certificate was issued for another host name."
            } else if l.contains("unknownissuer")
                || l.contains("self-signed")
                || l.contains("self signed")
            {
                " The certificate is self-signed or from an unknown CA; clients (Node) need NODE_EXTRA_CA_CERTS for it."
            } else {
                ""
            };
            d(
                &LAUNCH_TLS,
                format!("The TLS handshake with {host}:{port} failed.{hint}"),
                ev,
            )
        }
        HttpFailure::ClientBuild(e) => d(
            &LAUNCH_TLS,
            format!("Could not set up the HTTPS client: {e}"),
            vec![],
        ),
        HttpFailure::ConnectTimeout(e) => {
            ev.push(format!("connect error: {e}"));
            d(
                &LAUNCH_TIMEOUT,
                format!(
                    "Could not connect to {host}:{port} within {}: no answer to the TCP connect (a firewall dropping packets, a wrong address, or the host is down).",
                    secs(ctx.timeout.min(std::time::Duration::from_secs(10)))
                ),
                ev,
            )
        }
        HttpFailure::Io(e) => {
            ev.push(format!("error: {e}"));
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "The HTTP exchange with {url} failed {}: {e}. The server dropped the connection or does not speak HTTP here.",
                    when(phase)
                ),
                ev,
            )
        }
        HttpFailure::Status(s) => {
            http_evidence(report, &mut ev);
            let body = report
                .http
                .as_ref()
                .and_then(|h| h.body_snippet.as_deref())
                .map(|b| format!(" Body: {}.", quote(b)))
                .unwrap_or_default();
            let fell_back = report.http.as_ref().is_some_and(|h| h.attempts.len() > 1);
            let fb = if fell_back {
                " The legacy SSE fallback (GET) did not work either."
            } else {
                ""
            };
            let method = report
                .http
                .as_ref()
                .and_then(|h| h.method.clone())
                .unwrap_or_else(|| "POST".into());
            let why = match s {
                404 => format!(
                    "{method} {url} → HTTP 404 Not Found: wrong path{}, or a server that only speaks legacy SSE (then use its SSE URL, often /sse, with transport type SSE).{fb}",
                    suggest_mcp_url(spec)
                        .map(|u| format!(
                            " (Streamable HTTP endpoints are usually at /mcp: try {u})"
                        ))
                        .unwrap_or_default()
                ),
                405 => format!(
                    "{method} {url} → HTTP 405 Method Not Allowed: this URL does not accept POST. It is most likely a legacy SSE endpoint (set the transport type to SSE) or the wrong path.{fb}"
                ),
                406 => format!(
                    "{method} {url} → HTTP 406 Not Acceptable: the server rejected `Accept: application/json, text/event-stream`, so it is not a Streamable HTTP MCP endpoint (or a proxy rewrote the header)."
                ),
                400 => format!(
                    "{method} {url} → HTTP 400 Bad Request.{body} MCP servers answer 400 for a missing/expired session, an unsupported MCP-Protocol-Version, or when they only speak legacy SSE.{fb}"
                ),
                421 => format!(
                    "{method} {url} → HTTP 421 Misdirected Request: the server rejects the Host header “{host}:{port}” (DNS-rebinding protection, e.g. FastMCP's allowed hosts). Use the host name it expects, or add this one to its allowed hosts."
                ),
                415 => format!(
                    "{method} {url} → HTTP 415 Unsupported Media Type: the server refused `Content-Type: application/json`; it is not an MCP endpoint."
                ),
                300..=399 => format!(
                    "{method} {url} → HTTP {s}: a redirect that could not be followed (more than 3 hops, or no Location header)."
                ),
                500..=599 => format!(
                    "{method} {url} → HTTP {s}: the server failed while handling the request.{body} Check the server's logs."
                ),
                _ => format!("{method} {url} → HTTP {s}.{body}"),
            };
            d(
                &LAUNCH_HTTP_STATUS,
                if phase == "initialize" {
                    why
                } else {
                    format!("{why} This happened {}.", when(phase))
                },
                ev,
            )
        }
        HttpFailure::Unauthorized(s) => unauthorized(report, *s, has_auth, ev),
        HttpFailure::Html => {
            http_evidence(report, &mut ev);
            let title = report
                .http
                .as_ref()
                .and_then(|h| h.html_title.clone())
                .map(|t| format!(" (“{t}”)"))
                .unwrap_or_default();
            let try_url = suggest_mcp_url(spec).map(|u| format!(" If the server is an MCP server, its endpoint is usually at a path such as /mcp — try {u}.")).unwrap_or_default();
            d(
                &LAUNCH_HTML_RESPONSE,
                format!(
                    "{url} answered with an HTML page{title} instead of JSON or an event stream: it is a web page, not an MCP endpoint.{try_url} A login page from a proxy or a single-page app's catch-all route look the same."
                ),
                ev,
            )
        }
        HttpFailure::ContentType(ct) => {
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "{url} answered with Content-Type {ct}; an MCP endpoint answers application/json or text/event-stream. Clients fail with “Unexpected content type: {ct}”."
                ),
                ev,
            )
        }
        HttpFailure::BadHeader(e) => d(
            &LAUNCH_PROTOCOL_ERROR,
            format!("The configured headers cannot be sent: {e}."),
            vec![],
        ),
        HttpFailure::BadJson(e) => {
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!("{url} answered application/json, but the body is not valid JSON ({e})."),
                ev,
            )
        }
        HttpFailure::NoEndpoint => {
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_TIMEOUT,
                format!(
                    "GET {url} opened an event stream, but no `endpoint` event arrived within {}: it is not a legacy MCP SSE endpoint (an MCP SSE server sends `event: endpoint` first), or a proxy buffers the stream.",
                    secs(ctx.timeout.min(std::time::Duration::from_secs(10)))
                ),
                ev,
            )
        }
        HttpFailure::EndpointOrigin(o) => {
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "The SSE `endpoint` event points to another origin ({o}); clients refuse it (“Endpoint origin does not match connection origin”). Configure the server's public URL correctly."
                ),
                ev,
            )
        }
        HttpFailure::BadEndpoint(e) => {
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!("The SSE `endpoint` event does not hold a usable URL: {e}."),
                ev,
            )
        }
        HttpFailure::StreamClosed => {
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "The server closed the response stream {} without sending the answer.",
                    when(phase)
                ),
                ev,
            )
        }
        HttpFailure::SseTooLarge => {
            http_evidence(report, &mut ev);
            d(
                &LAUNCH_PROTOCOL_ERROR,
                format!(
                    "An SSE event from {url} exceeded {} MiB.",
                    MAX_MESSAGE_BYTES / (1024 * 1024)
                ),
                ev,
            )
        }
    }
}

fn unauthorized(
    report: &LaunchReport,
    status: u16,
    has_auth: bool,
    mut ev: Vec<String>,
) -> Diagnosis {
    http_evidence(report, &mut ev);
    let h = report.http.as_ref();
    let www = h.and_then(|h| h.www_authenticate.as_ref());
    let servers = h
        .and_then(|h| h.resource_metadata.as_ref())
        .map(|m| m.authorization_servers.clone())
        .unwrap_or_default();
    let at = if servers.is_empty() {
        String::new()
    } else {
        format!(" at {}", servers.join(", "))
    };
    let scope = www
        .and_then(|w| w.scope.clone())
        .or_else(|| {
            h.and_then(|h| h.resource_metadata.as_ref())
                .filter(|m| !m.scopes_supported.is_empty())
                .map(|m| m.scopes_supported.join(" "))
        })
        .map(|s| format!(" (scope: {s})"))
        .unwrap_or_default();
    let error = www
        .and_then(|w| w.error.clone())
        .map(|e| {
            let desc = www
                .and_then(|w| w.error_description.clone())
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            format!(" The server says {e}{desc}.")
        })
        .unwrap_or_default();
    let msg = if status == 403 && www.is_none() {
        "HTTP 403 Forbidden without a WWW-Authenticate challenge: the server or a proxy/WAF refuses the request itself — often DNS-rebinding protection rejecting the Host or Origin header, or an IP allow-list.".to_string()
    } else if status == 403 && www.and_then(|w| w.error.as_deref()) == Some("insufficient_scope") {
        format!(
            "HTTP 403: the token is valid but lacks a required scope{scope}. Sign in again granting that scope{at}."
        )
    } else if has_auth {
        format!(
            "HTTP {status}: the server rejected the token sent in the Authorization header (token rejected: invalid, expired or for another resource).{error} Get a new token{at}{scope}, or remove the header to let an OAuth-capable client sign in."
        )
    } else if servers.is_empty() {
        format!(
            "HTTP {status}: the server needs authorization and no Authorization header is configured.{error} An OAuth-capable client opens a browser to sign in; otherwise add `headers.Authorization: Bearer <token>`. The authorization server could not be determined (no protected-resource metadata)."
        )
    } else {
        format!(
            "HTTP {status}: the server needs OAuth sign-in{at}{scope}. A client that supports MCP authorization opens a browser for it; clients that don't need a token in `headers.Authorization`."
        )
    };
    d(&LAUNCH_UNAUTHORIZED, msg, ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_activity_detection() {
        assert!(npm_activity(&["npm WARN exec The following package was not found"]).is_some());
        assert!(npm_activity(&["Need to install the following packages:"]).is_some());
        assert!(npm_activity(&["Traceback (most recent call last):"]).is_none());
    }

    #[test]
    fn seconds_formatting() {
        assert_eq!(secs(std::time::Duration::from_secs(5)), "5 s");
        assert_eq!(secs(std::time::Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn phase_wording() {
        assert_eq!(when("initialize"), "before answering `initialize`");
        assert!(when("tools/list").contains("tools/list"));
    }
}
