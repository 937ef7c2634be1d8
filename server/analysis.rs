//! The one entry point of analysis: text in, model and findings out. Pure but
//! for what the `Host` answers.

use crate::client_env::{ClientEnv, EnvMode};
use crate::config::{Config, DialectSource, Format, IssueKind, read};
use crate::dialect::Dialect;
use crate::document::Document;
use crate::finding::{Applicability, Edit, Finding, Fix, Span};
use crate::fix;
use crate::host::{Host, MemoHost, Os};
use crate::paths;
use crate::registry::{self, RuleFilter, Severity};
use crate::rules::{self, Ctx};
use std::collections::HashMap;

/// Larger files are not analysed: no client config is anywhere near this.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub dialect: Option<Dialect>,
    pub target_os: Option<Os>,
    pub env_mode: EnvMode,
    pub filter: RuleFilter,
}

#[derive(Clone, Debug)]
pub struct Analysis {
    pub config: Config,
    pub findings: Vec<Finding>,
    pub target_os: Os,
}

pub fn analyze(text: &str, path: Option<&str>, opts: &Options, host: &dyn Host) -> Analysis {
    analyze_beside(text, path, opts, host, |_| ()).0
}

/// A file this big is worth a thread for `beside` (starting one costs about
/// as much as the whole analysis of a small file).
const BESIDE_APART: usize = 1 << 20;

/// `analyze`, and `beside` run on the file's model while the rules run: on
/// another core for a big file, after them for a small one. The command
/// line works out there what it needs to show the findings (the line index,
/// the secrets to mask), which on a big file then costs no time.
pub fn analyze_beside<R: Send>(
    text: &str,
    path: Option<&str>,
    opts: &Options,
    host: &dyn Host,
    beside: impl FnOnce(&Config) -> R + Send,
) -> (Analysis, R) {
    // Rules ask the host the same questions for server after server.
    let memo = MemoHost::new(host);
    let host: &dyn Host = &memo;
    if text.len() > MAX_BYTES {
        let dialect = opts
            .dialect
            .or_else(|| path.and_then(Dialect::from_path))
            .unwrap_or(Dialect::Generic);
        let config = Config::build(dialect, DialectSource::Override, None, Vec::new());
        let aside = beside(&config);
        let f = Finding::new(
            &registry::SYNTAX,
            Span::new(0, 0),
            format!(
                "file too large to analyse ({:.1} MB; the limit is {} MB): no MCP client config is this large, is this the right file?",
                text.len() as f64 / 1e6,
                MAX_BYTES / (1024 * 1024)
            ),
        );
        let analysis = Analysis {
            config,
            findings: vec![f],
            target_os: opts.target_os.unwrap_or(host.os()),
        };
        return (analysis, aside);
    }
    let format = Format::of_path(path);
    let known = if let Some(d) = opts.dialect {
        Some((d, DialectSource::Override))
    } else if let Some(d) = Dialect::from_directive(text) {
        Some((d, DialectSource::Directive))
    } else {
        path.and_then(Dialect::from_path)
            .map(|d| (d, DialectSource::Path))
    };
    // Knowing the client first lets the reader skip what none of its rules read.
    let skip = known.and_then(|(d, _)| d.skip(path));
    let parsed = read(text, format, skip.as_ref());
    let (dialect, source) = known.unwrap_or_else(|| {
        let keys = parsed
            .root
            .iter()
            .flat_map(|r| r.members().iter().map(|m| m.key.as_str()));
        (Dialect::from_top_level_keys(keys), DialectSource::Content)
    });
    let mut config = Config::build(dialect, source, parsed.root, parsed.issues);
    config.format = format;
    config.comments = parsed.comments;
    let target_os = opts
        .target_os
        .unwrap_or_else(|| detect_target_os(path, &config, host));
    let ctx = Ctx {
        text,
        config: &config,
        env: ClientEnv::new(host, config.dialect, target_os, opts.env_mode, path),
    };
    // An entry with a hard syntax error in it is half-typed: what rules say about it is noise.
    let invalid: Vec<usize> = config
        .syntax
        .iter()
        .filter(|i| i.kind == IssueKind::Invalid)
        .map(|i| i.span.start)
        .collect();
    let broken: Vec<&str> = if invalid.is_empty() {
        Vec::new()
    } else {
        config
            .servers
            .iter()
            .filter(|s| invalid.iter().any(|&at| s.span().contains(at)))
            .map(|s| s.name.as_str())
            .collect()
    };
    let (found, aside) = if text.len() >= BESIDE_APART {
        std::thread::scope(|s| {
            let aside = s.spawn(|| beside(&config));
            let found = rules::run(&ctx);
            match aside.join() {
                Ok(aside) => (found, aside),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    } else {
        (rules::run(&ctx), beside(&config))
    };
    let mut findings: Vec<Finding> = found
        .into_iter()
        .filter(|f| opts.filter.allows(f.rule.code))
        .filter(|f| {
            f.rule.family() == "syntax" || f.server.as_deref().is_none_or(|s| !broken.contains(&s))
        })
        .collect();
    findings.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.severity.cmp(&a.severity))
    });
    let analysis = Analysis {
        config,
        findings,
        target_os,
    };
    (analysis, aside)
}

/// A safe fix that `fix_all` applied, or left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixReport {
    /// 1-based line of its finding, in the text as it was at that round.
    pub line: usize,
    pub code: &'static str,
    pub title: String,
    /// Left alone: the codes it would have raised (empty when applied).
    pub would_raise: Vec<&'static str>,
}

/// What `fix_all` did: the new text, the fixes applied, the fixes refused.
#[derive(Clone, Debug, Default)]
pub struct FixOutcome {
    pub text: String,
    pub applied: Vec<FixReport>,
    pub refused: Vec<FixReport>,
}

/// Applies every safe fix, in rounds (one fix can enable another), but none
/// whose result raises a new warning or error on this machine: expanding `~`
/// into a path that does not exist here, say, would trade one finding for
/// another. A fix is judged with the others of its round; when the round
/// raises something, the fixes of the entries that gained it are refused
/// (all of the round's, when the file itself gained it) and the rest retried.
pub fn fix_all(text: &str, path: Option<&str>, opts: &Options, host: &dyn Host) -> FixOutcome {
    let mut out = FixOutcome {
        text: text.to_string(),
        ..FixOutcome::default()
    };
    let mut refused_entries: Vec<Option<String>> = Vec::new();
    for _ in 0..8 {
        let doc = Document::new(out.text.clone(), 0);
        let text = doc.text();
        let before = analyze(text, path, opts, host);
        let report = |f: &Finding, title: &str, would_raise: Vec<&'static str>| FixReport {
            line: doc.line_col(f.span.start).0,
            code: f.rule.code,
            title: title.to_string(),
            would_raise,
        };
        // One safe fix per finding, none overlapping another.
        let mut candidates: Vec<(&Finding, &Fix)> = Vec::new();
        let mut taken: Vec<&Edit> = Vec::new();
        for f in &before.findings {
            let Some(x) = f
                .fixes
                .iter()
                .find(|x| x.applicability == Applicability::Safe)
            else {
                continue;
            };
            let clashes = x
                .edits
                .iter()
                .any(|e| taken.iter().any(|t| fix::overlap(e, t)));
            if clashes || refused_entries.contains(&f.server) {
                continue;
            }
            taken.extend(&x.edits);
            candidates.push((f, x));
        }
        let fixed = loop {
            if candidates.is_empty() {
                break None;
            }
            let edits: Vec<Edit> = candidates
                .iter()
                .flat_map(|c| c.1.edits.iter().cloned())
                .collect();
            let Ok(trial) = fix::apply(text, &edits) else {
                break None;
            };
            let worse = new_problems(
                &before.findings,
                &analyze(&trial, path, opts, host).findings,
            );
            if worse.is_empty() {
                break Some(trial);
            }
            let file_wide = worse.iter().any(|(server, _)| server.is_none());
            let (kept, dropped): (Vec<_>, Vec<_>) = candidates.into_iter().partition(|(f, _)| {
                !file_wide && !worse.iter().any(|(server, _)| *server == f.server)
            });
            for (f, x) in &dropped {
                let raised = worse
                    .iter()
                    .filter(|(server, _)| file_wide || *server == f.server)
                    .map(|(_, code)| *code)
                    .collect();
                out.refused.push(report(f, &x.title, raised));
                refused_entries.push(f.server.clone());
            }
            candidates = kept;
        };
        let Some(fixed) = fixed.filter(|t| *t != text) else {
            break;
        };
        out.applied.extend(
            candidates
                .iter()
                .map(|(f, x)| report(f, &x.title, Vec::new())),
        );
        out.text = fixed;
    }
    out
}

/// The (entry, code) pairs (entry `None`: the file itself) with more warnings
/// or errors after than before.
fn new_problems(before: &[Finding], after: &[Finding]) -> Vec<(Option<String>, &'static str)> {
    fn tally(fs: &[Finding]) -> HashMap<(Option<&str>, &'static str), usize> {
        let mut counts = HashMap::new();
        for f in fs.iter().filter(|f| f.severity >= Severity::Warning) {
            *counts
                .entry((f.server.as_deref(), f.rule.code))
                .or_default() += 1;
        }
        counts
    }
    let (was, is) = (tally(before), tally(after));
    let mut worse: Vec<(Option<String>, &'static str)> = is
        .iter()
        .filter(|(key, n)| was.get(*key).is_none_or(|m| m < *n))
        .map(|((server, code), _)| (server.map(str::to_string), *code))
        .collect();
    worse.sort();
    worse
}

/// The OS we run on, unless the file is evidently a Windows one (under
/// `AppData`, drive-letter paths in its commands, arguments or `env` values,
/// commands named `*.exe`, `*.cmd`, `*.bat`, `*.ps1`, or `wsl`, `cmd` and
/// `powershell` as commands: programs only Windows has; `pwsh` runs
/// everywhere). The last three do not count for a file that is itself under
/// `/home/...` or `/Users/...`: that file is read on macOS or Linux, and its
/// `cmd /c` is `windows/cmd-on-unix`.
fn detect_target_os(path: Option<&str>, config: &Config, host: &dyn Host) -> Os {
    if path.is_some_and(|p| p.contains("AppData") || paths::is_drive_absolute(p)) {
        return Os::Windows;
    }
    let file_on_unix = path.is_some_and(|p| paths::only_on(p) == Some(paths::PathOs::Unix));
    let in_config = config.servers.iter().any(|s| {
        s.command().is_some_and(|c| {
            paths::is_drive_absolute(c.value)
                || paths::has_windows_program_extension(c.value.trim())
                || (!file_on_unix
                    && matches!(
                        paths::program_name(c.value.trim()).as_str(),
                        "wsl" | "cmd" | "powershell"
                    ))
        }) || s.args().iter().any(|a| paths::is_drive_absolute(a.value))
            || s.env()
                .iter()
                .any(|m| m.value.as_str().is_some_and(paths::is_drive_absolute))
    });
    if in_config { Os::Windows } else { host.os() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::FakeHost;

    /// What runs beside the rules sees the model the analysis returns, on
    /// a big file (another core) as on a small one, and changes nothing.
    #[test]
    fn beside_sees_the_model_and_the_findings_stay_the_same() {
        let host = FakeHost::linux();
        let opts = Options::default();
        for padding in [0, BESIDE_APART] {
            let text = format!(
                "{{\"mcpServers\": {{\"a\": {{\"command\": \"zz-missing\"}}, \"b\": {{\"url\": \"https://x.example\"}}}}, \"pad\": \"{}\"}}",
                "x".repeat(padding)
            );
            let path = Some("/p/.cursor/mcp.json");
            let (a, names) = analyze_beside(&text, path, &opts, &host, |config| {
                config
                    .servers
                    .iter()
                    .map(|s| s.name.clone())
                    .collect::<Vec<_>>()
            });
            assert_eq!(names, ["a", "b"]);
            let alone = analyze(&text, path, &opts, &host);
            let codes = |a: &Analysis| {
                a.findings
                    .iter()
                    .map(|f| (f.code(), f.span))
                    .collect::<Vec<_>>()
            };
            assert_eq!(codes(&a), codes(&alone));
            assert!(codes(&a).iter().any(|(c, _)| *c == "command/not-found"));
        }
    }
}
