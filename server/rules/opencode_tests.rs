//! The rule families on opencode's JSONC: V1 `mcp.NAME` and V2
//! `mcp.servers.NAME`, `command` as one array, `environment`, `{env:VAR}`.

use crate::analysis::Options;
use crate::host::FakeHost;
use crate::testing::{analyze_with, check, check_fix, check_on, quiet_on};

const USER: &str = "/home/me/.config/opencode/opencode.json";

fn host() -> FakeHost {
    FakeHost::linux()
        .with_env("CONTEXT7_API_KEY", "ctx7_x")
        .with_file("/srv/tools/index.js")
        .with_dir("/srv/tools")
}

#[test]
fn real_shaped_files_are_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    for (file, path) in [
        (
            "tests/fixtures/valid/opencode/home/.config/opencode/opencode.json",
            USER,
        ),
        (
            "tests/fixtures/valid/opencode/project/opencode.jsonc",
            "/home/me/proj/opencode.jsonc",
        ),
    ] {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let a = analyze_with(path, &text, &host(), &Options::default());
        let found: Vec<_> = a
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.code(), f.message))
            .collect();
        assert!(found.is_empty(), "{file}: {found:#?}");
        assert!(a.config.servers.len() >= 2, "{file}");
    }
}

#[test]
fn v2_servers_are_read_under_mcp_servers() {
    let text = r#"{"mcp": {"servers": {"a": {"type": "local", "command": ["node", "/srv/tools/index.js"]}}}}"#;
    let a = analyze_with(USER, text, &host(), &Options::default());
    let names: Vec<_> = a.config.servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["a"]);
    let s = &a.config.servers[0];
    assert_eq!(s.command().unwrap().value, "node");
    assert_eq!(s.args()[0].value, "/srv/tools/index.js");
}

#[test]
fn dollar_brace_references_are_rewritten_as_env_references() {
    let text = r#"{"mcp": {"c": {"type": "remote", "url": "https://mcp.context7.com/mcp", "headers": {"CONTEXT7_API_KEY": "${CONTEXT7_API_KEY}"}}}}"#;
    check_fix(
        USER,
        text,
        "env/unsupported-substitution",
        "Rewrite as `{env:CONTEXT7_API_KEY}`",
        &text.replace("${CONTEXT7_API_KEY}", "{env:CONTEXT7_API_KEY}"),
    );
    // `{env:X}` of a variable opencode does not have becomes "".
    let unset = text.replace("${CONTEXT7_API_KEY}", "{env:NOT_SET_HERE}");
    check(
        USER,
        &unset,
        &[("env/undefined-variable", "{env:NOT_SET_HERE}")],
    );
    // In another client, `{env:X}` is literal text and gets that client's form.
    let cursor = r#"{"mcpServers": {"c": {"url": "https://mcp.context7.com/mcp", "headers": {"K": "{env:CONTEXT7_API_KEY}"}}}}"#;
    check_fix(
        "/home/me/p/.cursor/mcp.json",
        cursor,
        "env/unsupported-substitution",
        "Rewrite as `${env:CONTEXT7_API_KEY}`",
        &cursor.replace("{env:", "${env:"),
    );
}

#[test]
fn a_claude_shaped_entry_is_rewritten_in_opencodes_shape() {
    let text = "{\n  \"mcp\": {\n    \"fs\": {\n      \"type\": \"stdio\",\n      \"command\": \"node\",\n      \"args\": [\"/srv/tools/index.js\"],\n      \"env\": {\"A\": \"1\"}\n    }\n  }\n}\n";
    let a = analyze_with(USER, text, &host(), &Options::default());
    let codes: Vec<_> = a.findings.iter().map(|f| f.code()).collect();
    assert!(codes.contains(&"schema/other-client-shape"), "{codes:?}");
    crate::testing::check_fix_on(
        USER,
        text,
        &host(),
        &Options::default(),
        "schema/other-client-shape",
        "Rewrite in opencode's shape",
        "{\n  \"mcp\": {\n    \"fs\": {\n      \"type\": \"local\",\n      \"command\": [\"node\", \"/srv/tools/index.js\"],\n      \"environment\": {\"A\": \"1\"}\n    }\n  }\n}\n",
    );
    let fixed = "{\"mcp\": {\"fs\": {\"type\": \"local\", \"command\": [\"node\", \"/srv/tools/index.js\"], \"environment\": {\"A\": \"1\"}}}}";
    check_on(USER, fixed, &host(), &Options::default(), &[]);
}

#[test]
fn package_runners_get_a_timeout_in_milliseconds() {
    let text = "{\n  \"mcp\": {\n    \"pw\": {\n      \"type\": \"local\",\n      \"command\": [\"npx\", \"@playwright/mcp@latest\"]\n    }\n  }\n}\n";
    check_fix(
        USER,
        text,
        "command/cold-start-timeout",
        "Set `timeout` to 60000",
        "{\n  \"mcp\": {\n    \"pw\": {\n      \"type\": \"local\",\n      \"command\": [\"npx\", \"@playwright/mcp@latest\"],\n      \"timeout\": 60000\n    }\n  }\n}\n",
    );
}

#[test]
fn a_program_and_its_arguments_in_the_first_element_are_split_in_place() {
    let text = r#"{"mcp": {"t": {"type": "local", "command": ["node /srv/tools/index.js"], "timeout": 9000}}}"#;
    let a = analyze_with(USER, text, &host(), &Options::default());
    let f = a
        .findings
        .iter()
        .find(|f| f.code() == "command/contains-args")
        .expect("contains-args");
    let fixed = crate::fix::apply(text, &f.fixes[0].edits).unwrap();
    assert_eq!(
        fixed,
        r#"{"mcp": {"t": {"type": "local", "command": ["node", "/srv/tools/index.js"], "timeout": 9000}}}"#
    );
}

#[test]
fn npx_on_windows_is_left_to_opencode() {
    let text = r#"{"mcp": {"pw": {"type": "local", "command": ["npx", "-y", "@playwright/mcp@latest"], "timeout": 60000}}}"#;
    let path = r"C:\Users\me\.config\opencode\opencode.json";
    quiet_on(
        path,
        text,
        &FakeHost::windows(),
        &Options::default(),
        "windows/npx-needs-cmd",
    );
}

/// A token in `environment` or in the array `command` is one finding: the
/// values the server rules read are not read again as loose strings.
#[test]
fn a_secret_in_environment_or_command_is_reported_once() {
    let text = r#"{"mcp": {"gh": {"type": "local", "command": ["npx", "-y", "server-github", "--token=ghp_abcdefghijklmnopqrstuvwxyz0123456789"], "environment": {"GITHUB_TOKEN": "ghp_0123456789abcdefghijklmnopqrstuvwxyz"}}}}"#;
    let a = analyze_with(USER, text, &host(), &Options::default());
    let secrets: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.code() == "secret/plaintext")
        .map(|f| f.span)
        .collect();
    assert_eq!(secrets.len(), 2, "{:#?}", a.findings);
}

/// `${env:X}`: opencode replaces the `{env:X}` inside and keeps the `$`, so
/// the value arrives with a `$` in front; the fix removes it.
#[test]
fn a_dollar_before_env_survives_the_substitution() {
    let text = r#"{"mcp": {"linear": {"type": "remote", "url": "https://mcp.linear.app/mcp", "headers": {"Authorization": "Bearer ${env:LINEAR_API_KEY}"}}}}"#;
    let a = analyze_with(USER, text, &host(), &Options::default());
    let f = a
        .findings
        .iter()
        .find(|f| f.code() == "env/unsupported-substitution")
        .expect("reported");
    assert!(f.message.contains("keeps the `$`"), "{}", f.message);
    assert!(!f.message.contains("literally"), "{}", f.message);
    assert_eq!(f.fixes[0].edits[0].new_text, "{env:LINEAR_API_KEY}");
}
