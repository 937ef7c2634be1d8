//! `mcp-config-lsp check`: lint files, print findings, exit 0/1/2.

use super::args::{CheckArgs, Format};
use super::output::{self, FileReport, Output};
use crate::analysis::{MAX_BYTES, Options, analyze_beside, fix_all};
use crate::client_env::EnvMode;
use crate::dialect::Dialect;
use crate::discovery;
use crate::document::{Document, LineIndex};
use crate::host::{Host, RealHost};
use crate::redact;
use crate::registry::RuleFilter;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub fn run(args: &CheckArgs) -> ExitCode {
    let filter = RuleFilter {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let unknown = filter.unknown();
    if !unknown.is_empty() {
        for u in unknown {
            eprintln!("mcp-config-lsp: {u}");
        }
        return ExitCode::from(2);
    }
    let host = RealHost::default();
    let opts = Options {
        dialect: args.dialect,
        target_os: args.target_os.map(Into::into),
        env_mode: if args.inherit_env {
            EnvMode::Inherit
        } else {
            EnvMode::Client
        },
        filter,
    };
    let mut io_failed = false;
    let files = if args.paths.is_empty() {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let found = discovery::existing(&host, &cwd);
        if found.is_empty() {
            eprintln!(
                "mcp-config-lsp: No MCP config files found in the known locations of this machine (run `mcp-config-lsp doctor --verbose` to see where it looked)"
            );
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "Checking {} config file(s) found on this machine:",
            found.len()
        );
        for l in &found {
            eprintln!("  {} ({}, {})", l.path.display(), l.dialect.name(), l.scope);
        }
        found.into_iter().map(|l| l.path).collect()
    } else {
        let mut files = Vec::new();
        for p in &args.paths {
            match expand(p) {
                Ok(mut f) if f.is_empty() => {
                    eprintln!(
                        "mcp-config-lsp: {}: No MCP config files in this directory",
                        p.display()
                    );
                    files.append(&mut f);
                }
                Ok(mut f) => files.append(&mut f),
                Err(e) => {
                    eprintln!("mcp-config-lsp: {}: {e}", p.display());
                    io_failed = true;
                }
            }
        }
        files
    };
    let color = args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let mut output = Output::new(args.format, color);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut started = false;
    // Each file on its own, on every core, checked and rendered there; what
    // they say is written in the files' order as soon as it can be.
    let mut write_failed = false;
    in_order_on_every_core(
        &files,
        |path| {
            check_file(path, &opts, &host, args.fix)
                .map(|(report, said)| (output::part(args.format, &report, color), said))
        },
        |path, result| {
            if write_failed {
                return;
            }
            let (part, said) = match result {
                Ok(checked) => checked,
                Err(e) => {
                    eprintln!("mcp-config-lsp: {}: {e}", path.display());
                    io_failed = true;
                    return;
                }
            };
            for line in said {
                eprintln!("{line}");
            }
            if !started {
                write_failed |= stdout.write_all(output.head().as_bytes()).is_err();
                started = true;
            }
            output.push(part, |s| {
                write_failed |= stdout.write_all(s.as_bytes()).is_err();
            });
        },
    );
    if write_failed {
        return ExitCode::from(2);
    }
    if !started && io_failed {
        return ExitCode::from(2);
    }
    let mut text = if started {
        String::new()
    } else {
        output.head()
    };
    text.push_str(&output.tail());
    if stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    if io_failed {
        ExitCode::from(2)
    } else if output.tally().errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file stays a file; a directory yields the config files inside it,
/// each of its subdirectories walked on its own core (on a big tree the
/// walk is half the time).
fn expand(p: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::metadata(p).map_err(|e| io_message(&e))?;
    if !meta.is_dir() {
        return Ok(vec![p.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut subdirs = Vec::new();
    list(p, 0, &mut out, &mut subdirs);
    in_order_on_every_core(
        &subdirs,
        |dir| {
            let mut found = Vec::new();
            walk(dir, 1, &mut found);
            found
        },
        |_, found| out.extend(found),
    );
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let mut subdirs = Vec::new();
    list(dir, depth, out, &mut subdirs);
    for d in subdirs {
        walk(&d, depth + 1, out);
    }
}

/// The config files directly in `dir` (at `depth` below the path given)
/// go to `out`, the subdirectories worth entering to `subdirs`.
fn list(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, subdirs: &mut Vec<PathBuf>) {
    const SKIP: &[&str] = &[
        "node_modules",
        ".git",
        "target",
        ".venv",
        "venv",
        "__pycache__",
    ];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Ok(ft) = e.file_type() else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        if ft.is_dir() {
            if depth < 6 && !SKIP.contains(&name.as_str()) {
                subdirs.push(path);
            }
        } else if ft.is_file() && Dialect::is_config_path(&path.to_string_lossy()) {
            out.push(path);
        }
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => e.to_string(),
    }
}

/// Read a config file as text, refusing what is not one.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_message(&e))?;
    if meta.is_dir() {
        return Err("Is a directory".into());
    }
    if !meta.is_file() {
        return Err("Not a regular file (a device, FIFO or socket); refusing to read it".into());
    }
    if meta.len() as usize > MAX_BYTES {
        return Err(format!(
            "File too large ({:.1} MB); no MCP config is this large",
            meta.len() as f64 / 1e6
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| io_message(&e))?;
    if memchr::memchr(0, &bytes).is_some() {
        return Err("binary file (contains NUL bytes), not a JSON config".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "Not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// `f` of every item on every core, each result handed to `sink` in the
/// items' order as soon as it and all before it are done. Threads take
/// the next item as they finish one (a large file holds up no one), and
/// stay at most `AHEAD` items ahead of `sink`, so memory is bounded.
fn in_order_on_every_core<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(&T, R),
) {
    const AHEAD: usize = 256;
    // Asked only for two items or more: on Linux it reads the cgroup's CPU
    // quota from files.
    let cores = match items.len() {
        0 | 1 => 1,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    if cores == 1 {
        for item in items {
            sink(item, f(item));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let sunk = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..cores.min(items.len()) {
            let tx = tx.clone();
            let (next, sunk, stop, f) = (&next, &sunk, &stop, &f);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() || stop.load(Ordering::Relaxed) {
                        return;
                    }
                    while i >= sunk.load(Ordering::Acquire) + AHEAD {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        std::thread::yield_now();
                    }
                    let result = std::panic::catch_unwind(AssertUnwindSafe(|| f(&items[i])));
                    if tx.send((i, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut done: HashMap<usize, R> = HashMap::new();
        let mut at = 0;
        for (i, result) in rx {
            match result {
                Ok(r) => done.insert(i, r),
                Err(panic) => {
                    stop.store(true, Ordering::Relaxed);
                    std::panic::resume_unwind(panic);
                }
            };
            while let Some(r) = done.remove(&at) {
                sink(&items[at], r);
                at += 1;
                sunk.store(at, Ordering::Release);
            }
        }
    });
}

/// The report of one file, and the lines `--fix` has to say about it (for
/// stderr: stdout carries the report, perhaps as JSON).
fn check_file(
    path: &Path,
    opts: &Options,
    host: &dyn Host,
    apply_fixes: bool,
) -> Result<(FileReport, Vec<String>), String> {
    let mut said = Vec::new();
    let mut text = read_text(path)?;
    let display = path.to_string_lossy().into_owned();
    let path_str = std::path::absolute(path)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| display.clone());
    if apply_fixes {
        let outcome = fix_all(&text, Some(&path_str), opts, host);
        if outcome.text != text {
            std::fs::write(path, &outcome.text)
                .map_err(|e| format!("Cannot write fixes: {}", io_message(&e)))?;
            text = outcome.text;
        }
        for f in &outcome.applied {
            said.push(format!(
                "Fixed {display}:{}: {} [{}]",
                f.line, f.title, f.code
            ));
        }
        for f in &outcome.refused {
            said.push(format!(
                "Not fixed {display}:{}: {} [{}], because on this machine it would raise {}",
                f.line,
                f.title,
                f.code,
                f.would_raise.join(", ")
            ));
        }
    }
    // What showing the findings takes is worked out beside the rules. The
    // time logged includes it: on a big file it runs on another core and
    // ends before the rules; on a small one it comes after them.
    let started = std::time::Instant::now();
    let (a, (index, secrets)) = analyze_beside(&text, Some(&path_str), opts, host, |config| {
        (LineIndex::of(&text), redact::secret_spans(config))
    });
    tracing::debug!("analysed {} in {:?}", path.display(), started.elapsed());
    let document = Document::indexed(text, 0, index);
    let report = FileReport::with_secrets(display, document, a.findings, a.config.dialect, secrets);
    Ok((report, said))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_items_order_whatever_each_costs() {
        let items: Vec<usize> = (0..2000).collect();
        let mut seen = Vec::new();
        in_order_on_every_core(
            &items,
            // Uneven work: every 97th item is far dearer than the rest.
            |&i| (0..if i % 97 == 0 { 200_000 } else { 10 }).fold(i, |a, b| a ^ b),
            |&i, r| seen.push((i, r)),
        );
        let expected: Vec<(usize, usize)> = items
            .iter()
            .map(|&i| {
                (
                    i,
                    (0..if i % 97 == 0 { 200_000 } else { 10 }).fold(i, |a, b| a ^ b),
                )
            })
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_panic_in_one_item_is_the_caller_s() {
        let items: Vec<usize> = (0..1000).collect();
        let caught = std::panic::catch_unwind(|| {
            in_order_on_every_core(&items, |&i| assert!(i != 500, "item 500"), |_, ()| {});
        });
        assert!(caught.is_err());
    }
}
