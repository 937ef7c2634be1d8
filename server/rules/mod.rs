//! Rules: pure functions of the model and a `Host`, one file per family.

pub mod args;
pub mod command;
pub mod edit;
pub mod env;
pub mod headers;
pub mod registry;
pub mod secret;
pub mod structure;
pub mod syntax;
pub mod url;
pub mod windows;

use crate::config::{Config, Server};
use crate::dialect::DialectSpec;
use crate::finding::{Finding, Severity};
use crate::host::{Host, Os};

/// How the environment of a stdio server is modelled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EnvMode {
    /// As this client builds it (allow-list, launchd PATH for macOS GUI apps...).
    #[default]
    Client,
    /// Our own environment, for users who start the client from their shell.
    Inherit,
}

/// Everything a rule may look at.
pub struct Ctx<'a> {
    pub text: &'a str,
    /// Where the file lives, when known (resolves `${workspaceFolder}`, `envFile`).
    pub path: Option<&'a str>,
    pub config: &'a Config,
    pub host: &'a dyn Host,
    /// The OS the client runs on.
    pub target_os: Os,
    pub env_mode: EnvMode,
}

impl Ctx<'_> {
    pub fn spec(&self) -> &'static DialectSpec {
        self.config.dialect.spec()
    }

    /// The target is another OS than ours: our file system says nothing about the client's.
    pub fn foreign(&self) -> bool {
        self.target_os != self.host.os()
    }

    /// The source text of a span.
    pub fn slice(&self, span: crate::finding::Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

type RuleFn = fn(&Ctx<'_>, &mut Vec<Finding>);

/// Every family, in the order a troubleshooting guide asks its questions:
/// can the file be read, is it shaped right, can the server be started, can
/// it be reached, does it get its settings, and finally hygiene.
const FAMILIES: &[RuleFn] = &[
    syntax::check,
    structure::check,
    command::check,
    args::check,
    windows::check,
    url::check,
    headers::check,
    env::check,
    secret::check,
];

/// Record a finding about `server`. A disabled server is still wrong, but it
/// breaks nothing until it is enabled: its findings are downgraded to
/// information and say so.
pub(crate) fn report(out: &mut Vec<Finding>, server: &Server, mut f: Finding) {
    if server.is_disabled() && f.severity > Severity::Information {
        f.severity = Severity::Information;
        f.message.push_str(&format!(
            " (`{}` is disabled: this matters once you enable it)",
            server.name
        ));
    }
    out.push(f.with_server(&server.name));
}

pub fn run(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for family in FAMILIES {
        family(ctx, &mut out);
    }
    out
}
