//! Rules: pure functions of the model and a `Host`, one file per family.

pub mod registry;
pub mod structure;
pub mod syntax;

use crate::config::Config;
use crate::dialect::DialectSpec;
use crate::finding::Finding;
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

/// Every family, in the order a troubleshooting guide asks its questions.
const FAMILIES: &[RuleFn] = &[syntax::check, structure::check];

pub fn run(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for family in FAMILIES {
        family(ctx, &mut out);
    }
    out
}
