//! A launch report as a finding on the server's entry, for the editor and the CLI.

use super::LaunchReport;
use crate::finding::{Finding, Span};
use crate::registry::{LAUNCH_OK, Severity};

/// The report's diagnosis on `span` (the server's name), with its evidence as
/// related notes at the same place. A successful launch that saw stdout
/// pollution is still `launch/ok`, raised to a warning.
pub fn finding(report: &LaunchReport, server: &str, span: Span) -> Finding {
    let rule = report.diagnosis.code;
    let mut f = Finding::new(rule, span, report.diagnosis.message.clone()).with_server(server);
    if *rule == LAUNCH_OK && !report.diagnosis.evidence.is_empty() {
        f.severity = Severity::Warning;
    }
    for e in &report.diagnosis.evidence {
        f = f.with_related(span, e.clone());
    }
    f
}

/// The short summary a code lens shows: `✓ 12 tools · 340 ms` or `✗ exited 1`.
pub fn summary(report: &LaunchReport) -> String {
    if *report.diagnosis.code == LAUNCH_OK {
        let tools = report.tools.as_ref().map_or(0, |t| t.count);
        let warn = if report.diagnosis.evidence.is_empty() {
            "✓"
        } else {
            "⚠"
        };
        return format!("{warn} {tools} tools · {} ms", report.duration_ms);
    }
    let first_line = report.diagnosis.message.lines().next().unwrap_or("");
    let short: String = first_line.chars().take(60).collect();
    let ellipsis = if first_line.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    format!("✗ {short}{ellipsis}")
}
