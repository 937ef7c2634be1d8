//! README's rule catalogue and docs/rules.md are generated from the registry;
//! this test fails when they disagree (run with UPDATE_DOCS=1 to rewrite them).

mod common;

use mcp_config_lsp::registry::{ALL, Rule};

fn severity(r: &Rule) -> &'static str {
    r.severity.as_str()
}

fn catalogue() -> String {
    let mut s = String::from("| Code | Severity | Fix | What it catches |\n|---|---|---|---|\n");
    for r in ALL {
        s.push_str(&format!(
            "| [`{}`](docs/rules.md#{}) | {} | {} | {} |\n",
            r.code,
            r.code.replace('/', "-"),
            severity(r),
            if r.fix { "✚" } else { "" },
            r.summary.replace('|', "\\|")
        ));
    }
    s
}

fn rules_doc() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from `server/registry.rs` by `tests/docs.rs`; do not edit by hand.\n\
         Silence a rule with `--ignore CODE` on the command line or `rules.ignore` in the editor settings;\n\
         a family prefix such as `secret/` silences the whole family.\n",
    );
    let mut family = "";
    for r in ALL {
        if r.family() != family {
            family = r.family();
            s.push_str(&format!("\n## {family}\n"));
        }
        s.push_str(&format!(
            "\n<a id=\"{}\"></a>\n### `{}`\n\n**{}**{} — {}\n\n{}\n",
            r.code.replace('/', "-"),
            r.code,
            severity(r),
            if r.fix { ", has a quick fix" } else { "" },
            r.summary,
            r.explanation
        ));
    }
    s
}

/// The sample at the top of README.md is what `check` prints on the
/// examples, on a machine that has the commands they name.
#[cfg(unix)] // README shows the sample as printed on macOS and Linux
#[test]
fn readme_sample_output_is_what_check_prints() {
    let command = "check examples/cursor examples/claude-desktop";
    let mut cmd = assert_cmd::Command::cargo_bin("mcp-config-lsp").unwrap();
    common::hermetic(&mut cmd);
    let out = cmd
        .current_dir(common::root())
        .args(command.split(' '))
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    let readme_path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = format!("```console\n$ mcp-config-lsp {command}\n");
    let (a, b) = between(&readme, &start, "```\n").expect("README opens with this sample");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{}{}", &readme[..a], printed, &readme[b..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[a..b],
        printed,
        "README's sample output is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
}

fn between(text: &str, start: &str, end: &str) -> Option<(usize, usize)> {
    let a = text.find(start)? + start.len();
    let b = a + text[a..].find(end)?;
    Some((a, b))
}

#[test]
fn readme_catalogue_and_rules_doc_match_the_registry() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let readme_path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (a, b) = between(&readme, "<!-- rules:start -->\n", "<!-- rules:end -->")
        .expect("README has the rules markers");
    let want = catalogue();
    let doc_path = common::root().join("docs/rules.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap_or_default();
    if update {
        std::fs::write(
            &readme_path,
            format!("{}{}{}", &readme[..a], want, &readme[b..]),
        )
        .unwrap();
        std::fs::write(&doc_path, rules_doc()).unwrap();
        return;
    }
    assert_eq!(
        &readme[a..b],
        want,
        "README's rule catalogue is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
    assert_eq!(
        doc,
        rules_doc(),
        "docs/rules.md is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
}
