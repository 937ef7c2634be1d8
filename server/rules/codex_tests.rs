//! The rule families on Codex CLI's TOML: real-shaped files stay quiet,
//! seeded mistakes fire, and fixes are written as TOML.

use crate::analysis::Options;
use crate::config::{Format, parse_as};
use crate::host::FakeHost;
use crate::testing::{analyze_with, check, check_fix, check_fix_on, quiet, quiet_on};

const USER: &str = "/home/me/.codex/config.toml";

#[test]
fn real_shaped_files_are_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    for (file, path) in [
        ("tests/fixtures/valid/codex/home/.codex/config.toml", USER),
        (
            "tests/fixtures/valid/codex/project/.codex/config.toml",
            "/home/me/proj/.codex/config.toml",
        ),
    ] {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let host = FakeHost::linux()
            .with_env("MEMOS_MCP_PAT", "x")
            .with_env("WARPGATE_ADMIN_TOKEN", "y")
            .with_dir("/srv/api");
        let a = analyze_with(path, &text, &host, &Options::default());
        let found: Vec<_> = a
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.code(), f.message))
            .collect();
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

#[test]
fn a_command_with_its_arguments_is_split_into_a_toml_args_line() {
    let text = "[mcp_servers.fs]\ncommand = \"npx -y @modelcontextprotocol/server-filesystem /tmp\"\nstartup_timeout_sec = 60\n";
    check_fix(
        USER,
        text,
        "command/contains-args",
        "Split into `command` \"npx\" and `args`",
        "[mcp_servers.fs]\ncommand = \"npx\"\nargs = [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"]\nstartup_timeout_sec = 60\n",
    );
}

#[test]
fn shell_references_are_not_expanded_by_codex() {
    let text = "[mcp_servers.gh]\ncommand = \"node\"\nargs = [\"server.js\"]\nenv = { GITHUB_TOKEN = \"${GITHUB_TOKEN}\" }\n";
    check(
        USER,
        text,
        &[("env/unsupported-substitution", "${GITHUB_TOKEN}")],
    );
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    assert!(
        a.findings[0]
            .message
            .contains("env_vars = [\"GITHUB_TOKEN\"]"),
        "{}",
        a.findings[0].message
    );
}

#[test]
fn a_known_servers_variable_must_be_named_in_env_vars() {
    let host = FakeHost::linux().with_env("GITHUB_PERSONAL_ACCESS_TOKEN", "ghp_x");
    let without = "[mcp_servers.github]\ncommand = \"npx\"\nargs = [\"-y\", \"@modelcontextprotocol/server-github\"]\nstartup_timeout_sec = 60\n";
    let a = analyze_with(USER, without, &host, &Options::default());
    let f = a
        .findings
        .iter()
        .find(|f| f.code() == "env/missing-required")
        .expect("missing-required");
    assert!(f.message.contains("env_vars"), "{}", f.message);
    check_fix_on(
        USER,
        without,
        &host,
        &Options::default(),
        "env/missing-required",
        "Pass GITHUB_PERSONAL_ACCESS_TOKEN on with `env_vars`",
        &without.replace(
            "startup_timeout_sec = 60\n",
            "startup_timeout_sec = 60\nenv_vars = [\"GITHUB_PERSONAL_ACCESS_TOKEN\"]\n",
        ),
    );
    // Not set where Codex starts: naming it would pass nothing; the value goes in `env`.
    let a = analyze_with(USER, without, &FakeHost::linux(), &Options::default());
    let f = a
        .findings
        .iter()
        .find(|f| f.code() == "env/missing-required")
        .expect("missing-required");
    assert!(f.fixes.iter().all(|x| !x.title.contains("env_vars")));
    let with = without.replace(
        "startup_timeout_sec = 60\n",
        "startup_timeout_sec = 60\nenv_vars = [\"GITHUB_PERSONAL_ACCESS_TOKEN\"]\n",
    );
    let a = analyze_with(USER, &with, &host, &Options::default());
    assert!(a.findings.is_empty(), "{:?}", a.findings);
}

#[test]
fn every_fix_on_a_toml_file_leaves_valid_toml() {
    let text = "[mcp_servers.a]\ncommand = \"npx -y some-server\"\n\n[mcp_servers.b]\nurl = \"https://x.example.com/mcp\"\nenabeld = true\n";
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    assert!(!a.findings.is_empty());
    for f in &a.findings {
        for fix in &f.fixes {
            let out = crate::fix::apply(text, &fix.edits).unwrap();
            let p = parse_as(&out, Format::Toml);
            assert!(p.issues.is_empty(), "{} {:?}:\n{out}", f.code(), fix.title);
        }
    }
}

#[test]
fn claude_shaped_tables_in_config_toml_are_in_the_wrong_place() {
    let text = "[mcpServers.a]\nurl = \"https://a.example.com/mcp\"\n\n[mcpServers.b]\nurl = \"https://b.example.com/mcp\"\n";
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    let f = a
        .findings
        .iter()
        .find(|f| f.code() == "schema/wrong-root")
        .expect("wrong-root");
    assert!(f.message.contains("mcp_servers"), "{}", f.message);
    // Renaming the first header's key alone would split the table: no fix.
    assert!(f.fixes.is_empty());
}

#[test]
fn an_inline_bearer_token_is_an_error_that_never_quotes_the_token() {
    let text = "[mcp_servers.figma]\nurl = \"https://mcp.figma.com/mcp\"\nbearer_token = \"figd_abcdefghijklmnopqrstuvwxyz0123456789\"\n";
    check(
        USER,
        text,
        &[("secret/inline-bearer-token", "bearer_token")],
    );
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    assert!(a.findings.iter().all(|f| !f.message.contains("figd_")));
    // Elsewhere it is only an unknown key.
    let claude =
        r#"{"mcpServers": {"f": {"url": "https://x.example.com/mcp", "bearer_token": "x"}}}"#;
    quiet("/p/.mcp.json", claude, "secret/inline-bearer-token");
}

#[test]
fn package_runners_get_a_start_up_timeout_that_fits_a_first_download() {
    let text = "[mcp_servers.pw]\ncommand = \"npx\"\nargs = [\"-y\", \"@playwright/mcp@latest\"]\n\n[mcp_servers.pw.env]\nDEBUG = \"1\"\n";
    check(USER, text, &[("command/cold-start-timeout", "\"npx\"")]);
    check_fix(
        USER,
        text,
        "command/cold-start-timeout",
        "Set `startup_timeout_sec` to 60",
        "[mcp_servers.pw]\ncommand = \"npx\"\nargs = [\"-y\", \"@playwright/mcp@latest\"]\nstartup_timeout_sec = 60\n\n[mcp_servers.pw.env]\nDEBUG = \"1\"\n",
    );
    // Quiet: a timeout chosen in either unit, a disabled entry, a plain
    // program, and clients whose default is long.
    for quiet in [
        "[mcp_servers.a]\ncommand = \"uvx\"\nargs = [\"mcp-server-time\"]\nstartup_timeout_ms = 45000\n",
        "[mcp_servers.a]\ncommand = \"docker\"\nargs = [\"run\", \"-i\", \"--rm\", \"mcp/time\"]\nenabled = false\n",
        "[mcp_servers.a]\ncommand = \"node\"\nargs = [\"/srv/server.js\"]\n",
    ] {
        let host = FakeHost::linux().with_file("/srv/server.js");
        quiet_on(
            USER,
            quiet,
            &host,
            &Options::default(),
            "command/cold-start-timeout",
        );
    }
    let claude = r#"{"mcpServers": {"a": {"command": "npx", "args": ["-y", "some-mcp-server"]}}}"#;
    quiet("/p/.mcp.json", claude, "command/cold-start-timeout");
}

#[test]
fn variables_named_for_tokens_and_headers_must_be_set_for_codex() {
    let text = "[mcp_servers.linear]\nurl = \"https://mcp.linear.app/mcp\"\nbearer_token_env_var = \"LINEAR_TOKEN\"\nenv_http_headers = { \"X-Org\" = \"LINEAR_ORG\" }\n";
    check(
        USER,
        text,
        &[
            ("env/undefined-variable", "\"LINEAR_TOKEN\""),
            ("env/undefined-variable", "\"LINEAR_ORG\""),
        ],
    );
    let host = FakeHost::linux()
        .with_env("LINEAR_TOKEN", "lin_api_x")
        .with_env("LINEAR_ORG", "acme");
    let a = analyze_with(USER, text, &host, &Options::default());
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    // Another OS's config says nothing about this machine's environment.
    let opts = Options {
        target_os: Some(crate::host::Os::Windows),
        ..Options::default()
    };
    quiet_on(
        USER,
        text,
        &FakeHost::linux(),
        &opts,
        "env/undefined-variable",
    );
}

#[test]
fn a_json_mcp_servers_object_pasted_into_config_toml_is_one_error_with_a_rewrite() {
    let text = "model = \"o3\"\n\n\"mcpServers\": {\n  \"time\": {\"command\": \"uvx\", \"args\": [\"mcp-server-time\"], \"startup_timeout_sec\": 40}\n}\n";
    check(USER, text, &[("syntax", "\"mcpServers\": {")]);
    let a = analyze_with(USER, text, &FakeHost::linux(), &Options::default());
    let fix = &a.findings[0].fixes[0];
    let fixed = crate::fix::apply(text, &fix.edits).unwrap();
    assert_eq!(
        fixed,
        "model = \"o3\"\n\n[mcp_servers.time]\ncommand = \"uvx\"\nargs = [\"mcp-server-time\"]\nstartup_timeout_sec = 40\n"
    );
    check(USER, &fixed, &[]);
}
