//! The `args/*` family: arguments that point at files.
//!
//! `args/tilde`: a leading `~` (in `command`, `args` or `cwd`, or after
//! `--flag=`) that the client passes on literally; only VS Code expands a
//! leading `~` itself (table: `expands_tilde`). The fix writes `${userHome}`
//! where the client has that variable, else this machine's home directory.
//!
//! `args/path-missing`: an absolute path argument that does not exist
//! (typically `/path/to/allowed/files` or `/Users/you/project` from a
//! README). Not for URLs, globs, `a:b` lists, or `--flag=/x` unless the value
//! is clearly a path; not inside `docker`/`ssh`/`wsl` entries, whose paths
//! live on another machine; not for a target OS other than ours.

use super::ctx::{Ctx, report};
use crate::client_env::ClientEnv;
use crate::config::{Server, Str};
use crate::finding::{Edit, Finding, Fix};
use crate::fix::json_string;
use crate::paths::{is_absolute, looks_like_placeholder_path, program_name};
use crate::registry::*;
use crate::substitution::{self, source_span};
use std::path::Path;

/// Programs whose path arguments refer to another machine or a container.
const REMOTE_RUNNERS: &[&str] = &[
    "docker", "podman", "nerdctl", "wsl", "ssh", "kubectl", "orb", "lima",
];

/// First path segments that make a one-segment path "clearly a path".
const ROOT_DIRS: &[&str] = &[
    "tmp",
    "home",
    "users",
    "var",
    "opt",
    "etc",
    "mnt",
    "srv",
    "data",
    "media",
    "volumes",
    "workspace",
    "workspaces",
    "projects",
    "path",
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let env = &ctx.env;
    for server in &ctx.config.servers {
        let mut strings: Vec<(Str<'_>, bool)> = Vec::new();
        if let Some(c) = server.command() {
            strings.push((c, false));
        }
        let args = server.args();
        strings.extend(args.iter().map(|a| (*a, true)));
        if let Some(c) = server.str_field("cwd") {
            strings.push((c, false));
        }
        for (s, _) in &strings {
            tilde(ctx, env, server, *s, out);
        }
        let remote = server
            .command()
            .is_some_and(|c| REMOTE_RUNNERS.contains(&program_name(c.value).as_str()));
        if !remote && !ctx.foreign() {
            for a in &args {
                path_missing(ctx, env, server, *a, out);
            }
        }
    }
}

/// Where in the decoded string a `~` path starts, if it does.
fn tilde_at(value: &str, leading_expanded: bool) -> Option<usize> {
    let leading = value == "~" || value.starts_with("~/") || value.starts_with("~\\");
    if leading {
        return (!leading_expanded).then_some(0);
    }
    // `--dir=~/x`: nobody expands a tilde after `=`.
    let i = value.find("=~")?;
    let after = &value[i + 2..];
    (after.is_empty() || after.starts_with('/') || after.starts_with('\\'))
        .then_some(i + 1)
        .filter(|_| value.starts_with('-'))
}

fn tilde(ctx: &Ctx<'_>, env: &ClientEnv<'_>, server: &Server, s: Str<'_>, out: &mut Vec<Finding>) {
    let spec = ctx.spec();
    let Some(at) = tilde_at(s.value, spec.expands_tilde) else {
        return;
    };
    let client = spec.name;
    let span = source_span(ctx.text, s.span, at..at + 1);
    let mut f = Finding::new(
        &ARGS_TILDE,
        s.span,
        format!(
            "{client} does not expand `~` (only shells do): the server receives the path `{}` literally. Write the home directory out",
            s.value
        ),
    );
    let home = if spec.substitutions.predefined.contains(&"userHome") {
        Some("${userHome}".to_string())
    } else {
        env.home().map(|h| {
            // The rest of the path keeps its separators; JSON needs `\\` for Windows' `\`.
            let json = json_string(&h);
            json[1..json.len() - 1].to_string()
        })
    };
    if let Some(home) = home {
        f = f.with_fix(Fix::safe(
            format!("Replace `~` with {}", home.replace("\\\\", "\\")),
            vec![Edit::replace(span, home)],
        ));
    }
    report(out, server, f);
}

fn path_missing(
    ctx: &Ctx<'_>,
    env: &ClientEnv<'_>,
    server: &Server,
    a: Str<'_>,
    out: &mut Vec<Finding>,
) {
    let os = ctx.env.target_os;
    let raw = a.value;
    if raw.contains("://") || raw.contains(['*', '?', '\n']) {
        return;
    }
    // The path: the whole argument, or the value of `--flag=/path`.
    let (offset, candidate) = match raw.split_once('=') {
        Some((flag, value)) if flag.starts_with('-') => (flag.len() + 1, value),
        _ => (0, raw),
    };
    let resolved = if substitution::has_reference(candidate) {
        match env.resolve(candidate) {
            Some(r) => r,
            None => return,
        }
    } else {
        candidate.to_string()
    };
    if !is_absolute(os, &resolved) {
        return;
    }
    if os != crate::host::Os::Windows && resolved[1..].contains(':') {
        return; // `/a:/b` lists, `host:/path` volume specs
    }
    let placeholder = looks_like_placeholder_path(&resolved);
    let segments: Vec<&str> = resolved
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && !s.ends_with(':'))
        .collect();
    let clearly_a_path = placeholder
        || segments.len() >= 2
        || segments
            .first()
            .is_some_and(|s| ROOT_DIRS.contains(&s.to_ascii_lowercase().as_str()));
    if !clearly_a_path || (offset > 0 && segments.len() < 2 && !placeholder) {
        return;
    }
    if ctx.host().file(Path::new(&resolved)).is_some() {
        return;
    }
    let client = ctx.spec().name;
    let span = if offset > 0 {
        source_span(ctx.text, a.span, offset..raw.len())
    } else {
        a.span
    };
    let message = if placeholder {
        format!(
            "`{resolved}` looks like a placeholder copied from a README and does not exist: replace it with a real path, or the server fails at start-up and {client} reports \"Connection closed\""
        )
    } else {
        format!(
            "`{resolved}` does not exist on this machine: the server {client} starts will fail to open it (check the spelling, or create it)"
        )
    };
    report(out, server, Finding::new(&ARGS_PATH_MISSING, span, message));
}

#[cfg(test)]
mod tests {
    use crate::analysis::Options;
    use crate::host::FakeHost;
    use crate::testing::{analyze_with, check, check_fix, check_on};

    #[test]
    fn tilde_is_literal_outside_vscode() {
        let text = r#"{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "~/Documents"]}}}"#;
        let path = "/home/me/.config/Claude/claude_desktop_config.json";
        check(path, text, &[("args/tilde", "\"~/Documents\"")]);
        let a = analyze_with(path, text, &FakeHost::linux(), &Options::default());
        assert!(
            a.findings[0]
                .message
                .contains("Claude Desktop does not expand `~`")
        );
        check_fix(
            path,
            text,
            "args/tilde",
            "Replace `~` with /home/me",
            r#"{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/Documents"]}}}"#,
        );
        // Cursor has ${userHome}, which works on any machine.
        check_fix(
            "/home/me/p/.cursor/mcp.json",
            r#"{"mcpServers": {"fs": {"command": "node", "args": ["--root=~/x"]}}}"#,
            "args/tilde",
            "Replace `~` with ${userHome}",
            r#"{"mcpServers": {"fs": {"command": "node", "args": ["--root=${userHome}/x"]}}}"#,
        );
        // VS Code expands a leading `~` itself, but not one after `=`.
        check(
            "/home/me/p/.vscode/mcp.json",
            r#"{"servers": {"fs": {"command": "node", "args": ["~/x.js"]}}}"#,
            &[],
        );
        check(
            "/home/me/p/.vscode/mcp.json",
            r#"{"servers": {"fs": {"command": "node", "args": ["--root=~/x"]}}}"#,
            &[("args/tilde", "\"--root=~/x\"")],
        );
        // A tilde in the middle of a value is not a home directory.
        check(
            path,
            r#"{"mcpServers": {"fs": {"command": "node", "args": ["a~b", "x=~/y"]}}}"#,
            &[],
        );
    }

    #[test]
    fn tilde_in_command_and_cwd() {
        let host = FakeHost::linux().with_executable("/home/me/bin/server");
        check_on(
            "/home/me/.cline/data/settings/cline_mcp_settings.json",
            r#"{"mcpServers": {"s": {"command": "~/bin/server", "cwd": "~"}}}"#,
            &host,
            &Options::default(),
            &[("args/tilde", "\"~/bin/server\""), ("args/tilde", "\"~\"")],
        );
    }

    #[test]
    fn missing_absolute_paths() {
        let path = "/home/me/.config/Claude/claude_desktop_config.json";
        let text = r#"{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/you/project", "/tmp", "/path/to/other/allowed/dir"]}}}"#;
        check(
            path,
            text,
            &[
                ("args/path-missing", "\"/Users/you/project\""),
                ("args/path-missing", "\"/path/to/other/allowed/dir\""),
            ],
        );
        let a = analyze_with(path, text, &FakeHost::linux(), &Options::default());
        assert!(a.findings.iter().all(|f| f.message.contains("placeholder")));
        check(
            path,
            r#"{"mcpServers": {"s": {"command": "node", "args": ["/home/me/nope/server.js"]}}}"#,
            &[("args/path-missing", "\"/home/me/nope/server.js\"")],
        );
        check(
            path,
            r#"{"mcpServers": {"s": {"command": "node", "args": ["--config=/home/me/nope.json"]}}}"#,
            &[("args/path-missing", "/home/me/nope.json")],
        );
    }

    #[test]
    fn not_paths_or_not_ours() {
        let path = "/home/me/.config/Claude/claude_desktop_config.json";
        for args in [
            r#"["https://example.com/a/b", "/api", "--base=/v1", "/a:/b", "/tmp/*.log", "--local-timezone=Europe/Paris"]"#,
            r#"["/tmp", "/home/me"]"#,
        ] {
            check(
                path,
                &format!(r#"{{"mcpServers": {{"s": {{"command": "node", "args": {args}}}}}}}"#),
                &[],
            );
        }
        // Container paths live in the container.
        check(
            path,
            r#"{"mcpServers": {"s": {"command": "docker", "args": ["run", "-i", "--rm", "-v", "/data:/data", "mcp/filesystem", "/projects"]}}}"#,
            &[],
        );
        // Another OS: our file system says nothing.
        check(
            r"C:\Users\me\AppData\Roaming\Claude\claude_desktop_config.json",
            r#"{"mcpServers": {"s": {"command": "node", "args": ["C:\\Users\\you\\server.js"]}}}"#,
            &[],
        );
    }
}
