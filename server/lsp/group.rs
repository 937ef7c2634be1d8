//! The same problem at many places, shown as one diagnostic.
//!
//! A generated config with thousands of servers can have one problem, in the
//! same words, at a thousand places (`uvx` is not on the PATH, in every entry
//! that runs it): in an editor's Problems panel that is a thousand identical
//! rows, and a thousand diagnostics to convert and send on every keystroke.
//! So findings of one document with the same code, severity and message that
//! carry no fix, found at [`GROUP_AT`] places or more, are shown as ONE
//! diagnostic at the first of those places (in document order). Its related
//! information lists every other place ("the same problem, in server
//! `time-2`"), after the finding's own, and its message ends with how many
//! other places there are. The CLI reports every place: this is presentation.
//!
//! Never grouped:
//! - a finding with a fix: a quick fix comes from the `data` of the
//!   diagnostic the client sends back with its code-action request, so a place
//!   without a diagnostic of its own would have no quick fix;
//! - anything, for a client that did not declare `relatedInformation`: it
//!   would not show the other places, so each keeps its own diagnostic.
//!
//! A place without a diagnostic of its own has no squiggle and no "Disable
//! rule" action under the cursor: both are at the first place.

use super::convert;
use crate::document::Document;
use crate::finding::Finding;
use crate::registry::Severity;
use std::collections::HashMap;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticRelatedInformation, Location, Uri};

/// Places of one problem from which they are shown as one diagnostic. With a
/// few, a squiggle at each place reads better than a list to follow (and
/// every place keeps its "Disable rule" action); from five on, the rows of
/// the same words crowd out the problems that differ.
pub const GROUP_AT: usize = 5;

/// The diagnostics of `findings` (as `Snapshot::findings` gives them), the
/// same problem at [`GROUP_AT`] or more places grouped when the client shows
/// related information.
pub fn diagnostics(
    uri: &Uri,
    doc: &Document,
    findings: &[&Finding],
    related_information: bool,
) -> Vec<Diagnostic> {
    let one = |f: &Finding| convert::diagnostic(uri, doc, f, related_information);
    if !related_information {
        return findings.iter().map(|f| one(f)).collect();
    }
    let groups = groups(findings);
    if groups.is_empty() {
        return findings.iter().map(|f| one(f)).collect();
    }
    // What each finding is: alone, the first place of group `g`, or one of
    // the other places of a group (shown in its first place's diagnostic).
    #[derive(Clone, Copy)]
    enum Role {
        Alone,
        Leads(usize),
        Follows,
    }
    let mut role = vec![Role::Alone; findings.len()];
    for (g, members) in groups.iter().enumerate() {
        role[members[0]] = Role::Leads(g);
        for &i in &members[1..] {
            role[i] = Role::Follows;
        }
    }
    findings
        .iter()
        .zip(role)
        .filter_map(|(f, role)| match role {
            Role::Alone => Some(one(f)),
            Role::Leads(g) => {
                let others: Vec<&Finding> = groups[g][1..].iter().map(|&i| findings[i]).collect();
                Some(grouped(uri, doc, f, &others))
            }
            Role::Follows => None,
        })
        .collect()
}

/// The groups among `findings`: indices of the places of one problem, at
/// least [`GROUP_AT`] of them, in document order.
fn groups(findings: &[&Finding]) -> Vec<Vec<usize>> {
    let mut by_problem: HashMap<(&str, Severity, &str), Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if f.fixes.is_empty() {
            by_problem
                .entry((f.rule.code, f.severity, f.message.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = by_problem
        .into_values()
        .filter(|places| places.len() >= GROUP_AT)
        .collect();
    for places in &mut groups {
        places.sort_by_key(|&i| (findings[i].span.start, findings[i].span.end, i));
    }
    groups
}

/// One diagnostic for the problem at `first` and at each of `others`.
fn grouped(uri: &Uri, doc: &Document, first: &Finding, others: &[&Finding]) -> Diagnostic {
    let mut d = convert::diagnostic(uri, doc, first, true);
    let mut related = d.related_information.take().unwrap_or_default();
    related.reserve(others.len());
    for f in others {
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), convert::range(doc, f.span)),
            message: match &f.server {
                Some(name) => format!("the same problem, in server `{name}`"),
                None => "the same problem".to_string(),
            },
        });
        // A place's own related information stays with it.
        related.extend(f.related.iter().map(|r| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), convert::range(doc, r.span)),
            message: r.message.clone(),
        }));
    }
    d.related_information = Some(related);
    d.message.push_str(&format!(
        " (and {} other places in this file: see related information)",
        others.len()
    ));
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Fix, Span};
    use crate::registry;
    use std::str::FromStr;

    fn uri() -> Uri {
        Uri::from_str("file:///p/.cursor/mcp.json").unwrap()
    }

    /// `n` servers on lines of their own, each with a `command` at `at(i)`.
    fn doc(n: usize) -> Document {
        let text: String = (0..n)
            .map(|i| format!("\"s-{i}\": {{\"command\": \"uvx\"}}\n"))
            .collect();
        Document::new(&text, 1)
    }

    fn not_found(doc: &Document, i: usize) -> Finding {
        let line = doc.text().lines().nth(i).unwrap();
        let start = doc.text().find(line).unwrap() + line.find("\"uvx\"").unwrap();
        Finding::new(
            &registry::COMMAND_NOT_FOUND,
            Span::new(start, start + 5),
            "`uvx` is not on the PATH",
        )
        .with_server(format!("s-{i}"))
    }

    #[test]
    fn five_places_are_one_diagnostic_at_the_first_with_the_others_related() {
        let doc = doc(6);
        let findings: Vec<Finding> = (0..6).map(|i| not_found(&doc, i)).collect();
        // Out of document order on purpose: the first place leads all the same.
        let mut refs: Vec<&Finding> = findings.iter().collect();
        refs.reverse();
        let ds = diagnostics(&uri(), &doc, &refs, true);
        assert_eq!(ds.len(), 1);
        let d = &ds[0];
        assert_eq!(d.range, convert::range(&doc, findings[0].span));
        assert!(
            d.message.ends_with(
                "`uvx` is not on the PATH (and 5 other places in this file: see related information)"
            ),
            "{}",
            d.message
        );
        let related = d.related_information.as_ref().unwrap();
        assert_eq!(related.len(), 5);
        for (i, r) in related.iter().enumerate() {
            assert_eq!(r.location.range, convert::range(&doc, findings[i + 1].span));
            assert_eq!(
                r.message,
                format!("the same problem, in server `s-{}`", i + 1)
            );
        }
    }

    #[test]
    fn fewer_places_fixes_and_plain_clients_keep_a_diagnostic_each() {
        let doc = doc(6);
        let findings: Vec<Finding> = (0..6).map(|i| not_found(&doc, i)).collect();
        let refs: Vec<&Finding> = findings.iter().collect();
        assert_eq!(diagnostics(&uri(), &doc, &refs[..4], true).len(), 4);
        assert_eq!(diagnostics(&uri(), &doc, &refs, false).len(), 6);

        let fixed: Vec<Finding> = findings
            .iter()
            .map(|f| {
                f.clone()
                    .with_fix(Fix::safe("Remove", vec![Edit::delete(f.span)]))
            })
            .collect();
        let refs: Vec<&Finding> = fixed.iter().collect();
        let ds = diagnostics(&uri(), &doc, &refs, true);
        assert_eq!(ds.len(), 6);
        assert!(ds.iter().all(|d| d.related_information.is_none()));
    }

    #[test]
    fn other_problems_keep_their_order_and_own_related_information() {
        let doc = doc(7);
        let mut findings: Vec<Finding> = (0..6).map(|i| not_found(&doc, i)).collect();
        // A different message is a different problem.
        findings.insert(
            1,
            Finding::new(&registry::COMMAND_NOT_FOUND, Span::new(0, 1), "other"),
        );
        findings[3] = findings[3]
            .clone()
            .with_related(Span::new(2, 3), "see here");
        let refs: Vec<&Finding> = findings.iter().collect();
        let ds = diagnostics(&uri(), &doc, &refs, true);
        assert_eq!(ds.len(), 2);
        assert!(ds[0].message.contains("(and 5 other places"));
        assert_eq!(ds[1].message, "Other");
        let related = ds[0].related_information.as_ref().unwrap();
        assert_eq!(related.len(), 6);
        assert_eq!(related[2].message, "see here");
        assert_eq!(
            related[2].location.range,
            convert::range(&doc, Span::new(2, 3))
        );
    }
}
