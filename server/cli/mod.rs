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
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::Serve { .. }) => crate::lsp::run(),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Probe(args)) => probe::run(&args),
        Some(Command::Doctor(args)) => doctor::run(&args),
        Some(Command::Schema { dialect }) => {
            println!("{}", crate::schema::text(dialect).trim_end());
            ExitCode::SUCCESS
        }
    }
}
