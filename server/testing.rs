//! Test helpers for rules: analyse a fixture as a given file, compare findings
//! by code and the exact text they point at, apply a fix and re-check.

use crate::analysis::{Analysis, Options, analyze};
use crate::host::{FakeHost, Host};

pub fn analyze_with(path: &str, text: &str, host: &dyn Host, opts: &Options) -> Analysis {
    analyze(text, Some(path), opts, host)
}

fn render(text: &str, a: &Analysis) -> Vec<(String, String)> {
    a.findings
        .iter()
        .map(|f| {
            (
                f.code().to_string(),
                text.get(f.span.start..f.span.end)
                    .unwrap_or("<bad span>")
                    .to_string(),
            )
        })
        .collect()
}

/// Assert exactly these findings `(code, text under the finding)` on a Linux host.
#[track_caller]
pub fn check(path: &str, text: &str, expected: &[(&str, &str)]) {
    check_on(
        path,
        text,
        &FakeHost::linux(),
        &Options::default(),
        expected,
    );
}

#[track_caller]
pub fn check_on(
    path: &str,
    text: &str,
    host: &dyn Host,
    opts: &Options,
    expected: &[(&str, &str)],
) {
    let a = analyze_with(path, text, host, opts);
    let mut actual = render(text, &a);
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(c, s)| (c.to_string(), s.to_string()))
        .collect();
    actual.sort();
    want.sort();
    if actual != want {
        let details: Vec<String> = a
            .findings
            .iter()
            .map(|f| {
                format!(
                    "  {} @{}..{}: {}",
                    f.code(),
                    f.span.start,
                    f.span.end,
                    f.message
                )
            })
            .collect();
        panic!(
            "findings differ for {path}\n  expected: {want:?}\n  actual:   {actual:?}\n{}",
            details.join("\n")
        );
    }
}

/// Assert that no finding has `code`, on a Linux host.
#[track_caller]
pub fn quiet(path: &str, text: &str, code: &str) {
    quiet_on(path, text, &FakeHost::linux(), &Options::default(), code);
}

/// Assert that no finding has `code`.
#[track_caller]
pub fn quiet_on(path: &str, text: &str, host: &dyn Host, opts: &Options, code: &str) {
    let a = analyze_with(path, text, host, opts);
    let found: Vec<String> = a
        .findings
        .iter()
        .filter(|f| f.code() == code)
        .map(|f| format!("  @{}..{}: {}", f.span.start, f.span.end, f.message))
        .collect();
    if !found.is_empty() {
        panic!(
            "{code} for {path}, expected none\n{}\n  in: {text}",
            found.join("\n")
        );
    }
}

/// Apply the fix titled `title` of the first `code` finding; assert the result
/// and that re-analysis no longer reports it there and adds no new error.
#[track_caller]
pub fn check_fix(path: &str, text: &str, code: &str, title: &str, expected: &str) {
    check_fix_on(
        path,
        text,
        &FakeHost::linux(),
        &Options::default(),
        code,
        title,
        expected,
    );
}

#[track_caller]
pub fn check_fix_on(
    path: &str,
    text: &str,
    host: &dyn Host,
    opts: &Options,
    code: &str,
    title: &str,
    expected: &str,
) {
    let before = analyze_with(path, text, host, opts);
    let finding = before
        .findings
        .iter()
        .find(|f| f.code() == code)
        .unwrap_or_else(|| panic!("no {code} finding in {:?}", render(text, &before)));
    let fix = finding
        .fixes
        .iter()
        .find(|f| f.title == title)
        .unwrap_or_else(|| {
            panic!(
                "no fix {title:?}; fixes: {:?}",
                finding.fixes.iter().map(|f| &f.title).collect::<Vec<_>>()
            )
        });
    let fixed = crate::fix::apply(text, &fix.edits).expect("fix applies");
    assert_eq!(fixed, expected, "fixed text");
    let after = analyze_with(path, &fixed, host, opts);
    let count = |a: &Analysis, c: &str| a.findings.iter().filter(|f| f.code() == c).count();
    assert!(
        count(&after, code) < count(&before, code),
        "{code} still reported after the fix: {:?}",
        render(&fixed, &after)
    );
    let errors = |a: &Analysis| {
        let mut v: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.severity == crate::registry::Severity::Error)
            .map(|f| f.code())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    for e in errors(&after) {
        assert!(
            errors(&before).contains(&e),
            "the fix introduced a new error {e}: {:?}",
            render(&fixed, &after)
        );
    }
}

/// Whether `text` is strict JSON by the grammar (RFC 8259), as the referee
/// of our parsers. serde_json reads it without building values: as a `Value`
/// it would also refuse numbers beyond f64 (`1.2E+725`), which are JSON and
/// which the clients' `JSON.parse` reads as `Infinity`.
pub fn strict_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}
