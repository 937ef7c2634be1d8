//! The `args/*` family: arguments that point at files.
//!
//! `args/tilde`: a leading `~` (in `command`, `args` or `cwd`, or after
//! `--flag=`) that the client passes on literally; only VS Code expands a
//! leading `~` itself (table: `expands_tilde`). The fix writes `${userHome}`
//! where the client has that variable, else this machine's home directory.
//!
//! `args/placeholder`: a path or URL in `args`, `cwd` or `url` still as a
//! README wrote it (`/path/to/x`, `<path-to>/x`, `/Users/your-username/x`,
//! `https://YOUR-SERVER.example/mcp`). What counts is knowledge
//! (`paths::looks_like_placeholder_path`, `paths::placeholder_url_part`);
//! reported on every target OS, inside `docker`/`ssh` entries too, whether
//! or not the path exists.
//!
//! `args/other-os`: a `C:\…` path (or a `.exe`/`.cmd` program name) in a
//! file read on macOS or Linux, a `/home/…` or `/Users/…` path in a file read
//! on Windows. Without this rule such strings get the diagnosis of what they
//! would be on the target OS (`C:\Program Files\x` "a command with
//! arguments", `C:/x` "a relative path", `C:\Python312\python.exe` "install
//! Python"); those rules skip them (`crate::paths::is_other_os_path`), so each
//! such path is reported once, saying what it is.
//!
//! A server started through `wsl` on Windows runs inside Linux: there the
//! Linux paths of its arguments are right and Windows paths wrong (WSL sees
//! `C:` as `/mnt/c`), while its `cwd` and every other entry are on the
//! Windows side. In a file that mixes both, each finding names the half that
//! cannot work. Containers and remote shells (`docker`, `ssh`, ...) are left
//! alone: their paths are on another machine.
//!
//! The facts (which OS a path belongs to, WSL's mount of the drives) are in
//! `crate::paths`; the target OS is `ctx.env.target_os` (`--target-os`, or
//! guessed by `analysis::detect_target_os`). A code of this family rather
//! than a family of its own: `args/*` is already about the paths an entry
//! names (`command`, `args`, `cwd`, as `args/tilde`), and a new family would
//! change the list of families that settings and `--select` print.
//!
//! `args/path-missing`: an absolute path argument that does not exist and
//! is not a placeholder. Not for URLs, globs, `a:b` lists, or `--flag=/x` unless the value
//! is clearly a path; not inside `docker`/`ssh`/`wsl` entries, whose paths
//! live on another machine; not for a target OS other than ours.

use super::ctx::{Ctx, report};
use crate::client_env::ClientEnv;
use crate::config::{Server, Str};
use crate::dialect::Dialect;
use crate::finding::{Edit, Finding, Fix};
use crate::fix::json_string;
use crate::host::Os;
use crate::paths::{
    PathOs, PlaceholderAt, REMOTE_RUNNERS, has_separator, has_windows_program_extension,
    is_absolute, is_other_os_path, looks_like_placeholder_path, only_on, placeholder_at,
    program_name, windows_to_wsl, wsl_to_windows,
};
use crate::registry::*;
use crate::substitution::{self, source_span};
use std::path::Path;

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
    other_os(ctx, out);
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
        for (s, is_arg) in &strings {
            if *is_arg || server.command().is_none_or(|c| c.span != s.span) {
                placeholder(ctx, server, *s, out);
            }
        }
        if let Some((_, u)) = server.url(ctx.config.dialect) {
            placeholder(ctx, server, u, out);
        }
        relative_scripts(ctx, server, out);
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

/// Clients whose servers start in a directory of the app's own: desktop
/// apps started from the Dock or Start menu, whose entries have no `cwd`
/// (their schemas have none), reading a user-level file.
const OWN_DIRECTORY: &[Dialect] = &[Dialect::ClaudeDesktop, Dialect::Windsurf];

/// Arguments that set the directory a runner works in.
const DIRECTORY_FLAGS: &[&str] = &["--directory", "--cwd", "--prefix", "--project", "-C"];

/// Script files a runner is handed by path.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "py", "js", "mjs", "cjs", "ts", "jar", "rb", "php", "sh", "ps1", "pl", "lua",
];

/// `args/relative-path`: `./server.py`, `build/index.js` where the server
/// starts in the app's own directory.
fn relative_scripts(ctx: &Ctx<'_>, server: &Server, out: &mut Vec<Finding>) {
    if !OWN_DIRECTORY.contains(&ctx.config.dialect) {
        return;
    }
    let args = server.args();
    let sets_directory = args.iter().any(|a| {
        DIRECTORY_FLAGS
            .iter()
            .any(|f| a.value == *f || a.value.starts_with(&format!("{f}=")))
    });
    let shell = server.command().is_some_and(|c| {
        matches!(
            program_name(c.value).as_str(),
            "sh" | "bash" | "zsh" | "cmd" | "powershell" | "pwsh" | "wsl" | "docker" | "podman"
        )
    });
    if sets_directory || shell {
        return;
    }
    let client = ctx.spec().name;
    for (i, a) in args.iter().enumerate() {
        let after_code_flag = i > 0 && matches!(args[i - 1].value, "-c" | "-e" | "--eval");
        if after_code_flag || !is_relative_script(a.value) {
            continue;
        }
        report(
            out,
            server,
            Finding::new(
                &ARGS_RELATIVE_PATH,
                a.span,
                format!(
                    "`{}` is a relative path, and {client} starts servers in a directory of its own (not this file's folder or your project), so the server does not find it and exits: write the absolute path",
                    a.value
                ),
            ),
        );
    }
}

/// `./x.py`, `../x`, `build/index.js`, `server.py`: a relative path to a
/// script. Not a flag, a URL, a package (`@scope/pkg`, `pkg@1`), a module
/// (`a.b`), an absolute or `~` path, or a placeholder (`args/placeholder`).
fn is_relative_script(v: &str) -> bool {
    let explicit = v.starts_with("./") || v.starts_with("../") || v.starts_with(".\\");
    let script = Path::new(v)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SCRIPT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    (explicit || script)
        && !v.starts_with('-')
        && !v.contains([':', '=', '@', ' ', '$', '~'])
        && !is_absolute(Os::Linux, v)
        && !is_absolute(Os::Windows, v)
        && placeholder_at(v).is_none()
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

fn placeholder(ctx: &Ctx<'_>, server: &Server, s: Str<'_>, out: &mut Vec<Finding>) {
    let Some(at) = placeholder_at(s.value) else {
        return;
    };
    let client = ctx.spec().name;
    let (range, message) = match at {
        PlaceholderAt::Path(r) => {
            let shown = &s.value[r.clone()];
            (
                r.clone(),
                format!(
                    "`{shown}` is a placeholder copied from a README, not a path on your machine: replace it with the real path, or the server fails at start-up and {client} reports \"Connection closed\""
                ),
            )
        }
        PlaceholderAt::UrlPart(r) => {
            let shown = &s.value[r.clone()];
            (
                r.clone(),
                format!(
                    "`{shown}` in this URL is a placeholder copied from a README: replace it with the server's real address, or {client} cannot reach the server"
                ),
            )
        }
    };
    let span = if range.start == 0 && range.end == s.value.len() {
        s.span
    } else {
        source_span(ctx.text, s.span, range)
    };
    report(out, server, Finding::new(&ARGS_PLACEHOLDER, span, message));
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
    if !is_absolute(os, &resolved) || is_other_os_path(os, &resolved) {
        return; // another OS's path: `args/other-os`
    }
    if os != crate::host::Os::Windows && resolved[1..].contains(':') {
        return; // `/a:/b` lists, `host:/path` volume specs
    }
    if looks_like_placeholder_path(&resolved) {
        return; // `args/placeholder`
    }
    let segments: Vec<&str> = resolved
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && !s.ends_with(':'))
        .collect();
    let clearly_a_path = segments.len() >= 2
        || segments
            .first()
            .is_some_and(|s| ROOT_DIRS.contains(&s.to_ascii_lowercase().as_str()));
    if !clearly_a_path || (offset > 0 && segments.len() < 2) {
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
    let message = format!(
        "`{resolved}` does not exist on this machine: the server {client} starts will fail to open it (check the spelling, or create it)"
    );
    report(out, server, Finding::new(&ARGS_PATH_MISSING, span, message));
}

// ---------------------------------------------------------------------------
// `args/other-os`

/// Where a string sits, which decides which side of `wsl` it is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Command,
    Arg,
    Cwd,
    Env,
}

fn other_os(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let os = ctx.env.target_os;
    let wsl_entry = |s: &Server| {
        os == Os::Windows
            && s.command()
                .is_some_and(|c| program_name(c.value.trim()) == "wsl")
    };
    // The first entry started through `wsl`, to name in the others' messages.
    let through_wsl = ctx.config.servers.iter().find(|s| wsl_entry(s));
    for server in &ctx.config.servers {
        let runner = server.command().map(|c| program_name(c.value.trim()));
        let remote = runner
            .as_deref()
            .is_some_and(|r| REMOTE_RUNNERS.contains(&r) && r != "wsl");
        let in_wsl = wsl_entry(server);
        let mut strings: Vec<(Str<'_>, Place)> = Vec::new();
        if let Some(c) = server.command() {
            strings.push((c, Place::Command));
        }
        if let Some(c) = server.str_field("cwd") {
            strings.push((c, Place::Cwd));
        }
        if !remote {
            strings.extend(server.args().into_iter().map(|a| (a, Place::Arg)));
            if !in_wsl {
                for m in server.env() {
                    if let Some(s) = m.value.as_str() {
                        strings.push((
                            Str {
                                value: s,
                                span: m.value.span,
                            },
                            Place::Env,
                        ));
                    }
                }
            }
        }
        for (s, place) in strings {
            let inside_wsl = in_wsl && place == Place::Arg;
            let other = through_wsl.filter(|o| !in_wsl && o.name != server.name);
            if let Some(f) = finding(ctx, s, place, inside_wsl, other) {
                report(out, server, f);
            }
        }
    }
}

/// The path in a string: all of it, or the value of `--flag=value`.
fn path_part(value: &str) -> std::ops::Range<usize> {
    match value.split_once('=') {
        Some((flag, _)) if flag.starts_with('-') && !flag.contains(['/', '\\']) => {
            flag.len() + 1..value.len()
        }
        _ => 0..value.len(),
    }
}

fn finding(
    ctx: &Ctx<'_>,
    s: Str<'_>,
    place: Place,
    inside_wsl: bool,
    other_wsl_entry: Option<&Server>,
) -> Option<Finding> {
    let os = ctx.env.target_os;
    let client = ctx.spec().name;
    let range = path_part(s.value);
    let p = s.value[range.clone()].trim_end();
    let span = if range.start == 0 && p.len() == s.value.len() {
        s.span
    } else {
        source_span(ctx.text, s.span, range.start..range.start + p.len())
    };
    let edit = |new: &str| {
        let json = json_string(new);
        if span == s.span {
            Edit::replace(span, json)
        } else {
            Edit::replace(span, json[1..json.len() - 1].to_string())
        }
    };
    if inside_wsl {
        if only_on(p) != Some(PathOs::Windows) {
            return None;
        }
        let mut f = Finding::new(
            &ARGS_OTHER_OS,
            span,
            format!(
                "`{p}` is a Windows path, but `wsl` runs this server inside Linux, which sees Windows drives under `/mnt/`: this half of the entry cannot open it"
            ),
        );
        if let Some(linux) = windows_to_wsl(p) {
            f.message.push_str(&format!(". Write `{linux}`"));
            f = f.with_fix(Fix::unsafe_(format!("Write `{linux}`"), vec![edit(&linux)]));
        }
        return Some(f);
    }
    if place == Place::Command
        && os != Os::Windows
        && !has_separator(Os::Windows, p)
        && has_windows_program_extension(p)
        && program_name(p) != "cmd"
    {
        return Some(Finding::new(
            &ARGS_OTHER_OS,
            span,
            format!(
                "`{p}` is the name of a Windows program, but {client} runs on {} here, where programs have no such suffix: write the {} name of the program (`{}` or what it is called there)",
                os.name(),
                os.name(),
                program_name(p)
            ),
        ));
    }
    if !is_other_os_path(os, p) {
        return None;
    }
    if os != Os::Windows {
        if place == Place::Command && program_name(p) == "cmd" {
            return None; // windows/cmd-on-unix
        }
        return Some(Finding::new(
            &ARGS_OTHER_OS,
            span,
            format!(
                "`{p}` is a Windows path, but {client} runs on {} here, where no such path exists: write the {} path instead, or check this file as a Windows one if it is used there",
                os.name(),
                os.name()
            ),
        ));
    }
    // A Unix path in a file read on Windows.
    if let Some(windows) = wsl_to_windows(p) {
        let mut f = Finding::new(
            &ARGS_OTHER_OS,
            span,
            format!(
                "`{p}` is how WSL sees a Windows drive, but {client} starts this server on Windows, not inside WSL, where the path is `{windows}`"
            ),
        );
        f = f.with_fix(Fix::unsafe_(
            format!("Write `{windows}`"),
            vec![edit(&windows)],
        ));
        return Some(f);
    }
    let unix = if ["/Users/", "/Applications/", "/Library/", "/Volumes/"]
        .iter()
        .any(|r| p.starts_with(r))
    {
        "macOS"
    } else {
        "Linux"
    };
    let message = match other_wsl_entry {
        Some(o) => format!(
            "`{p}` is a Linux path that only WSL sees, but this entry starts on Windows, not through `wsl` as `{}` does: this half of the file cannot work. Start it with `\"command\": \"wsl\"`, or write the Windows path",
            o.name
        ),
        None => format!(
            "`{p}` is a {unix} path, but {client} runs on Windows here, where no such path exists: write the Windows path (`C:\\...`), or start the server inside WSL with `\"command\": \"wsl\"`"
        ),
    };
    Some(Finding::new(&ARGS_OTHER_OS, span, message))
}

#[cfg(test)]
mod tests {
    use crate::analysis::Options;
    use crate::host::FakeHost;
    use crate::testing::{analyze_with, check, check_fix, check_fix_on, check_on, quiet_on};

    /// Shaped like `tests/corpus/claude-desktop/002-…` and `…/009-…`:
    /// scripts named relative to a folder Claude Desktop never starts in.
    #[test]
    fn relative_scripts_where_the_app_picks_the_directory() {
        const DESKTOP: &str = "/home/me/.config/Claude/claude_desktop_config.json";
        let host = FakeHost::linux()
            .with_executable("/usr/bin/python")
            .with_executable("/usr/bin/uv")
            .with_executable("/usr/bin/npx")
            .with_executable("/usr/bin/node");
        let opts = Options::default();
        check_on(
            DESKTOP,
            r#"{"mcpServers": {
  "security-tools": {"command": "python", "args": ["./security_server.py"]},
  "uart": {"command": "uv", "args": ["run", "python", "mcp_only.py"]},
  "built": {"command": "node", "args": ["build/index.js", "--port", "3000"]}
}}"#,
            &host,
            &opts,
            &[
                ("args/relative-path", "\"./security_server.py\""),
                ("args/relative-path", "\"mcp_only.py\""),
                ("args/relative-path", "\"build/index.js\""),
            ],
        );
        // Packages, modules, a runner told its directory, absolute paths,
        // inline code: fine.
        check_on(
            DESKTOP,
            r#"{"mcpServers": {
  "pkg": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
  "module": {"command": "python", "args": ["-m", "site_crawler.server"]},
  "dir": {"command": "uv", "args": ["--directory", "/tmp", "run", "server.py"]},
  "abs": {"command": "node", "args": ["/tmp"]},
  "inline": {"command": "node", "args": ["-e", "require('./x.js')"]}
}}"#,
            &host,
            &opts,
            &[],
        );
        // Clients that start servers in the workspace or the terminal's directory.
        for path in ["/home/me/p/.vscode/mcp.json", "/home/me/p/.mcp.json"] {
            let root = if path.ends_with(".vscode/mcp.json") {
                "servers"
            } else {
                "mcpServers"
            };
            check_on(
                path,
                &format!(
                    r#"{{"{root}": {{"a": {{"command": "python", "args": ["./server.py"]}}}}}}"#
                ),
                &host,
                &opts,
                &[],
            );
        }
    }

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
        // Placeholders are `args/placeholder`, not a missing path.
        check(
            path,
            text,
            &[
                ("args/placeholder", "\"/Users/you/project\""),
                ("args/placeholder", "\"/path/to/other/allowed/dir\""),
            ],
        );
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
            r#"{"mcpServers": {"s": {"command": "node", "args": ["C:\\Users\\me\\server.js"]}}}"#,
            &[],
        );
    }

    /// Shapes from `tests/corpus/claude-desktop/001-…` and `003-…`.
    #[test]
    fn placeholders_in_args_cwd_and_urls() {
        let path = "/home/me/.config/Claude/claude_desktop_config.json";
        let text = r#"{
  "mcpServers": {
    "apillon": {
      "command": "npx",
      "args": ["tsx", "/full/path/to/index.ts"],
      "env": { "APILLON_API_KEY": "<APILLON_API_KEY>" }
    },
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/your-username/Desktop"]
    }
  }
}"#;
        check(
            path,
            text,
            &[
                ("args/placeholder", "\"/full/path/to/index.ts\""),
                ("env/placeholder-value", "\"<APILLON_API_KEY>\""),
                ("args/placeholder", "\"/Users/your-username/Desktop\""),
            ],
        );
        // On any OS, existing or not, in `cwd`, after `--flag=`, relative, in URLs.
        let text = r#"{"mcpServers": {"swisspost": {"command": "python", "args": ["path/to/server.py", "--config=<path-to>/config.json", "/full_path/x.py"], "cwd": "/path/to/your/swissspost_mcp"}, "remote": {"command": "npx", "args": ["-y", "mcp-remote", "https://YOUR-SERVER.example/mcp"]}}}"#;
        let expected = [
            ("args/placeholder", "\"path/to/server.py\""),
            ("args/placeholder", "<path-to>/config.json"),
            ("args/placeholder", "\"/full_path/x.py\""),
            ("args/placeholder", "\"/path/to/your/swissspost_mcp\""),
            ("args/placeholder", "YOUR-SERVER.example"),
            ("schema/unknown-key", "\"cwd\""),
        ];
        let host = FakeHost::linux()
            .with_executable("/usr/bin/python")
            .with_executable("/usr/bin/npx")
            .with_dir("/path/to/your/swissspost_mcp");
        check_on(path, text, &host, &Options::default(), &expected);
        // The same on a Windows client, where none of these exists either.
        let a = analyze_with(
            r"C:\Users\me\AppData\Roaming\Claude\claude_desktop_config.json",
            text,
            &FakeHost::windows(),
            &Options::default(),
        );
        let on_windows = a
            .findings
            .iter()
            .filter(|f| f.code() == "args/placeholder")
            .count();
        assert_eq!(on_windows, 5);
        // A VS Code `url` field.
        check(
            "/home/me/p/.vscode/mcp.json",
            r#"{"servers": {"r": {"type": "http", "url": "https://your-host:8080/mcp"}}}"#,
            &[("args/placeholder", "your-host")],
        );
        // Real paths that contain such words stay quiet.
        let host = FakeHost::linux()
            .with_executable("/usr/bin/node")
            .with_file("/home/me/here/x.js")
            .with_file("/srv/yourls/index.js");
        check_on(
            path,
            r#"{"mcpServers": {"s": {"command": "node", "args": ["/home/me/here/x.js", "/srv/yourls/index.js", "--mode=here", "https://example.com/mcp"], "env": {"DIR": "/home/me/here/x", "MODE": "here"}}}}"#,
            &host,
            &Options::default(),
            &[],
        );
    }

    /// A Windows file read as a Linux one: each Windows path once, as what it
    /// is, instead of "a command with arguments" (`C:\Program Files\...`),
    /// "a relative path" (`C:/x`) or "install Python" (`python.exe`).
    #[test]
    fn windows_paths_on_linux() {
        let linux = Options {
            target_os: Some(crate::host::Os::Linux),
            ..Options::default()
        };
        let text = r#"{
  "mcpServers": {
    "weather": {
      "command": "C:\\Program Files\\Python312\\python.exe",
      "args": ["C:\\Users\\me\\mcp\\weather\\server.py"],
      "env": { "DATA_DIR": "D:\\data" }
    },
    "tools": { "command": "C:/tools/server.exe" },
    "py": { "command": "python.exe", "args": ["-m", "mcp_server_time", "--root=C:/Users/me"] }
  }
}"#;
        check_on(
            "/home/me/.config/Claude/claude_desktop_config.json",
            text,
            &FakeHost::linux(),
            &linux,
            &[
                (
                    "args/other-os",
                    r#""C:\\Program Files\\Python312\\python.exe""#,
                ),
                (
                    "args/other-os",
                    r#""C:\\Users\\me\\mcp\\weather\\server.py""#,
                ),
                ("args/other-os", r#""D:\\data""#),
                ("args/other-os", r#""C:/tools/server.exe""#),
                ("args/other-os", r#""python.exe""#),
                ("args/other-os", "C:/Users/me"),
            ],
        );
        let a = analyze_with(
            "/home/me/.config/Claude/claude_desktop_config.json",
            text,
            &FakeHost::linux(),
            &linux,
        );
        assert!(
            a.findings[0]
                .message
                .contains("is a Windows path, but Claude Desktop runs on Linux")
        );
        // Read as the Windows file it is (drive letters are evidence): quiet.
        quiet_on(
            "/home/me/.config/Claude/claude_desktop_config.json",
            text,
            &FakeHost::windows(),
            &Options::default(),
            "args/other-os",
        );
        // Evidence from `env` alone, and from `wsl`/`powershell` commands.
        for text in [
            r#"{"mcpServers": {"s": {"command": "node", "args": ["x.js"], "env": {"DATA_DIR": "D:\\data"}}}}"#,
            r#"{"mcpServers": {"s": {"command": "powershell", "args": ["-File", "x.ps1"]}}}"#,
        ] {
            let a = analyze_with(
                "/work/p/.cursor/mcp.json",
                text,
                &FakeHost::linux(),
                &Options::default(),
            );
            assert_eq!(a.target_os, crate::host::Os::Windows, "{text}");
        }
    }

    /// A macOS or Linux file read on Windows, and one that starts some
    /// servers through `wsl`: the half that cannot work is named.
    #[test]
    fn unix_paths_on_windows_and_wsl() {
        let path = r"C:\Users\me\AppData\Roaming\Claude\claude_desktop_config.json";
        let host = FakeHost::windows().with_executable(r"C:\Program Files\nodejs\node.exe");
        let text = r#"{
  "mcpServers": {
    "filesystem": { "command": "C:\\Program Files\\nodejs\\node.exe", "args": ["/Users/me/mcp/index.js"] }
  }
}"#;
        check_on(
            path,
            text,
            &host,
            &Options::default(),
            &[("args/other-os", r#""/Users/me/mcp/index.js""#)],
        );
        let a = analyze_with(path, text, &host, &Options::default());
        assert!(
            a.findings[0]
                .message
                .contains("is a macOS path, but Claude Desktop runs on Windows")
        );
        let text = r#"{
  "mcpServers": {
    "in-wsl": { "command": "wsl", "args": ["node", "/home/me/mcp/index.js", "C:\\Users\\me\\mcp\\config.json"] },
    "on-windows": { "command": "C:\\Program Files\\nodejs\\node.exe", "args": ["/home/me/mcp/index.js", "/mnt/c/Users/me/mcp/other.js"] }
  }
}"#;
        let host = host.with_executable(r"C:\Windows\System32\wsl.exe");
        check_on(
            path,
            text,
            &host,
            &Options::default(),
            &[
                ("args/other-os", r#""C:\\Users\\me\\mcp\\config.json""#),
                ("args/other-os", r#""/home/me/mcp/index.js""#),
                ("args/other-os", r#""/mnt/c/Users/me/mcp/other.js""#),
            ],
        );
        let a = analyze_with(path, text, &host, &Options::default());
        let messages: Vec<&str> = a.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages[0].contains("`wsl` runs this server inside Linux"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("not through `wsl` as `in-wsl` does"),
            "{messages:?}"
        );
        check_fix_on(
            path,
            text,
            &host,
            &Options::default(),
            "args/other-os",
            "Write `/mnt/c/Users/me/mcp/config.json`",
            &text.replace(
                r#""C:\\Users\\me\\mcp\\config.json""#,
                r#""/mnt/c/Users/me/mcp/config.json""#,
            ),
        );
        let text = r#"{"mcpServers": {"s": {"command": "C:\\Program Files\\nodejs\\node.exe", "args": ["/mnt/c/Users/me/mcp/other.js"]}}}"#;
        check_fix_on(
            path,
            text,
            &host,
            &Options::default(),
            "args/other-os",
            r"Write `C:\Users\me\mcp\other.js`",
            &text.replace(
                "/mnt/c/Users/me/mcp/other.js",
                r"C:\\Users\\me\\mcp\\other.js",
            ),
        );
        // Containers keep their own paths.
        check_on(
            path,
            r#"{"mcpServers": {"s": {"command": "docker", "args": ["run", "-i", "--rm", "-v", "C:\\data:/data", "mcp/filesystem", "/home/app"]}}}"#,
            &host.with_executable(r"C:\Windows\system32\docker.exe"),
            &Options::default(),
            &[],
        );
    }
}
