//! The rule families on Goose's YAML `extensions:`.

use crate::analysis::Options;
use crate::host::FakeHost;
use crate::testing::{analyze_with, check, quiet};

const USER: &str = "/home/me/.config/goose/config.yaml";

#[test]
fn the_documented_file_is_clean_and_builtins_are_no_servers() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!(
        "{root}/tests/fixtures/valid/goose/home/.config/goose/config.yaml"
    ))
    .unwrap();
    let a = analyze_with(USER, &text, &FakeHost::linux(), &Options::default());
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    let names: Vec<_> = a.config.servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["filesystem", "remote-tools"]);
    let fs = &a.config.servers[0];
    assert_eq!(fs.command().unwrap().value, "npx");
    assert_eq!(fs.args().len(), 3);
}

#[test]
fn an_entry_without_name_is_reported() {
    let text = "extensions:\n  github:\n    type: stdio\n    enabled: true\n    cmd: node\n    args: [\"/tmp\"]\n";
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    assert!(
        a.findings
            .iter()
            .any(|f| f.code() == "schema/missing-field" && f.message.contains("`name`")),
        "{:?}",
        a.findings
    );
}

/// Goose requires `args` of a stdio extension (an extension with `cmd`), even
/// empty, and skips one without; a remote one needs none.
#[test]
fn a_stdio_extension_without_args_is_reported() {
    let without = "extensions:\n  node:\n    type: stdio\n    name: node\n    enabled: true\n    cmd: /usr/bin/env\n";
    let missing = |text: &str| -> Vec<String> {
        analyze_with(USER, text, &FakeHost::linux(), &Options::default())
            .findings
            .iter()
            .filter(|f| f.code() == "schema/missing-field")
            .map(|f| f.message.clone())
            .collect()
    };
    let found = missing(without);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("no `args`"), "{}", found[0]);
    assert!(missing(&format!("{without}    args: []\n")).is_empty());
    let remote = "extensions:\n  r:\n    type: streamable_http\n    name: r\n    enabled: true\n    uri: https://mcp.example.com/mcp\n";
    assert!(missing(remote).is_empty());
}

#[test]
fn a_command_line_in_cmd_is_reported_and_a_timeout_is_written_as_yaml() {
    let text = "extensions:\n  fs:\n    type: stdio\n    name: fs\n    enabled: true\n    cmd: npx -y @modelcontextprotocol/server-filesystem\n    args: []\n";
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    assert!(
        a.findings
            .iter()
            .any(|f| f.code() == "command/contains-args")
    );
    check(
        USER,
        "extensions:\n  t:\n    type: sse\n    name: t\n    enabled: true\n    uri: \"https://x.example.com/sse\"\n",
        &[],
    );
}

#[test]
fn a_known_servers_token_is_added_under_envs_as_yaml() {
    let text = "extensions:\n  brave:\n    type: stdio\n    name: brave\n    enabled: true\n    cmd: npx\n    args: [\"-y\", \"@modelcontextprotocol/server-brave-search\"]\n    timeout: 300\n";
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    let f = a
        .findings
        .iter()
        .find(|f| f.code() == "env/missing-required")
        .expect("missing-required");
    let fixed = crate::fix::apply(text, &f.fixes[0].edits).unwrap();
    assert_eq!(
        fixed,
        text.replace(
            "    timeout: 300\n",
            "    timeout: 300\n    envs: {\"BRAVE_API_KEY\": \"\"}\n"
        )
    );
    assert!(
        crate::config::parse_as(&fixed, crate::config::Format::Yaml)
            .issues
            .is_empty()
    );
}

#[test]
fn variables_goose_drops_from_envs_are_reported_and_removed() {
    let text = "extensions:\n  t:\n    type: stdio\n    name: t\n    enabled: true\n    cmd: node\n    args: [\"/tmp\"]\n    envs:\n      PATH: /opt/node/bin\n      LOG: debug\n";
    crate::testing::check_fix(
        USER,
        text,
        "env/dropped-by-client",
        "Remove `PATH`",
        &text.replace("      PATH: /opt/node/bin\n", ""),
    );
    let inline = "extensions:\n  t:\n    type: stdio\n    name: t\n    enabled: true\n    cmd: node\n    args: [\"/tmp\"]\n    envs: {LOG: debug, node_options: x}\n";
    crate::testing::check_fix(
        USER,
        inline,
        "env/dropped-by-client",
        "Remove `node_options`",
        &inline.replace(", node_options: x", ""),
    );
    // Other clients pass PATH on.
    let claude = r#"{"mcpServers": {"t": {"command": "node", "args": ["/tmp"], "env": {"PATH": "/usr/bin"}}}}"#;
    quiet("/p/.mcp.json", claude, "env/dropped-by-client");
}

#[test]
fn the_null_bundled_goose_writes_itself_is_quiet() {
    // What `goose configure` writes for an added extension (real files in
    // tests/corpus/goose/): `bundled` is an `Option<bool>` in Goose.
    let text = "extensions:\n  git:\n    args:\n    - mcp-server-git\n    bundled: null\n    cmd: uvx\n    description: ''\n    enabled: true\n    env_keys: []\n    envs: {}\n    name: git\n    timeout: 300\n    type: stdio\n";
    let host = FakeHost::linux().with_executable("/usr/bin/uvx");
    let a = analyze_with(USER, text, &host, &Options::default());
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    // A value of another type is still reported.
    let wrong = text.replace("bundled: null", "bundled: \"yes\"");
    let a = analyze_with(USER, &wrong, &host, &Options::default());
    assert!(
        a.findings.iter().any(|f| f.code() == "schema/wrong-type"),
        "{:?}",
        a.findings
    );
}
