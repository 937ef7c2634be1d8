//! `mcp-config-lsp probe`: start servers as their client would and perform
//! the MCP handshake. Exit 0 only when every probed server completed it.

use super::args::{LoginArg, ProbeArgs, ProbeFormat};
use super::output::{FileReport, finding_json, range_json};
use crate::analysis::{Options, analyze};
use crate::client_env::ClientEnv;
use crate::client_env::EnvMode;
use crate::document::Document;
use crate::finding::Span;
use crate::host::{Host, RealHost};
use crate::launch::plan::Supplied;
use crate::launch::{
    self, AuthOptions, Checked, HttpKind, LaunchSpec, LaunchTarget, LoginMode, ServerCheck,
};
use crate::registry::LAUNCH_OK;
use serde_json::{Value, json};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

pub fn run(args: &ProbeArgs) -> ExitCode {
    let supplied = match supplied(args) {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    let timeout = Duration::from_secs_f64(args.timeout.max(0.1));
    let host = RealHost::default();
    let (jobs, file) = match (&args.target, args.command.is_empty()) {
        (None, false) => (vec![command_job(args, timeout)], None),
        (Some(t), true) if t.starts_with("http://") || t.starts_with("https://") => {
            match url::Url::parse(t) {
                Ok(url) => (
                    vec![ServerCheck {
                        server: t.clone(),
                        span: Span::default(),
                        plan: Ok(LaunchSpec {
                            target: LaunchTarget::Http {
                                url,
                                headers: header_args(args),
                                kind: HttpKind::Auto,
                            },
                            timeout,
                            secrets: vec![],
                            auth: Default::default(),
                            call_tool: None,
                        }),
                    }],
                    None,
                ),
                Err(e) => return usage(&format!("`{t}` is not a valid URL: {e}")),
            }
        }
        (Some(t), true) => match file_jobs(Path::new(t), args, &host, &supplied, timeout) {
            Ok((jobs, report)) => (jobs, Some(report)),
            Err(e) => {
                eprintln!("mcp-config-lsp: {t}: {e}");
                return ExitCode::from(2);
            }
        },
        _ => return usage("give a config file, an http(s):// URL, or `-- COMMAND ARGS...`"),
    };
    let mut jobs = jobs;
    for job in &mut jobs {
        if let Ok(spec) = &mut job.plan {
            with_auth(&mut spec.auth, args);
            spec.call_tool = args.call_tool.clone();
        }
    }
    if jobs.is_empty() {
        eprintln!("mcp-config-lsp: No server to probe");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mcp-config-lsp: Cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let progress = std::io::stderr().is_terminal() && args.format == ProbeFormat::Human;
    let results = runtime.block_on(run_all(jobs, args.jobs.max(1), progress));
    let all_ok = results.iter().all(|(_, checked)| completed(checked));
    let out = match args.format {
        ProbeFormat::Human => human(&results),
        ProbeFormat::Json => json_output(&results, file.as_ref()),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush());
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Whether the server completed the MCP handshake.
fn completed(checked: &Checked) -> bool {
    checked
        .report
        .as_ref()
        .is_ok_and(|r| *r.diagnosis.code == LAUNCH_OK)
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("mcp-config-lsp probe: {msg}");
    ExitCode::from(2)
}

fn pairs(items: &[String], what: &str) -> Result<Vec<(String, String)>, String> {
    items
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| format!("{what} `{kv}` is not NAME=VALUE"))
        })
        .collect()
}

fn supplied(args: &ProbeArgs) -> Result<Supplied, String> {
    Ok(Supplied {
        inputs: pairs(&args.input, "--input")?.into_iter().collect(),
        env: pairs(&args.env, "--env")?.into_iter().collect(),
    })
}

/// The OAuth options of the command line, over what the config holds.
fn with_auth(auth: &mut AuthOptions, args: &ProbeArgs) {
    if args.client_id.is_some() {
        auth.client_id = args.client_id.clone();
        auth.client_secret = args.client_secret.clone();
    }
    if args.client_metadata_url.is_some() {
        auth.client_metadata_url = args.client_metadata_url.clone();
    }
    auth.login = args.login.map(|l| match l {
        LoginArg::Browser => LoginMode::Browser,
        LoginArg::Headless => LoginMode::Headless,
    });
}

fn header_args(args: &ProbeArgs) -> Vec<(String, String)> {
    args.header
        .iter()
        .filter_map(|h| {
            h.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

/// `probe -- COMMAND ARGS...`: started like an SDK-based client would (the
/// allow-listed environment), or with ours under `--inherit-env`.
fn command_job(args: &ProbeArgs, timeout: Duration) -> ServerCheck {
    const ALLOW: &[&str] = &["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];
    let env: Vec<(String, String)> = std::env::vars()
        .filter(|(k, v)| args.inherit_env || ALLOW.contains(&k.as_str()) && !v.starts_with("()"))
        .chain(pairs(&args.env, "--env").unwrap_or_default())
        .collect();
    let secrets = pairs(&args.env, "--env")
        .unwrap_or_default()
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    ServerCheck {
        server: args.command.join(" "),
        span: Span::default(),
        plan: Ok(LaunchSpec {
            target: LaunchTarget::Stdio {
                program: args.command[0].clone(),
                args: args.command[1..].to_vec(),
                env,
                cwd: None,
            },
            timeout,
            secrets,
            auth: Default::default(),
            call_tool: None,
        }),
    }
}

fn file_jobs(
    path: &Path,
    args: &ProbeArgs,
    host: &dyn Host,
    supplied: &Supplied,
    timeout: Duration,
) -> Result<(Vec<ServerCheck>, FileReport), String> {
    let text = super::check::read_text(path)?;
    let abs = std::path::absolute(path)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| path.to_string_lossy().into_owned());
    let opts = Options {
        dialect: args.dialect,
        env_mode: if args.inherit_env {
            EnvMode::Inherit
        } else {
            EnvMode::Client
        },
        ..Options::default()
    };
    let a = analyze(&text, Some(&abs), &opts, host);
    let env = ClientEnv::new(
        host,
        a.config.dialect,
        a.target_os,
        opts.env_mode,
        Some(&abs),
    );
    let mut jobs = Vec::new();
    for s in &a.config.servers {
        if !args.server.is_empty() && !args.server.contains(&s.name) {
            continue;
        }
        if args.server.is_empty() && s.is_disabled() {
            continue;
        }
        jobs.push(ServerCheck::plan(&s.name, s, &env, supplied, timeout));
    }
    for wanted in &args.server {
        if !a.config.servers.iter().any(|s| &s.name == wanted) {
            let names: Vec<&str> = a.config.servers.iter().map(|s| s.name.as_str()).collect();
            return Err(format!(
                "No server named `{wanted}` (servers: {})",
                names.join(", ")
            ));
        }
    }
    let report = FileReport::new(
        path.to_string_lossy().into_owned(),
        Document::new(text, 0),
        Vec::new(),
        &a.config,
    );
    Ok((jobs, report))
}

/// Each result with the label it was probed under.
async fn run_all(
    jobs: Vec<ServerCheck>,
    concurrency: usize,
    progress: bool,
) -> Vec<(String, Checked)> {
    let total = jobs.len();
    let jobs = jobs.into_iter().map(|j| (j.server.clone(), j)).collect();
    let out = launch::check_servers(jobs, concurrency, |i, label: &String, _| {
        if progress {
            eprint!("\r\x1b[Kprobed {}/{total}: {label}", i + 1);
        }
    })
    .await;
    if progress {
        eprint!("\r\x1b[K");
    }
    out
}

fn human(results: &[(String, Checked)]) -> String {
    let mut out = String::new();
    let evidence = |out: &mut String, evidence: &[String]| {
        for e in evidence {
            for (i, line) in e.lines().enumerate() {
                out.push_str(if i == 0 { "    · " } else { "      " });
                out.push_str(line);
                out.push('\n');
            }
        }
    };
    for (label, checked) in results {
        match &checked.report {
            Ok(report) => {
                let ok = completed(checked);
                let mark = if !ok {
                    "✗"
                } else if report.diagnosis.evidence.is_empty() && report.warnings.is_empty() {
                    "✓"
                } else {
                    "⚠"
                };
                let transport = report.transport.map(|t| t.as_str()).unwrap_or("-");
                if ok {
                    let message = report.diagnosis.message.trim_start_matches(['✓', '⚠', ' ']);
                    out.push_str(&format!("{mark} {label} ({transport}): {message}\n"));
                } else {
                    out.push_str(&format!(
                        "{mark} {label} ({transport}): {} {}\n",
                        report.diagnosis.code.code, report.diagnosis.message
                    ));
                }
                evidence(&mut out, &report.diagnosis.evidence);
                for w in &report.warnings {
                    out.push_str(&format!("  ⚠ {} {}\n", w.code.code, w.message));
                    evidence(&mut out, &w.evidence);
                }
            }
            Err(reason) => out.push_str(&format!("✗ {label}: not launched: {reason}\n")),
        }
    }
    let ok = results.iter().filter(|(_, c)| completed(c)).count();
    out.push_str(&format!(
        "{ok} of {} server(s) completed the MCP handshake.\n",
        results.len()
    ));
    out
}

fn json_output(results: &[(String, Checked)], file: Option<&FileReport>) -> String {
    let items: Vec<Value> = results
        .iter()
        .map(|(label, checked)| {
            let mut finding = checked.finding.clone();
            // probe's JSON gives the bare reason: its `code` already says
            // the entry was not launched.
            if let Err(reason) = &checked.report {
                finding.message = reason.clone();
            }
            let mut v = match file {
                Some(f) => serde_json::to_value(finding_json(f, &finding)).unwrap_or_default(),
                None => json!({
                    "file": label,
                    "range": range_json(&Document::new("", 0), Span::default()),
                    "severity": finding.severity.as_str(),
                    "code": finding.code(),
                    "message": finding.message,
                    "server": Value::Null,
                    "fixes": [],
                }),
            };
            v["report"] = checked.report.as_ref().map_or(Value::Null, |r| {
                serde_json::to_value(r.as_ref()).unwrap_or(Value::Null)
            });
            v
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into()) + "\n"
}
