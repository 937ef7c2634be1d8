//! The crate builds for Windows: every use of `std::os::unix`, `nix::`,
//! `libc::` or `/proc` in `server/`, `tests/` and `benches/` sits in Unix-only
//! code, that is inside an item or block under `#[cfg(unix)]` (or a
//! `target_os` of a Unix, or `all(...)`/`any(...)` that implies one), or in
//! a file that is Unix-only as a whole (`#![cfg(unix)]`, or declared by a
//! `mod` under such a cfg). Written against the source text, since this
//! machine cannot compile for Windows.

use std::path::{Path, PathBuf};

const PATTERNS: &[&str] = &["std::os::unix", "nix::", "libc::", "\"/proc"];
const UNIX_OSES: &[&str] = &[
    "linux",
    "macos",
    "ios",
    "android",
    "freebsd",
    "netbsd",
    "openbsd",
    "dragonfly",
    "solaris",
    "illumos",
];

/// Where `pat` occurs as a path of its own (`nix::`, not the end of `unix::`).
fn occurrences<'a>(src: &'a str, pat: &'a str) -> impl Iterator<Item = usize> + 'a {
    src.match_indices(pat).map(|(at, _)| at).filter(move |at| {
        *at == 0 || {
            let c = src.as_bytes()[at - 1];
            !(c.is_ascii_alphanumeric() || c == b'_')
        }
    })
}

/// What each byte of a source is: code, or inside a string, char or comment.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Code,
    Text,
    Comment,
}

fn kinds(src: &str) -> Vec<Kind> {
    let b = src.as_bytes();
    let mut k = vec![Kind::Code; b.len()];
    let mut i = 0;
    let mark = |k: &mut Vec<Kind>, from: usize, to: usize, kind| {
        k[from..to.min(b.len())].fill(kind);
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |e| i + e);
                mark(&mut k, i, end, Kind::Comment);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                mark(&mut k, i, end, Kind::Comment);
                i = end;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let start = i + 2 + hashes;
                let end = src[start..]
                    .find(&close)
                    .map_or(b.len(), |e| start + e + close.len());
                mark(&mut k, i, end, Kind::Text);
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                mark(&mut k, i, j + 1, Kind::Text);
                i = j + 1;
            }
            b'\'' => {
                // A char literal ('{', '\'', '\u{7f}'), not a lifetime.
                let end = if b.get(i + 1) == Some(&b'\\') {
                    src[i + 2..].find('\'').map(|e| i + 2 + e + 1)
                } else {
                    src[i + 1..]
                        .chars()
                        .next()
                        .map(|c| i + 1 + c.len_utf8())
                        .filter(|e| b.get(*e) == Some(&b'\''))
                        .map(|e| e + 1)
                };
                match end {
                    Some(end) => {
                        mark(&mut k, i, end, Kind::Text);
                        i = end;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    k
}

/// Does a cfg predicate hold only on Unix?
fn unix_only(pred: &str) -> bool {
    let pred = pred.trim();
    if pred == "unix" || pred.replace(' ', "") == "target_family=\"unix\"" {
        return true;
    }
    if let Some(os) = pred.strip_prefix("target_os") {
        let os = os.trim().trim_start_matches('=').trim().trim_matches('"');
        return UNIX_OSES.contains(&os);
    }
    let args = |name: &str| {
        pred.strip_prefix(name)
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
            .map(split_top)
    };
    if let Some(parts) = args("all") {
        return parts.iter().any(|p| unix_only(p));
    }
    if let Some(parts) = args("any") {
        return !parts.is_empty() && parts.iter().all(|p| unix_only(p));
    }
    false
}

fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth) = (Vec::new(), String::new(), 0);
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        parts.push(cur);
    }
    parts
}

/// Byte ranges of the items (or blocks, or statements) under a Unix-only
/// `#[cfg]`, and whether the file is Unix-only as a whole (`#![cfg]`).
fn unix_spans(src: &str, kind: &[Kind]) -> (Vec<(usize, usize)>, bool) {
    let b = src.as_bytes();
    let mut spans = Vec::new();
    let mut whole = false;
    let mut from = 0;
    while let Some(at) = ["#[cfg(", "#![cfg("]
        .iter()
        .filter_map(|n| src[from..].find(n))
        .min()
    {
        let at = from + at;
        from = at + 1;
        if kind[at] != Kind::Code {
            continue;
        }
        let open = at + src[at..].find('(').unwrap();
        let mut depth = 0;
        let mut close = open;
        for (j, c) in src[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                close = open + j;
                break;
            }
        }
        if !unix_only(&src[open + 1..close]) {
            continue;
        }
        if src[at..].starts_with("#![") {
            whole = true;
            continue;
        }
        // The item ends at its first `;` outside braces, or at the `}`
        // that closes its first `{`.
        let mut depth = 0usize;
        let mut j = close;
        while j < b.len() {
            if kind[j] == Kind::Code {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b';' if depth == 0 => break,
                    _ => {}
                }
            }
            j += 1;
        }
        spans.push((at, j));
    }
    (spans, whole)
}

struct File {
    path: PathBuf,
    src: String,
    kind: Vec<Kind>,
    spans: Vec<(usize, usize)>,
    whole: bool,
}

impl File {
    fn covered(&self, at: usize) -> bool {
        self.spans.iter().any(|(a, b)| (*a..=*b).contains(&at))
    }

    /// The offsets of `mod name;` declarations in this file.
    fn declarations(&self, name: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let needle = format!("mod {name};");
        let mut from = 0;
        while let Some(at) = self.src[from..].find(&needle) {
            let at = from + at;
            from = at + 1;
            let boundary = at == 0 || !self.src.as_bytes()[at - 1].is_ascii_alphanumeric();
            if boundary && self.kind[at] == Kind::Code {
                out.push(at);
            }
        }
        out
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Is the file Unix-only: by its own `#![cfg]`, or because every `mod`
/// that declares it is under a Unix-only cfg or in a Unix-only file?
fn unix_file(files: &[File], i: usize, depth: usize) -> bool {
    let f = &files[i];
    if f.whole {
        return true;
    }
    if depth > 16 {
        return false;
    }
    let (dir, name) = if f.path.file_name().is_some_and(|n| n == "mod.rs") {
        let d = f.path.parent().unwrap();
        (d.parent().unwrap(), d.file_name().unwrap())
    } else {
        (f.path.parent().unwrap(), f.path.file_stem().unwrap())
    };
    let name = name.to_string_lossy();
    let mut declared = false;
    for (j, p) in files.iter().enumerate() {
        if j == i || p.path.parent() != Some(dir) && p.path != dir.with_extension("rs") {
            continue;
        }
        for at in p.declarations(&name) {
            declared = true;
            if !(p.covered(at) || unix_file(files, j, depth + 1)) {
                return false;
            }
        }
    }
    declared
}

#[test]
fn unix_apis_are_used_in_unix_only_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["server", "tests", "benches"] {
        rust_files(&root.join(dir), &mut paths);
    }
    let this = Path::new(file!()).file_name().unwrap();
    let files: Vec<File> = paths
        .into_iter()
        .map(|path| {
            let src = std::fs::read_to_string(&path).unwrap();
            let kind = kinds(&src);
            let (spans, whole) = unix_spans(&src, &kind);
            File {
                path,
                src,
                kind,
                spans,
                whole,
            }
        })
        .collect();
    let mut bad = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if f.path.file_name() == Some(this) {
            continue;
        }
        let mut unix = None;
        for pat in PATTERNS {
            for at in occurrences(&f.src, pat) {
                if f.kind[at] == Kind::Comment || f.covered(at) {
                    continue;
                }
                if *unix.get_or_insert_with(|| unix_file(&files, i, 0)) {
                    continue;
                }
                let line = f.src[..at].lines().count().max(1);
                let rel = f.path.strip_prefix(root).unwrap_or(&f.path);
                bad.push(format!("{}:{line}: {pat}", rel.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "Unix-only APIs outside #[cfg(unix)] code (the crate would not build for Windows):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checker_sees_what_it_should() {
    let src = r#"
use std::os::unix::fs::PermissionsExt;
#[cfg(unix)]
use nix::unistd::Pid;
#[cfg(all(test, target_os = "linux"))]
fn f() { let s = "}"; let c = '{'; std::fs::read("/proc/self/stat"); }
#[cfg(windows)]
fn g() { libc::getpid(); }
#[cfg(any(target_os = "macos", windows))]
fn h() { libc::getpid(); }
// nix::sys in a comment
fn k() { std::fs::read("/proc/loadavg"); }
"#;
    let kind = kinds(src);
    let (spans, whole) = unix_spans(src, &kind);
    assert!(!whole);
    let uncovered: Vec<usize> = PATTERNS
        .iter()
        .flat_map(|p| occurrences(src, p))
        .filter(|at| {
            kind[*at] != Kind::Comment && !spans.iter().any(|(a, b)| (*a..=*b).contains(at))
        })
        .map(|at| src[..at].lines().count())
        .collect();
    let mut lines = uncovered;
    lines.sort();
    assert_eq!(lines, [2, 8, 10, 12]);
    assert!(unix_only("unix"));
    assert!(unix_only("target_os = \"macos\""));
    assert!(unix_only("all(test, unix)"));
    assert!(!unix_only("any(unix, windows)"));
    assert!(!unix_only("not(windows)"));
    assert!(
        unix_spans(
            "#![cfg(unix)]\nfn a() {}",
            &kinds("#![cfg(unix)]\nfn a() {}")
        )
        .1
    );
}
