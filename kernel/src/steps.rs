//! The steps the tool runs, each a child process with its progress shown.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The repository root (the parent of `kernel/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("kernel/ has a parent directory")
        .to_path_buf()
}

/// The cargo target directory shared by every build of the project, kept outside the clone.
pub fn cache_target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    home_dir().join(".cache/blitz/target")
}

/// The user's home directory, from `$HOME`.
pub fn home_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

/// A `cargo` command run from the repository root with the shared target directory.
fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .current_dir(repo_root())
        .env("CARGO_TARGET_DIR", cache_target_dir());
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

/// `cargo xtask test`: the whole suite.
pub fn test() -> Result<()> {
    run_step(
        "cargo fmt --check",
        cargo(&["fmt", "--all", "--", "--check"]),
    )?;
    run_step(
        "cargo clippy",
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--release",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let mut doc = cargo(&["doc", "--no-deps", "-p", "blitz", "--release"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    run_step("cargo doc (every public item documented)", doc)?;
    run_step("cargo test", cargo(&["test", "--workspace", "--release"]))?;
    eprintln!("All tests passed.");
    Ok(())
}
