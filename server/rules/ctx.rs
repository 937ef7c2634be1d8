//! What every rule family is given (`Ctx`) and how it records a finding
//! (`report`).
//!
//! This file sits below the families, which import it; `rules/mod.rs` only
//! calls the families, so no family imports the orchestrator that calls it.
//! It may import the core (`config`, `dialect`, `finding`, `registry`,
//! `client_env`) and nothing under `rules/`.

use crate::client_env::ClientEnv;
use crate::config::{Config, Server};
use crate::dialect::DialectSpec;
use crate::finding::{Finding, Span};
use crate::host::Host;
use crate::registry::Severity;

/// Everything a rule may look at.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub config: &'a Config,
    /// The client's world (host, target OS, environment mode, the file's
    /// path), built once per analysis: every family asks it the same
    /// questions about PATH, variables and references.
    pub env: ClientEnv<'a>,
}

impl<'a> Ctx<'a> {
    pub fn spec(&self) -> &'static DialectSpec {
        self.config.dialect.spec()
    }

    /// What rules may ask of the machine (through the analysis' memo).
    pub fn host(&self) -> &'a dyn Host {
        self.env.host
    }

    /// The target is another OS than ours: our file system says nothing about the client's.
    pub fn foreign(&self) -> bool {
        self.env.foreign()
    }

    /// The source text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// Record a finding about `server`. A disabled server is still wrong, but it
/// breaks nothing until it is enabled: its findings are downgraded to
/// information and say so.
pub fn report(out: &mut Vec<Finding>, server: &Server, mut f: Finding) {
    if server.is_disabled() && f.severity > Severity::Information {
        f.severity = Severity::Information;
        f.message.push_str(&format!(
            " (`{}` is disabled: this matters once you enable it)",
            server.name
        ));
    }
    out.push(f.with_server(&server.name));
}
