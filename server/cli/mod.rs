//! The command line. The only module besides `main.rs` that writes to stdout;
//! `serve` hands stdout to the language server and prints nothing itself.

//!
//! This file only dispatches: `args` declares the command line, `check`,
//! `probe` and `doctor` run one subcommand each, `output` renders reports.
//! They import `args` and each other, never this file.

pub mod args;
pub mod check;
pub mod doctor;
pub mod output;
pub mod probe;

pub use args::{Cli, Command};
use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

/// Said on stderr when someone runs the bare command at a terminal, where the
/// language server would otherwise wait for LSP frames in silence.
const SERVER_HINT: &str = "mcp-config-lsp: Running as a language server on stdin/stdout, which is what editors start. \
At a terminal you probably want `mcp-config-lsp check [PATH]` or `mcp-config-lsp doctor` \
(`--help` lists everything); Ctrl-C ends this.";

/// The command line. `before_serving` runs before the language server
/// starts (the binary tunes its allocator for a long-running process).
pub fn main(before_serving: fn()) -> ExitCode {
    let cli = Cli::parse();
    // Commands log only when asked (`MCP_CONFIG_LSP_LOG=debug`: what each
    // file's analysis took, say); the language server always sets logging up.
    let serving = matches!(cli.command, None | Some(Command::Serve { .. }));
    if !serving && std::env::var_os("MCP_CONFIG_LSP_LOG").is_some() {
        crate::lsp::init_tracing();
    }
    match cli.command {
        None => {
            if std::io::stdin().is_terminal() {
                eprintln!("{SERVER_HINT}");
            }
            before_serving();
            crate::lsp::run()
        }
        Some(Command::Serve { .. }) => {
            before_serving();
            crate::lsp::run()
        }
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Probe(args)) => probe::run(&args),
        Some(Command::Doctor(args)) => doctor::run(&args),
        Some(Command::Schema { dialect }) => {
            println!("{}", crate::schema::text(dialect).trim_end());
            ExitCode::SUCCESS
        }
    }
}
