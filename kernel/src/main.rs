//! `cargo xtask`: the project's chores as one plain-Rust tool.
//!
//! - `cargo xtask test`: everything that proves the project (format, lints, unit and parity tests).
//!
//! Builds go to a cargo target directory under `~/.cache/blitz/` so that a later run (or CI on the same
//! machine) reuses them, while a fresh machine simply rebuilds them.

mod steps;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// The project's tool.
#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Set up, test and drive the blitz lessons"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole test suite: formatting, clippy, and every test of the workspace.
    Test,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Test => steps::test(),
    }
}
