//! Child processes the tool runs: a named step with its progress and duration shown, and `cargo` with the
//! shared target directory. Imports only [`crate::layout`].

use crate::layout;
use anyhow::{bail, Context, Result};
use std::process::Command;
use std::time::Instant;

/// A `cargo` command run from the repository root with the shared target directory.
pub fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .current_dir(layout::repo_root())
        .env("CARGO_TARGET_DIR", layout::cache_target_dir());
    cmd
}

/// Runs one named step, printing its name before and its duration after; fails if the step fails.
pub fn run_step(name: &str, mut cmd: Command) -> Result<()> {
    eprintln!("==> {name}");
    let start = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("could not start the step `{name}`"))?;
    if !status.success() {
        bail!("step `{name}` failed ({status}); its output above says why");
    }
    eprintln!("    {name}: ok in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}
