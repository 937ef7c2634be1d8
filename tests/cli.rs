//! The CLI as a user runs it: the built binary, its exit codes and output formats.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn bin() -> Command {
    let mut c = Command::cargo_bin("mcp-config-lsp").unwrap();
    c.env("NO_COLOR", "1").env_remove("RUST_LOG");
    c
}

fn write(dir: &Path, rel: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

const TRAILING_COMMA: &str = "{\n  \"mcpServers\": {\n    \"fs\": {\n      \"command\": \"/bin/sh\",\n      \"args\": [\"-c\", \"true\"],\n    }\n  }\n}\n";

#[cfg(unix)] // `/bin/sh` is the server: on Windows the same file is (rightly) another OS's
#[test]
fn trailing_comma_fails_claude_desktop_on_the_right_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "claude_desktop_config.json", TRAILING_COMMA);
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(&p)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Vec<Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0]["code"], "syntax/jsonc-not-accepted");
    assert_eq!(v[0]["severity"], "error");
    assert_eq!(
        v[0]["range"]["start"],
        serde_json::json!({"line": 4, "character": 28})
    );
    assert_eq!(v[0]["fixes"][0]["edits"][0]["newText"], "");
}

#[cfg(unix)] // `/bin/sh` is the server: on Windows the same file is (rightly) another OS's
#[test]
fn the_same_trailing_comma_is_fine_in_vscode() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        ".vscode/mcp.json",
        &TRAILING_COMMA.replace("mcpServers", "servers"),
    );
    bin()
        .args(["check"])
        .arg(&p)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no problems found"));
}

#[cfg(unix)] // `/bin/sh` is the server: on Windows the same file is (rightly) another OS's
#[test]
fn mcp_servers_in_vscode_is_the_wrong_root_and_fix_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        ".vscode/mcp.json",
        "{\"mcpServers\": {\"fs\": {\"command\": \"/bin/sh\"}}}",
    );
    bin().args(["check"]).arg(&p).assert().code(1).stdout(
        predicate::str::contains("error[schema/wrong-root]")
            .and(predicate::str::contains("Rename to `servers`")),
    );
    bin().args(["check", "--fix"]).arg(&p).assert().code(0);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "{\"servers\": {\"fs\": {\"command\": \"/bin/sh\"}}}"
    );
}

#[cfg(unix)] // `/bin/sh` is the server: on Windows the same file is (rightly) another OS's
#[test]
fn human_output_shows_location_source_line_and_caret() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "claude_desktop_config.json", TRAILING_COMMA);
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "claude_desktop_config.json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("claude_desktop_config.json:5:29: error[syntax/jsonc-not-accepted]"),
        "{text}"
    );
    assert!(
        text.contains(
            "   5 |       \"args\": [\"-c\", \"true\"],\n     |                             ^\n"
        ),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    let _ = p;
}

#[test]
fn io_problems_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["check", "/definitely/not/here.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("No such file or directory"));
    let bin_file = write(dir.path(), "claude_desktop_config.json", "{\"a\":\0}");
    bin()
        .args(["check"])
        .arg(&bin_file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("binary file"));
    let latin1 = dir.path().join(".mcp.json");
    std::fs::write(&latin1, b"{\"a\": \"caf\xe9\"}").unwrap();
    bin()
        .args(["check"])
        .arg(&latin1)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Not UTF-8"));
    bin()
        .args(["check", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Not a regular file"));
    let fifo = dir.path().join("mcp.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    bin()
        .args(["check"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Not a regular file"));
    bin()
        .args(["check", "--format", "yaml", "x.json"])
        .assert()
        .code(2);
    bin()
        .args(["check", "--dialect", "nope", "x.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected one of"));
}

#[test]
fn a_directory_is_searched_for_config_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "proj/.cursor/mcp.json", "{\"mcpServers\": {}}");
    write(dir.path(), "proj/package.json", "{\"name\": \"x\",}");
    write(dir.path(), "proj/node_modules/x/.mcp.json", "{,}");
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        serde_json::from_slice::<Value>(&out).unwrap(),
        serde_json::json!([])
    );
    let empty = tempfile::tempdir().unwrap();
    bin()
        .args(["check"])
        .arg(empty.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("No MCP config files"));
}

#[test]
fn select_and_ignore_filter_by_code_and_family() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "claude_desktop_config.json",
        "{\"mcpServers\": {\"a\": {\"comand\": \"x\"},}}",
    );
    let codes = |args: &[&str]| -> Vec<String> {
        let out = bin()
            .args(["check", "--format", "json"])
            .args(args)
            .arg(&p)
            .output()
            .unwrap();
        let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        v.iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let all = codes(&[]);
    assert!(
        all.contains(&"syntax/jsonc-not-accepted".to_string())
            && all.contains(&"schema/unknown-key".to_string()),
        "{all:?}"
    );
    assert_eq!(
        codes(&["--select", "syntax"]),
        ["syntax/jsonc-not-accepted"]
    );
    assert!(
        !codes(&["--ignore", "schema/"])
            .iter()
            .any(|c| c.starts_with("schema/"))
    );
}

#[cfg(unix)] // `/bin/sh` is the server: on Windows the same file is (rightly) another OS's
#[test]
fn target_os_flag_is_accepted_and_reported_dialect_override_works() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "servers.json",
        "{\"servers\": {\"a\": {\"command\": \"/bin/sh\"}}}",
    );
    bin()
        .args(["check", "--target-os", "windows", "--dialect", "vscode"])
        .arg(&p)
        .assert()
        .code(0);
    bin()
        .args(["check", "--dialect", "cursor"])
        .arg(&p)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("schema/wrong-root"));
}

#[test]
fn schema_command_prints_each_dialect_schema() {
    for id in ["claude-desktop", "vscode", "zed", "gemini"] {
        let out = bin()
            .args(["schema", id])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }
    bin().args(["schema", "emacs"]).assert().code(2);
}

#[test]
fn help_and_version() {
    bin()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("mcp-config-lsp "));
    bin()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--target-os"));
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("tests/fixtures/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("SARIF schema compiles");
    let out = bin()
        .current_dir(common::root())
        .args(["check", "--format", "sarif", "examples"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
}

#[cfg(unix)] // `/bin/sh` is the server: on Windows the same file is (rightly) another OS's
#[test]
fn github_format_escapes_workflow_command_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "claude_desktop_config.json", TRAILING_COMMA);
    let out = bin()
        .args(["check", "--format", "github"])
        .arg(&p)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let line = String::from_utf8(out).unwrap();
    assert!(line.starts_with("::error file="), "{line}");
    assert!(
        line.contains(",line=5,col=29,endLine=5,endColumn=30,title=syntax/jsonc-not-accepted::"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
}

#[cfg(unix)] // the snapshots are of the examples read on Unix; on Windows they give Windows findings
#[test]
fn snapshots_of_every_format_on_the_examples() {
    for format in ["human", "json", "github"] {
        let mut cmd = bin();
        let path = common::hermetic(&mut cmd);
        let out = cmd
            .current_dir(common::root())
            .args(["check", "--format", format, "examples"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "the examples carry errors on purpose"
        );
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .replace(&path.to_string_lossy().into_owned(), "[PATH]");
        insta::assert_snapshot!(format!("examples_{format}"), text);
    }
}

/// Someone who runs the bare command at a terminal is told what it is doing
/// (waiting for an editor's LSP frames) and what they may want instead; the
/// hint goes to stderr, so stdout stays the protocol.
#[cfg(unix)]
#[test]
fn the_bare_command_at_a_terminal_says_what_it_is_on_stderr() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    let pty = nix::pty::openpty(None, None).expect("a pseudo-terminal");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mcp-config-lsp"))
        .stdin(Stdio::from(std::fs::File::from(pty.slave)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stderr).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(std::time::Duration::from_secs(20));
    let _ = child.kill();
    let mut stdout = String::new();
    let _ = child.stdout.take().unwrap().read_to_string(&mut stdout);
    let _ = child.wait();
    let line = line.expect("a line on stderr");
    assert!(
        line.contains("language server") && line.contains("check") && line.contains("doctor"),
        "{line}"
    );
    assert_eq!(stdout, "", "nothing but LSP frames on stdout");
}

/// An editor's pipe is not a terminal: no hint, nothing on stderr.
#[test]
fn the_bare_command_on_a_pipe_starts_the_server_without_a_word() {
    let out = bin().write_stdin("").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

/// A typo in --select would hide every finding and exit 0; in --ignore it
/// would hide nothing. Either is a usage error that names the nearest code.
#[test]
fn an_unknown_code_or_family_in_select_or_ignore_is_a_usage_error() {
    bin()
        .current_dir(common::root())
        .args(["check", "--select", "bogus/x", "examples"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "No rule code or family is called `bogus/x` (the families are syntax, schema,",
        ));
    bin()
        .current_dir(common::root())
        .args(["check", "--ignore", "secret/,comand/not-found", "examples"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "No rule code or family is called `comand/not-found`: did you mean `command/not-found`?",
        ))
        .stderr(predicate::str::contains("secret/").not());
    // Codes, families and `family/*` are all fine.
    bin()
        .current_dir(common::root())
        .args([
            "check",
            "--select",
            "syntax,schema/,url/*",
            "--ignore",
            "env",
            "examples",
        ])
        .assert()
        .code(1);
}

/// `--fix` says what it changed, and leaves alone a fix that would trade
/// its finding for a new one on this machine (here: `~` expanded into a
/// directory that does not exist).
#[cfg(unix)] // `/bin/sh` is the server: on Windows the same file is (rightly) another OS's
#[test]
fn fix_says_what_it_changed_and_refuses_a_fix_that_raises_a_new_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claude_desktop_config.json");
    let text = "{\n  \"mcpServers\": {\n    \"files\": {\n      \"command\": \"/bin/sh\",\n      \"args\": [\"~/mcp-data\"],\n    }\n  }\n}\n";
    std::fs::write(&path, text).unwrap();
    let out = bin()
        .env("HOME", dir.path())
        .args(["check", "--fix"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown = path.display().to_string();
    assert!(
        stderr.contains(&format!(
            "Fixed {shown}:5: Remove the trailing comma [syntax/jsonc-not-accepted]"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("Not fixed {shown}:5: Replace `~` with"))
            && stderr
                .contains("[args/tilde], because on this machine it would raise args/path-missing"),
        "{stderr}"
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(fixed, text.replace("\"],\n", "\"]\n"));
    // Once the directory exists, the same fix is applied.
    std::fs::create_dir(dir.path().join("mcp-data")).unwrap();
    let out = bin()
        .env("HOME", dir.path())
        .args(["check", "--fix"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("[args/tilde]"));
    let home = dir.path().to_string_lossy().into_owned();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains(&format!("\"{home}/mcp-data\"")),
        "the tilde is expanded"
    );
}

/// Every command's --help fits a 100-column terminal and documents every flag.
#[test]
fn help_wraps_and_every_flag_says_what_it_does() {
    for command in [
        &[][..],
        &["check"],
        &["probe"],
        &["doctor"],
        &["schema"],
        &["serve"],
    ] {
        let out = bin().args(command).arg("--help").output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        for line in help.lines() {
            assert!(line.chars().count() <= 100, "{command:?}: {line}");
        }
        // A flag line with nothing but its default after the name documents nothing.
        for line in help.lines().filter(|l| l.trim_start().starts_with("--")) {
            let after = line
                .trim_start()
                .split_once("  ")
                .map_or("", |x| x.1)
                .trim();
            assert!(
                !after.is_empty() && !after.starts_with('['),
                "{command:?}: undocumented flag: {line}"
            );
        }
    }
}

/// A minified config is one long line: each finding shows the stretch of it
/// around its own place (not the line's start, then a caret thousands of
/// columns away), and a secret the stretch would cut is masked whole.
#[test]
fn a_minified_config_shows_the_stretch_around_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    let secret = format!("sk-ant-api03-{}AA", "Zq7".repeat(30));
    let servers: Vec<String> = (0..300)
        .map(|i| {
            format!(
                r#""s{i}":{{"env":{{"ANTHROPIC_API_KEY":"{secret}"}},"command":"zz-missing-{i}"}}"#
            )
        })
        .collect();
    let text = format!(r#"{{"mcpServers":{{{}}}}}"#, servers.join(","));
    let p = write(dir.path(), ".cursor/mcp.json", &text);
    let out = bin().arg("check").arg(&p).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let snippet = |i: usize| {
        stdout
            .lines()
            .skip_while(|l| !l.contains(&format!("`zz-missing-{i}`")))
            .nth(1)
            .unwrap_or_else(|| panic!("no finding for server {i}:\n{stdout}"))
    };
    for i in [0, 150, 299] {
        let line = snippet(i);
        assert!(
            line.contains(&format!(r#""command":"zz-missing-{i}""#)),
            "{line}"
        );
        assert!(
            line.chars().count() < 400,
            "{} chars: {line}",
            line.chars().count()
        );
    }
    assert!(snippet(150).contains("| …"), "{}", snippet(150));
    // Masking shows a secret's first 4 characters ("sk-a"), never its middle.
    for piece in ["Zq7Z", "q7Zq", "7Zq7"] {
        assert!(
            !stdout.contains(piece),
            "a piece of the secret was shown: {piece}"
        );
    }
}

/// Thousands of findings in one file are rendered on several cores: every
/// format still lists them once each, in the file's order, and json and
/// sarif stay one well-formed document.
#[test]
fn thousands_of_findings_in_one_file_come_out_in_order_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2100; // over twice output's RENDER_CHUNK: two threads or more
    let servers: Vec<String> = (0..n)
        .map(|i| format!(r#"    "s{i}": {{"command": "zz-missing-{i}"}}"#))
        .collect();
    let text = format!(
        "{{\n  \"mcpServers\": {{\n{}\n  }}\n}}\n",
        servers.join(",\n")
    );
    let p = write(dir.path(), ".cursor/mcp.json", &text);
    let run = |format: &str| {
        let out = bin()
            .args(["check", "--format", format])
            .arg(&p)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let in_order = |text: &str, format: &str| {
        let at: Vec<usize> = (0..n)
            .map(|i| {
                let name = format!("`zz-missing-{i}`");
                assert_eq!(text.matches(&name).count(), 1, "{format}: {name}");
                text.find(&name).unwrap()
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{format}: out of order");
    };
    for format in ["human", "github", "json", "sarif"] {
        let out = run(format);
        in_order(&out, format);
        match format {
            "json" => assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), n),
            "sarif" => {
                let sarif: Value = serde_json::from_str(&out).unwrap();
                assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), n);
            }
            _ => {}
        }
    }
}

#[test]
fn a_big_claude_json_is_checked_with_findings_where_they_are() {
    // Over a MiB, its lines are indexed on another core while it is
    // analysed: the finding after the history must still be on its own
    // line and column.
    let dir = tempfile::tempdir().unwrap();
    let entry = "        {\"display\": \"a prompt with \\\"quotes\\\" and \\\\n escapes, é and 😀\", \"pastedContents\": {}}";
    let history = vec![entry; 40_000].join(",\n");
    let text = format!(
        "{{\n  \"projects\": {{\n    \"/p\": {{\n      \"history\": [\n{history}\n      ],\n      \"mcpServers\": {{\"s\": {{\"command\": \"zz-missing-big\"}}}}\n    }}\n  }}\n}}\n"
    );
    assert!(text.len() > 3 << 20);
    let p = write(dir.path(), ".claude.json", &text);
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&Value> = v
        .iter()
        .filter(|f| f["code"] == "command/not-found")
        .collect();
    assert_eq!(found.len(), 1, "{v:#?}");
    let at = text.find("\"zz-missing-big\"").unwrap();
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').unwrap() - 1;
    assert_eq!(
        found[0]["range"]["start"],
        serde_json::json!({"line": line, "character": column})
    );
}
