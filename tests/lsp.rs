//! The language server driven in-process through its real transport (a
//! duplex pipe with Content-Length frames), with a `FakeHost`.

mod support;

use mcp_config_lsp::host::FakeHost;
use mcp_config_lsp::lsp::{ServeOptions, Timing, serve};
use serde_json::{Value, json};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{TestClient, apply_edits, codes, pos, pos_of};
use tokio::task::JoinHandle;

struct Session {
    client: TestClient,
    server: JoinHandle<ExitCode>,
    files_changed: Arc<AtomicUsize>,
}

fn timing() -> Timing {
    Timing {
        debounce: Duration::from_millis(10),
        recheck: Duration::from_secs(3600),
        parent_poll: Duration::from_millis(50),
    }
}

fn start_with(host: Arc<dyn mcp_config_lsp::host::Host>, timing: Timing) -> Session {
    let (client_w, server_r) = tokio::io::duplex(1 << 20);
    let (server_w, client_r) = tokio::io::duplex(1 << 20);
    let files_changed = Arc::new(AtomicUsize::new(0));
    let counter = files_changed.clone();
    let opts = ServeOptions {
        host,
        on_files_changed: Some(Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })),
        timing,
    };
    let server = tokio::spawn(serve(server_r, server_w, opts));
    Session {
        client: TestClient::new(client_r, client_w),
        server,
        files_changed,
    }
}

fn start() -> Session {
    start_with(Arc::new(FakeHost::linux()), timing())
}

/// A push client like most editors: snippets, markdown, related information, configuration.
fn push_caps() -> Value {
    json!({
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true},
            "completion": {"completionItem": {"snippetSupport": true}},
            "hover": {"contentFormat": ["markdown", "plaintext"]}
        },
        "workspace": {
            "configuration": true,
            "workspaceEdit": {"documentChanges": true},
            "didChangeWatchedFiles": {"dynamicRegistration": true}
        }
    })
}

const VSCODE: &str = "file:///proj/.vscode/mcp.json";
const CURSOR: &str = "file:///proj/.cursor/mcp.json";

const WRONG_ROOT: &str = "{\n  \"mcpServers\": {\n    \"memory\": { \"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-memory\"] }\n  }\n}\n";

async fn finish(mut s: Session) {
    s.client.shutdown_and_exit().await;
    let code = tokio::time::timeout(Duration::from_secs(5), s.server)
        .await
        .expect("server did not stop after exit")
        .unwrap();
    assert_eq!(code, ExitCode::SUCCESS);
    s.client.assert_clean_output();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_publishes_diagnostics_with_codes_ranges_and_fix_data() {
    let mut s = start();
    let init = s.client.initialize(push_caps(), Value::Null).await;
    let caps = &init["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert!(
        caps.get("diagnosticProvider").is_none(),
        "push client: no pull"
    );
    assert_eq!(caps["positionEncoding"], "utf-16");

    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(d["version"], 1);
    assert_eq!(codes(&d), ["schema/wrong-root"]);
    let diag = &d["diagnostics"][0];
    assert_eq!(
        diag["range"]["start"],
        pos_of(WRONG_ROOT, "\"mcpServers\"", 0)
    );
    assert_eq!(
        diag["range"]["end"],
        pos_of(WRONG_ROOT, "\"mcpServers\"", 12)
    );
    assert_eq!(diag["severity"], 1);
    assert_eq!(diag["source"], "mcp-config-lsp");
    assert!(
        diag["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#schema-wrong-root")
    );
    assert_eq!(diag["data"]["fixes"][0]["title"], "Rename to `servers`");
    assert_eq!(
        diag["data"]["fixes"][0]["edits"][0]["newText"],
        "\"servers\""
    );

    // Closing clears them.
    s.client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": VSCODE}}),
        )
        .await;
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(d["diagnostics"], json!([]));
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_edits_with_multibyte_text_keep_positions() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    let mut text = String::from(
        "{\n  // 設定 😀\n  \"mcpServers\": {\n    \"日本語😀\": { \"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-memory\"] }\n  }\n}\n",
    );
    // `.cursor/mcp.json` is JSONC for Cursor? Either way the comment is the only finding we may get.
    s.client.open(CURSOR, "json", &text).await;
    let first = s.client.next_diagnostics(CURSOR).await;
    let baseline = codes(&first);
    assert!(!baseline.contains(&"schema/unknown-key".to_string()));

    // Rename `command` to `comand` with a range that starts after the emoji (UTF-16 columns).
    let at = text.find("\"command\"").unwrap() + 1;
    let range = json!({"start": pos(&text, at), "end": pos(&text, at + 7)});
    s.client.change(CURSOR, 2, range, "comand").await;
    text.replace_range(at..at + 7, "comand");
    let d = s
        .client
        .diagnostics_where(CURSOR, |p| p["version"] == 2)
        .await;
    let unknown: Vec<&Value> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "schema/unknown-key")
        .collect();
    assert_eq!(unknown.len(), 1, "{d}");
    assert_eq!(unknown[0]["range"]["start"], pos_of(&text, "\"comand\"", 0));
    assert_eq!(unknown[0]["range"]["end"], pos_of(&text, "\"comand\"", 8));

    // Insert CJK and an emoji before it on the same line: the range moves by their UTF-16 length.
    let name = text.find("日本語").unwrap();
    let before = pos_of(&text, "\"comand\"", 0)["character"]
        .as_u64()
        .unwrap();
    s.client
        .change(
            CURSOR,
            3,
            json!({"start": pos(&text, name), "end": pos(&text, name)}),
            "新🎉",
        )
        .await;
    text.insert_str(name, "新🎉");
    let d = s
        .client
        .diagnostics_where(CURSOR, |p| p["version"] == 3)
        .await;
    let moved = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "schema/unknown-key")
        .cloned()
        .expect("still reported");
    assert_eq!(
        moved["range"]["start"]["character"].as_u64().unwrap(),
        before + 3
    );
    assert_eq!(moved["range"]["start"], pos_of(&text, "\"comand\"", 0));

    // Fix the typo with a range ending inside nothing but ASCII; the warning goes away.
    let at = text.find("\"comand\"").unwrap() + 1;
    s.client
        .change(
            CURSOR,
            4,
            json!({"start": pos(&text, at), "end": pos(&text, at + 6)}),
            "command",
        )
        .await;
    let d = s
        .client
        .diagnostics_where(CURSOR, |p| p["version"] == 4)
        .await;
    assert_eq!(codes(&d), baseline);
    finish(s).await;
}

/// "Fix all" follows `check --fix`: it is offered without its edit to a
/// client that resolves edits, and the resolved edit leaves alone a fix that
/// would raise a new finding (`~` expanded into a folder that does not exist).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_is_resolved_and_refuses_a_fix_that_raises_a_new_finding() {
    const CLAUDE: &str = "file:///home/me/.config/Claude/claude_desktop_config.json";
    let text = "{\n  \"mcpServers\": {\n    \"files\": {\n      \"command\": \"/usr/bin/python3\",\n      \"args\": [\"~/mcp-data\"],\n    }\n  }\n}\n";
    let mut s = start();
    let mut caps = push_caps();
    caps["textDocument"]["codeAction"] = json!({"resolveSupport": {"properties": ["edit"]}});
    let init = s.client.initialize(caps, Value::Null).await;
    assert_eq!(
        init["capabilities"]["codeActionProvider"]["resolveProvider"],
        true
    );
    s.client.open(CLAUDE, "json", text).await;
    let d = s.client.next_diagnostics(CLAUDE).await;
    let found = codes(&d);
    assert!(
        found.contains(&"syntax/jsonc-not-accepted".to_string()),
        "{found:?}"
    );
    assert!(found.contains(&"args/tilde".to_string()), "{found:?}");

    let actions = s
        .client
        .call(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": CLAUDE},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source.fixAll"]}
            }),
        )
        .await;
    let offer = &actions.as_array().unwrap()[0];
    assert_eq!(offer["kind"], "source.fixAll.mcp-config-lsp");
    assert!(
        offer.get("edit").is_none(),
        "the edit waits for resolve: {offer}"
    );

    let resolved = s.client.call("codeAction/resolve", offer.clone()).await;
    let doc_edit = &resolved["edit"]["documentChanges"][0];
    assert_eq!(doc_edit["textDocument"]["version"], 1);
    let fixed = apply_edits(text, doc_edit["edits"].as_array().unwrap());
    assert_eq!(
        fixed,
        text.replace("\"],\n", "\"]\n"),
        "comma removed, `~` kept"
    );
    finish(s).await;
}

/// An edit that changes no diagnostic sends none (a long file's thousands
/// of diagnostics are not sent again for each keystroke), and the fixes the
/// client holds, made for the older version, are still offered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_that_changes_no_diagnostic_sends_none_and_keeps_its_fixes() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(d["version"], 1);
    let diags = d["diagnostics"].clone();
    assert!(codes(&d).contains(&"schema/wrong-root".to_string()), "{d}");

    // Blank lines after the last brace move no diagnostic.
    let more = format!("{WRONG_ROOT}\n\n");
    s.client.change_full(VSCODE, 2, &more).await;
    let ask = json!({
        "textDocument": {"uri": VSCODE},
        "range": diags[0]["range"],
        "context": {"diagnostics": diags}
    });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let rename = loop {
        let actions = s.client.call("textDocument/codeAction", ask.clone()).await;
        let found = actions
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["title"] == "Rename to `servers`")
            .cloned();
        match found {
            Some(a) => break a,
            None if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await
            }
            None => panic!("the version-1 fix is not offered for the unchanged version 2"),
        }
    };
    let doc_edit = &rename["edit"]["documentChanges"][0];
    assert_eq!(
        doc_edit["textDocument"]["version"], 2,
        "applies to the text as it is now"
    );
    let fixed = apply_edits(&more, doc_edit["edits"].as_array().unwrap());
    assert!(
        fixed.contains("\"servers\"") && fixed.ends_with("}\n\n\n"),
        "{fixed}"
    );
    let sent = s
        .client
        .collect(
            "textDocument/publishDiagnostics",
            Duration::from_millis(100),
        )
        .await;
    assert!(sent.iter().all(|p| p["version"] != 2), "{sent:?}");

    // A change that does change them is sent as before.
    s.client.change_full(VSCODE, 3, &fixed).await;
    let d = s
        .client
        .diagnostics_where(VSCODE, |p| p["version"] == 3)
        .await;
    assert!(!codes(&d).contains(&"schema/wrong-root".to_string()), "{d}");
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_action_fix_applied_removes_the_diagnostic() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    let d = s.client.next_diagnostics(VSCODE).await;
    let diags = d["diagnostics"].clone();
    let ask_for_fixes = json!({
        "textDocument": {"uri": VSCODE},
        "range": diags[0]["range"],
        "context": {"diagnostics": diags}
    });
    let actions = s
        .client
        .call("textDocument/codeAction", ask_for_fixes.clone())
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Disable rule schema/wrong-root for this workspace"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Fix all safe fixes (mcp-config-lsp)"),
        "{titles:?}"
    );
    let rename = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Rename to `servers`")
        .expect("rename action");
    assert_eq!(rename["kind"], "quickfix");
    assert_eq!(rename["isPreferred"], true);
    let doc_edit = &rename["edit"]["documentChanges"][0];
    assert_eq!(doc_edit["textDocument"]["version"], 1);
    let fixed = apply_edits(WRONG_ROOT, doc_edit["edits"].as_array().unwrap());
    assert!(fixed.contains("\"servers\""));
    s.client.change_full(VSCODE, 2, &fixed).await;
    let d = s
        .client
        .diagnostics_where(VSCODE, |p| p["version"] == 2)
        .await;
    assert!(!codes(&d).contains(&"schema/wrong-root".to_string()), "{d}");

    // The version-1 diagnostics again, now that the text is version 2: their
    // edits would land in the wrong place, so they are not offered.
    let stale = s
        .client
        .call("textDocument/codeAction", ask_for_fixes)
        .await;
    assert!(
        !stale
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| a["title"] == "Rename to `servers`"),
        "{stale}"
    );

    // Only source.fixAll asked: only the fix-all action (none left to fix now).
    let only = s
        .client
        .call(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": VSCODE},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source.fixAll"]}
            }),
        )
        .await;
    assert_eq!(only, Value::Null);
    finish(s).await;
}

/// Completion items at `offset` of `text` (the document's current text).
async fn complete(s: &mut Session, uri: &str, text: &str, offset: usize) -> Vec<Value> {
    let items = s
        .client
        .call(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(text, offset)}),
        )
        .await;
    items.as_array().cloned().unwrap_or_default()
}

fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("{label} not offered: {items:?}"))
}

/// The hover at `position`, and its text.
async fn hover(s: &mut Session, uri: &str, position: Value) -> (Value, String) {
    let h = s
        .client
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position}),
        )
        .await;
    let text = h["contents"]["value"].as_str().unwrap_or("").to_string();
    (h, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_in_half_typed_json() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    let text = r#"{"mcpServers": {"x": {"com"#;
    s.client.open(CURSOR, "json", text).await;
    let items = complete(&mut s, CURSOR, text, text.len()).await;
    let command = item(&items, "command");
    assert_eq!(command["textEdit"]["range"]["start"], pos(text, 22));
    assert_eq!(command["insertTextFormat"], 2);

    let text2 = r#"{"mcpServers": {"x": {"command": "npx", "args": ["-y", ""#;
    s.client.change_full(CURSOR, 2, text2).await;
    let items = complete(&mut s, CURSOR, text2, text2.len()).await;
    item(&items, "@modelcontextprotocol/server-filesystem");
    item(&items, "@playwright/mcp@latest");

    // A new server name: whole-entry snippets.
    let text3 = "{\"mcpServers\": {\n  \"gith";
    s.client.change_full(CURSOR, 3, text3).await;
    let items = complete(&mut s, CURSOR, text3, text3.len()).await;
    let github = item(&items, "github");
    assert!(github["textEdit"]["newText"].as_str().unwrap().contains(
        "\"GITHUB_PERSONAL_ACCESS_TOKEN\": \"${1:\\${env:GITHUB_PERSONAL_ACCESS_TOKEN\\}}\""
    ));
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_resolves_commands_on_the_hosts_path_and_redacts_secrets() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    let text = "{\n  \"mcpServers\": {\n    \"gh\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n      \"env\": {\"GITHUB_PERSONAL_ACCESS_TOKEN\": \"ghp_0123456789abcdefghijklmnopqrstuvwxyz\"}\n    },\n    \"gone\": {\"command\": \"definitely-missing\"},\n    \"remote\": {\"url\": \"https://me:hunter2hunter2@example.com/mcp?token=abcdefghijklmnop&x=1\"}\n  }\n}\n";
    s.client.open(CURSOR, "json", text).await;

    let (h, v) = hover(&mut s, CURSOR, pos_of(text, "\"npx\"", 2)).await;
    assert!(
        v.contains("/home/me/.nvm/versions/node/v22.1.0/bin/npx"),
        "{v}"
    );
    assert!(
        v.contains("/usr/local/bin:/usr/bin:/bin"),
        "the PATH searched: {v}"
    );
    assert_eq!(h["range"]["start"], pos_of(text, "\"npx\"", 0));

    let (_, v) = hover(&mut s, CURSOR, pos_of(text, "definitely-missing", 3)).await;
    assert!(v.contains("**not found** on the PATH"), "{v}");

    let (_, v) = hover(&mut s, CURSOR, pos_of(text, "\"gh\"", 1)).await;
    assert!(v.contains("stdio server"), "{v}");
    assert!(
        v.contains("npx -y @modelcontextprotocol/server-github"),
        "{v}"
    );
    assert!(v.contains("ghp_…(40 chars)"), "{v}");
    assert!(!v.contains("0123456789abcdef"), "secret leaked: {v}");

    let (_, v) = hover(&mut s, CURSOR, pos_of(text, "\"remote\"", 1)).await;
    assert!(
        v.contains("Streamable HTTP server") && v.contains("example.com/mcp"),
        "{v}"
    );
    assert!(
        !v.contains("hunter2hunter2") && !v.contains("abcdefghijklmnop"),
        "secret leaked: {v}"
    );

    let (_, v) = hover(&mut s, CURSOR, pos_of(text, "\"args\"", 2)).await;
    assert!(v.starts_with("**`args`**: an array"), "{v}");

    // Hover over an env value shows documentation, never the value.
    let (h, _) = hover(&mut s, CURSOR, pos_of(text, "ghp_", 2)).await;
    assert!(!h.to_string().contains("0123456789abcdef"), "{h}");
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_changes_republish_without_ignored_rules() {
    let mut s = start();
    *s.client.config.lock().unwrap() = json!({"rules": {"ignore": []}});
    s.client.initialize(push_caps(), Value::Null).await;
    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    let d = s
        .client
        .diagnostics_where(VSCODE, |p| !p["diagnostics"].as_array().unwrap().is_empty())
        .await;
    assert_eq!(codes(&d), ["schema/wrong-root"]);

    *s.client.config.lock().unwrap() = json!({"rules": {"ignore": ["schema/"]}});
    s.client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(codes(&d), Vec::<String>::new());
    assert_eq!(d["version"], 1);

    // The configuration request asked for our section.
    let asked = s.client.server_requests.lock().unwrap().clone();
    assert!(
        asked
            .iter()
            .any(|(m, p)| m == "workspace/configuration"
                && p["items"][0]["section"] == "mcpConfigLsp")
    );
    // Watched files were registered dynamically; events reach the host.
    assert!(asked.iter().any(|(m, p)| m == "client/registerCapability"
        && p["registrations"][0]["method"] == "workspace/didChangeWatchedFiles"));
    s.client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": "file:///usr/bin/npx", "type": 1}]}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(s.files_changed.load(Ordering::SeqCst), 1);
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_from_initialization_options_and_pushed_configuration() {
    let mut s = start();
    // A client without workspace/configuration: settings come with the notification.
    let caps = json!({"textDocument": {"publishDiagnostics": {}}});
    s.client
        .initialize(
            caps,
            json!({"mcpConfigLsp": {"rules": {"ignore": ["schema/wrong-root"]}}}),
        )
        .await;
    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(codes(&d), Vec::<String>::new());
    s.client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"mcpConfigLsp": {"rules": {"ignore": []}, "targetOs": "nonsense"}}}),
        )
        .await;
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(codes(&d), ["schema/wrong-root"]);
    // Without relatedInformation support, plain clients still get valid diagnostics.
    assert!(d["diagnostics"][0].get("relatedInformation").is_none());
    let log = s
        .client
        .notification_where("window/logMessage", Duration::from_secs(5), |p| {
            p["message"].as_str().unwrap_or("").contains("targetOs")
        })
        .await;
    assert!(log.is_some(), "a bad setting is reported");
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_rule_command_turns_a_rule_off_for_the_session() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(codes(&d), ["schema/wrong-root"]);
    let r = s
        .client
        .call(
            "workspace/executeCommand",
            json!({"command": "mcp-config-lsp.ignoreRule", "arguments": ["schema/wrong-root"]}),
        )
        .await;
    assert_eq!(r["ignored"], json!(["schema/wrong-root"]));
    let d = s.client.next_diagnostics(VSCODE).await;
    assert_eq!(codes(&d), Vec::<String>::new());
    let asked = s
        .client
        .collect("window/showMessage", Duration::from_millis(200))
        .await;
    assert!(
        asked.iter().any(|m| m["message"]
            .as_str()
            .is_some_and(|t| t.contains("mcpConfigLsp.rules.ignore"))),
        "the user is told how to keep the rule off: {asked:?}"
    );
    // An extension that writes the setting itself says so: no message then.
    s.client
        .call(
            "workspace/executeCommand",
            json!({"command": "mcp-config-lsp.ignoreRule", "arguments": ["secret/", {"persisted": true}]}),
        )
        .await;
    let asked = s
        .client
        .collect("window/showMessage", Duration::from_millis(200))
        .await;
    assert!(asked.is_empty(), "{asked:?}");
    let bad = s
        .client
        .request(
            "workspace/executeCommand",
            json!({"command": "mcp-config-lsp.ignoreRule", "arguments": ["no/such-rule"]}),
        )
        .await;
    assert_eq!(bad["error"]["code"], -32602);
    let bad = s
        .client
        .request(
            "workspace/executeCommand",
            json!({"command": "nope", "arguments": []}),
        )
        .await;
    assert!(bad.get("error").is_some());
    finish(s).await;
}

/// A host whose lookups take varying time, so analyses of successive versions
/// finish out of order.
struct SlowHost {
    inner: FakeHost,
    calls: AtomicUsize,
}

impl mcp_config_lsp::host::Host for SlowHost {
    fn os(&self) -> mcp_config_lsp::host::Os {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(if n.is_multiple_of(3) {
            40
        } else {
            1
        }));
        self.inner.os()
    }
    fn env_var(&self, name: &str) -> Option<String> {
        self.inner.env_var(name)
    }
    fn file(&self, path: &std::path::Path) -> Option<mcp_config_lsp::host::FileInfo> {
        self.inner.file(path)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rapid_edits_never_publish_stale_results() {
    let host = Arc::new(SlowHost {
        inner: FakeHost::linux(),
        calls: AtomicUsize::new(0),
    });
    let mut s = start_with(
        host,
        Timing {
            debounce: Duration::from_millis(2),
            ..timing()
        },
    );
    s.client.initialize(push_caps(), Value::Null).await;
    let mut text = String::from("{\"mcpServers\": {\"x\": {\"command\": \"npx\"}}}");
    s.client.open(CURSOR, "json", &text).await;
    // 50 edits: each adds an unknown key `kN` to the entry.
    for i in 0..50 {
        let at = text.find("}}}").unwrap();
        let insert = format!(", \"k{i}\": 1");
        s.client
            .change(
                CURSOR,
                i + 2,
                json!({"start": pos(&text, at), "end": pos(&text, at)}),
                &insert,
            )
            .await;
        text.insert_str(at, &insert);
        if i % 7 == 0 {
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }
    let published = s
        .client
        .collect(
            "textDocument/publishDiagnostics",
            Duration::from_millis(1500),
        )
        .await;
    assert!(!published.is_empty());
    let versions: Vec<i64> = published
        .iter()
        .map(|p| p["version"].as_i64().unwrap())
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "published out of order: {versions:?}"
    );
    let last = published.last().unwrap();
    assert_eq!(last["version"], 51, "{versions:?}");
    let unknown = codes(last)
        .iter()
        .filter(|c| *c == "schema/unknown-key")
        .count();
    assert_eq!(unknown, 50);
    // Each result matches the text of its version: version v has v-1 unknown keys.
    for p in &published {
        let v = p["version"].as_i64().unwrap();
        let n = codes(p)
            .iter()
            .filter(|c| *c == "schema/unknown-key")
            .count() as i64;
        assert_eq!(n, v - 1, "version {v}");
    }
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_for_clients_that_support_them() {
    let mut s = start();
    let caps = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}}
    });
    let init = s.client.initialize(caps, Value::Null).await;
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["identifier"],
        "mcp-config-lsp"
    );
    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    let report = s.client.pull_diagnostics(VSCODE, None).await;
    assert_eq!(report["kind"], "full");
    assert_eq!(codes(&report["items"]), ["schema/wrong-root"]);
    let id = report["resultId"].clone();
    let again = s.client.pull_diagnostics(VSCODE, Some(&id)).await;
    assert_eq!(again["kind"], "unchanged");
    // Nothing is pushed to a pull client.
    let pushed = s
        .client
        .collect(
            "textDocument/publishDiagnostics",
            Duration::from_millis(200),
        )
        .await;
    assert!(pushed.is_empty(), "{pushed:?}");
    // A rule switched off: the client is asked to pull again and gets the new set.
    s.client
        .call(
            "workspace/executeCommand",
            json!({"command": "mcp-config-lsp.ignoreRule", "arguments": ["schema/"]}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        s.client
            .server_requests
            .lock()
            .unwrap()
            .iter()
            .any(|(m, _)| m == "workspace/diagnostic/refresh")
    );
    let report = s.client.pull_diagnostics(VSCODE, Some(&id)).await;
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"], json!([]));
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_documents_and_bad_requests_get_empty_answers() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    let pkg = "file:///proj/package.json";
    s.client.open(pkg, "json", "{\"mcpServers\": 1, oops").await;
    let at = json!({"textDocument": {"uri": pkg}, "position": {"line": 0, "character": 3}});
    assert_eq!(
        s.client.call("textDocument/hover", at.clone()).await,
        Value::Null
    );
    assert_eq!(
        s.client.call("textDocument/completion", at).await,
        Value::Null
    );
    // Positions far outside the document are clamped.
    s.client.open(CURSOR, "json", WRONG_ROOT).await;
    let far = json!({"textDocument": {"uri": CURSOR}, "position": {"line": 999, "character": 999}});
    s.client.call("textDocument/hover", far.clone()).await;
    s.client.call("textDocument/completion", far).await;
    let sel = s
        .client
        .call(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": CURSOR}, "positions": [{"line": 2, "character": 9}, {"line": 400, "character": 0}]}),
        )
        .await;
    assert_eq!(sel.as_array().unwrap().len(), 2);
    // A language id makes any file ours.
    let untitled = "untitled:Untitled-1";
    s.client.open(untitled, "mcp-config", WRONG_ROOT).await;
    let d = s.client.next_diagnostics(untitled).await;
    assert_eq!(d["version"], 1);
    // Unknown documents.
    let nowhere = json!({"textDocument": {"uri": "file:///nowhere/.mcp.json"}, "position": {"line": 0, "character": 0}});
    assert_eq!(
        s.client.call("textDocument/hover", nowhere).await,
        Value::Null
    );
    // Only package.json never got diagnostics.
    let pushed = s
        .client
        .collect(
            "textDocument/publishDiagnostics",
            Duration::from_millis(200),
        )
        .await;
    assert!(pushed.iter().all(|p| p["uri"] != pkg), "{pushed:?}");
    // Malformed params are an error, not a crash.
    let r = s
        .client
        .request("textDocument/hover", json!({"textDocument": 5}))
        .await;
    assert!(r.get("error").is_some());
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symbols_and_folding() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    let text = "{\n  \"mcpServers\": {\n    \"local\": {\n      \"command\": \"npx\",\n      \"env\": {\"TOKEN\": \"secret-value-123\"}\n    },\n    \"remote\": {\"type\": \"http\", \"url\": \"https://example.com/mcp\"}\n  }\n}\n";
    s.client.open(CURSOR, "json", text).await;
    let syms = s
        .client
        .call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": CURSOR}}),
        )
        .await;
    let syms = syms.as_array().unwrap();
    assert_eq!(syms.len(), 2);
    assert_eq!(syms[0]["name"], "local");
    assert_eq!(syms[0]["kind"], 12, "stdio → function");
    assert_eq!(syms[1]["kind"], 11, "http → interface");
    assert_eq!(
        syms[0]["selectionRange"]["start"],
        pos_of(text, "\"local\"", 0)
    );
    let children: Vec<&str> = syms[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["command", "env"]);
    assert!(
        !Value::Array(syms.to_vec())
            .to_string()
            .contains("secret-value")
    );
    let folds = s
        .client
        .call(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": CURSOR}}),
        )
        .await;
    assert!(
        folds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["startLine"] == 2 && f["endLine"] == 4)
    );
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exits_when_the_editor_process_is_gone() {
    let mut s = start();
    // A stand-in editor that waits 30 s (`sleep`, or `ping` on Windows).
    #[cfg(unix)]
    let mut child = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .expect("sleep");
    #[cfg(windows)]
    let mut child = std::process::Command::new("ping")
        .args(["-n", "30", "127.0.0.1"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("ping");
    let pid = child.id();
    s.client
        .call("initialize", json!({"processId": pid, "capabilities": {}}))
        .await;
    child.kill().unwrap();
    child.wait().unwrap();
    let code = tokio::time::timeout(Duration::from_secs(5), s.server)
        .await
        .expect("server still running after its editor died")
        .unwrap();
    assert_eq!(code, ExitCode::FAILURE);
}

/// Counts analyses (each asks the host for its OS once).
struct CountingHost {
    inner: FakeHost,
    analyses: Arc<AtomicUsize>,
}

impl mcp_config_lsp::host::Host for CountingHost {
    fn os(&self) -> mcp_config_lsp::host::Os {
        self.analyses.fetch_add(1, Ordering::SeqCst);
        self.inner.os()
    }
    fn env_var(&self, name: &str) -> Option<String> {
        self.inner.env_var(name)
    }
    fn file(&self, path: &std::path::Path) -> Option<mcp_config_lsp::host::FileInfo> {
        self.inner.file(path)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_documents_are_rechecked_periodically() {
    let analyses = Arc::new(AtomicUsize::new(0));
    let host = Arc::new(CountingHost {
        inner: FakeHost::linux(),
        analyses: analyses.clone(),
    });
    let mut s = start_with(
        host,
        Timing {
            recheck: Duration::from_millis(50),
            ..timing()
        },
    );
    s.client.initialize(push_caps(), Value::Null).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        analyses.load(Ordering::SeqCst),
        0,
        "nothing open, nothing to do"
    );
    s.client.open(VSCODE, "jsonc", WRONG_ROOT).await;
    s.client.next_diagnostics(VSCODE).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        analyses.load(Ordering::SeqCst) >= 4,
        "re-analysed on the timer"
    );
    assert!(
        s.files_changed.load(Ordering::SeqCst) >= 3,
        "host cache cleared"
    );
    // Unchanged results are not sent again.
    let again = s
        .client
        .collect(
            "textDocument/publishDiagnostics",
            Duration::from_millis(200),
        )
        .await;
    assert!(again.is_empty(), "{again:?}");
    s.client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": VSCODE}}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let after_close = analyses.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(analyses.load(Ordering::SeqCst), after_close);
    finish(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_documents_get_one_diagnostic_and_empty_answers() {
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    let mut text = String::from("{\"mcpServers\": {\"x\": {\"command\": \"");
    text.push_str(&"a".repeat(17 * 1024 * 1024));
    text.push_str("\"}}}");
    s.client.open(CURSOR, "json", &text).await;
    let d = s.client.next_diagnostics(CURSOR).await;
    assert_eq!(codes(&d), ["syntax"]);
    assert!(
        d["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too large")
    );
    let at = json!({"textDocument": {"uri": CURSOR}, "position": {"line": 0, "character": 30}});
    assert_eq!(s.client.call("textDocument/hover", at).await, Value::Null);
    finish(s).await;
}

/// A Cursor config of `n` servers, each running `nosuch-tool` (not on the
/// PATH: the same words at each place, no fix) with `~/data` in its
/// arguments (the same words too, with a fix).
fn same_problems(n: usize) -> String {
    let entries: Vec<String> = (0..n)
        .map(|i| {
            format!("    \"srv-{i}\": {{\"command\": \"nosuch-tool\", \"args\": [\"~/data\"]}}")
        })
        .collect();
    format!(
        "{{\n  \"mcpServers\": {{\n{}\n  }}\n}}\n",
        entries.join(",\n")
    )
}

fn with_code<'a>(diags: &'a Value, code: &str) -> Vec<&'a Value> {
    let list = diags.get("diagnostics").unwrap_or(diags);
    list.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// The same problem at six places is one row in the editor's Problems
/// panel, at the first place, listing the five others; the same problem with
/// a fix keeps a diagnostic (and so a quick fix) at each place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_problem_at_many_places_is_one_diagnostic_listing_the_others() {
    let text = same_problems(6);
    let mut s = start();
    s.client.initialize(push_caps(), Value::Null).await;
    s.client.open(CURSOR, "json", &text).await;
    let d = s.client.next_diagnostics(CURSOR).await;
    let not_found = with_code(&d, "command/not-found");
    assert_eq!(not_found.len(), 1, "{d}");
    let grouped = not_found[0];
    assert_eq!(
        grouped["range"]["start"],
        pos_of(&text, "\"nosuch-tool\"", 0),
        "at the first place"
    );
    let message = grouped["message"].as_str().unwrap();
    assert!(
        message.starts_with("`nosuch-tool` is not on the PATH")
            && message.ends_with("(and 5 other places in this file: see related information)"),
        "{message}"
    );
    let related = grouped["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 5);
    for (i, r) in related.iter().enumerate() {
        let at = text.match_indices("\"nosuch-tool\"").nth(i + 1).unwrap().0;
        assert_eq!(r["location"]["uri"], CURSOR);
        assert_eq!(r["location"]["range"]["start"], support::pos(&text, at));
        assert_eq!(
            r["message"],
            format!("the same problem, in server `srv-{}`", i + 1)
        );
    }
    // "Disable rule" is offered on the one diagnostic.
    let actions = s
        .client
        .call(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": CURSOR},
                "range": grouped["range"],
                "context": {"diagnostics": [grouped]}
            }),
        )
        .await;
    assert!(
        actions
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["title"] == "Disable rule command/not-found for this workspace"),
        "{actions}"
    );

    // With a fix: one diagnostic per place, each with its fix.
    let tilde = with_code(&d, "args/tilde");
    assert_eq!(tilde.len(), 6);
    assert!(tilde.iter().all(
        |t| t["data"]["fixes"].as_array().is_some_and(|f| !f.is_empty())
            && t.get("relatedInformation").is_none()
    ));

    // Four places: a diagnostic at each.
    s.client.change_full(CURSOR, 2, &same_problems(4)).await;
    let d = s
        .client
        .diagnostics_where(CURSOR, |p| p["version"] == 2)
        .await;
    let not_found = with_code(&d, "command/not-found");
    assert_eq!(not_found.len(), 4);
    assert!(
        not_found
            .iter()
            .all(|n| n.get("relatedInformation").is_none()
                && !n["message"].as_str().unwrap().contains("other places"))
    );
    finish(s).await;
}

/// A client that does not show related information would not show the other
/// places: it gets a diagnostic at each. A pull client gets the grouping too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_problem_is_grouped_only_for_clients_that_show_related_information() {
    let text = same_problems(6);
    let mut s = start();
    s.client
        .initialize(
            json!({"textDocument": {"publishDiagnostics": {}}}),
            Value::Null,
        )
        .await;
    s.client.open(CURSOR, "json", &text).await;
    let d = s.client.next_diagnostics(CURSOR).await;
    assert_eq!(with_code(&d, "command/not-found").len(), 6);
    finish(s).await;

    let mut s = start();
    let caps = json!({"textDocument": {
        "diagnostic": {"dynamicRegistration": false},
        "publishDiagnostics": {"relatedInformation": true}
    }});
    s.client.initialize(caps, Value::Null).await;
    s.client.open(CURSOR, "json", &text).await;
    let report = s.client.pull_diagnostics(CURSOR, None).await;
    let not_found = with_code(&report["items"], "command/not-found");
    assert_eq!(not_found.len(), 1);
    assert_eq!(
        not_found[0]["relatedInformation"].as_array().unwrap().len(),
        5
    );
    assert_eq!(with_code(&report["items"], "args/tilde").len(), 6);
    // Asked again, the same grouped set keeps its result id.
    let again = s
        .client
        .pull_diagnostics(CURSOR, Some(&report["resultId"]))
        .await;
    assert_eq!(again["kind"], "unchanged");
    finish(s).await;
}
