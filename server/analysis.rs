//! The one entry point of analysis: text in, model and findings out. Pure but
//! for what the `Host` answers.

use crate::client_env::{ClientEnv, EnvMode};
use crate::config::{Config, DialectSource, IssueKind, parse};
use crate::dialect::Dialect;
use crate::finding::{Finding, Span};
use crate::host::{Host, MemoHost, Os};
use crate::paths;
use crate::registry::{self, RuleFilter};
use crate::rules::{self, Ctx};

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
    // Rules ask the host the same questions for server after server.
    let memo = MemoHost::new(host);
    let host: &dyn Host = &memo;
    if text.len() > MAX_BYTES {
        let dialect = opts
            .dialect
            .or_else(|| path.and_then(Dialect::from_path))
            .unwrap_or(Dialect::Generic);
        let config = Config::build(dialect, DialectSource::Override, None, Vec::new());
        let f = Finding::new(
            &registry::SYNTAX,
            Span::new(0, 0),
            format!(
                "file too large to analyse ({:.1} MB; the limit is {} MB): no MCP client config is this large, is this the right file?",
                text.len() as f64 / 1e6,
                MAX_BYTES / (1024 * 1024)
            ),
        );
        return Analysis {
            config,
            findings: vec![f],
            target_os: opts.target_os.unwrap_or(host.os()),
        };
    }
    let parsed = parse(text);
    let (dialect, source) = if let Some(d) = opts.dialect {
        (d, DialectSource::Override)
    } else if let Some(d) = Dialect::from_directive(text) {
        (d, DialectSource::Directive)
    } else if let Some(d) = path.and_then(Dialect::from_path) {
        (d, DialectSource::Path)
    } else {
        let keys = parsed
            .root
            .iter()
            .flat_map(|r| r.members().iter().map(|m| m.key.as_str()));
        (Dialect::from_top_level_keys(keys), DialectSource::Content)
    };
    let config = Config::build(dialect, source, parsed.root, parsed.issues);
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
    let mut findings: Vec<Finding> = rules::run(&ctx)
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
    Analysis {
        config,
        findings,
        target_os,
    }
}

/// The OS we run on, unless the file is evidently a Windows one (under
/// `AppData`, drive-letter paths in its commands or arguments, or commands
/// named `*.exe`, `*.cmd`, `*.bat`, `*.ps1`).
fn detect_target_os(path: Option<&str>, config: &Config, host: &dyn Host) -> Os {
    if path.is_some_and(|p| p.contains("AppData") || paths::is_drive_absolute(p)) {
        return Os::Windows;
    }
    let in_config = config.servers.iter().any(|s| {
        s.command().is_some_and(|c| {
            paths::is_drive_absolute(c.value)
                || paths::has_windows_program_extension(c.value.trim())
        }) || s.args().iter().any(|a| paths::is_drive_absolute(a.value))
    });
    if in_config { Os::Windows } else { host.os() }
}
