//! The corpus of correct configs (`tests/fixtures/valid/<dialect>/...`, at
//! paths that mimic where each client keeps its file) must produce no
//! warning and no error on a machine that has the commands installed and
//! the referenced variables set: every one would be a false positive.

use mcp_config_lsp::host::FakeHost;
use mcp_config_lsp::{Options, Severity, analyze};
use std::path::{Path, PathBuf};

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            fixtures(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// A Linux machine with node/npx (nvm), uvx, docker; the variables the
/// fixtures reference; and the fixtures' own directories.
fn machine(files: &[PathBuf]) -> FakeHost {
    let mut host = FakeHost::linux()
        .with_env("GITHUB_TOKEN", "set-in-the-shell")
        .with_env("CONTEXT7_API_KEY", "set-in-the-shell");
    for f in files {
        for dir in f.ancestors().skip(1).take(3) {
            host = host.with_dir(&dir.to_string_lossy());
        }
    }
    host
}

#[test]
fn valid_configs_of_every_dialect_produce_no_warnings_or_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let mut files = Vec::new();
    fixtures(&root, &mut files);
    assert!(files.len() >= 20, "only {} fixtures", files.len());
    let host = machine(&files);
    let mut problems = Vec::new();
    let mut dialects = std::collections::BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let path = f.to_string_lossy();
        let a = analyze(&text, Some(&path), &Options::default(), &host);
        dialects.insert(a.config.dialect.id());
        assert!(!a.config.servers.is_empty(), "{path}: no servers found");
        for finding in a
            .findings
            .iter()
            .filter(|x| x.severity >= Severity::Warning)
        {
            problems.push(format!(
                "{}: {} [{}] {}",
                f.strip_prefix(&root).unwrap_or(f).display(),
                finding.severity.as_str(),
                finding.code(),
                finding.message
            ));
        }
    }
    assert!(
        dialects.len() >= 10,
        "every dialect should be covered: {dialects:?}"
    );
    assert!(
        problems.is_empty(),
        "false positives:\n{}",
        problems.join("\n")
    );
}

/// Every message reads as a sentence: it starts with a capital (or with the
/// code, path or variable it quotes), on every file we have, read by every
/// client on every OS.
#[test]
fn every_message_starts_with_a_capital() {
    use mcp_config_lsp::Dialect;
    use mcp_config_lsp::host::Os;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "tests/fixtures", "tests/corpus"] {
        fixtures(&root.join(dir), &mut files);
    }
    let mut lower = std::collections::BTreeMap::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let path = f.to_string_lossy();
        for os in [Os::Linux, Os::Macos, Os::Windows] {
            for dialect in [None, Some(Dialect::ClaudeDesktop), Some(Dialect::VsCode)] {
                let opts = Options {
                    target_os: Some(os),
                    dialect,
                    ..Options::default()
                };
                let a = analyze(&text, Some(&path), &opts, &FakeHost::new(os));
                for finding in a.findings {
                    let first = finding.message.chars().next().unwrap_or('?');
                    if !(first.is_uppercase() || "`\"'$~/<[{(0123456789".contains(first)) {
                        lower
                            .entry(finding.code().to_string())
                            .or_insert(finding.message);
                    }
                }
            }
        }
    }
    assert!(
        lower.is_empty(),
        "messages that start in lower case, one per code:\n{}",
        lower
            .iter()
            .map(|(code, m)| format!("{code}: {m}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
