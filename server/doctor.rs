//! `doctor`'s judgement, kept pure: the order of the troubleshooting decision
//! tree and a status per server. Gathering (files, launches) and printing live
//! in `cli/doctor.rs`.

use crate::finding::Finding;
use crate::registry::Severity;

/// Where a finding's question sits in the decision tree a troubleshooting
/// guide walks through: is the JSON valid, is the entry well-formed, is the
/// command found, does it start, does it speak MCP on stdout, is the URL the
/// endpoint, is auth needed, are its settings filled in.
pub fn rank(code: &str) -> u8 {
    let family = code.split('/').next().unwrap_or(code);
    match (family, code) {
        ("syntax", _) => 0,
        ("schema", _) => 1,
        ("command" | "args" | "windows", _)
        | (_, "launch/not-found" | "launch/permission-denied") => 2,
        (_, "launch/exited" | "launch/killed" | "launch/timeout") => 3,
        (_, "launch/stdout-pollution" | "launch/protocol-error" | "launch/version-mismatch") => 4,
        ("url", _)
        | (
            _,
            "launch/connection-refused"
            | "launch/dns"
            | "launch/tls"
            | "launch/http-status"
            | "launch/html-response",
        ) => 5,
        ("headers", _) | (_, "launch/unauthorized") => 6,
        ("env", _) => 7,
        ("secret", _) => 8,
        _ => 9,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warning,
    Error,
}

impl Status {
    pub fn of(findings: &[Finding]) -> Status {
        match findings.iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Status::Error,
            Some(Severity::Warning) => Status::Warning,
            _ => Status::Ok,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Status::Ok => "✓",
            Status::Warning => "⚠",
            Status::Error => "✗",
        }
    }
}

/// Sort findings into decision-tree order (stable within a step).
pub fn order(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (rank(f.code()), f.span.start));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_tree_order() {
        let codes = [
            "secret/plaintext",
            "env/placeholder-value",
            "launch/unauthorized",
            "url/missing-mcp-path",
            "launch/stdout-pollution",
            "launch/exited",
            "command/not-found",
            "schema/unknown-key",
            "syntax",
        ];
        let mut ranked: Vec<&str> = codes.to_vec();
        ranked.sort_by_key(|c| rank(c));
        assert_eq!(ranked, codes.iter().rev().copied().collect::<Vec<_>>());
    }
}
