//! Child processes the tool runs: a named step with its progress and duration shown, `cargo` with the shared
//! target directory, and system commands installed when missing. Imports only [`crate::layout`].

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

/// Makes sure a system command the project runs (msgfmt, chromium, ...) is on the machine: when it is missing, installs its Debian package if this
/// is a Debian or Ubuntu machine and the tool runs as root (as CI does), and otherwise says what to install.
pub fn ensure_system_tool(command: &str, package: &str) -> Result<()> {
    ensure_system_package(package, &format!("`{command}`"), || {
        answers_version(command)
    })
}

/// Whether `command` runs and answers `--version` successfully.
fn answers_version(command: &str) -> bool {
    Command::new(command)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Makes sure a system package the project needs is installed, `present` telling whether what it provides (`what`,
/// for messages: a command, fonts) is there: installs it with apt-get on a Debian or Ubuntu machine when the tool
/// runs as root, and otherwise says what to install.
pub fn ensure_system_package(package: &str, what: &str, present: impl Fn() -> bool) -> Result<()> {
    if present() {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root && answers_version("apt-get") {
        let install = || {
            let mut cmd = Command::new("apt-get");
            cmd.args(["install", "-y", "-q", package])
                .env("DEBIAN_FRONTEND", "noninteractive");
            cmd
        };
        let label = format!("apt-get install {package} (for {what})");
        // A fresh machine may not have read the package lists yet.
        if run_step(&label, install()).is_err() {
            let mut update = Command::new("apt-get");
            update.args(["update", "-q"]);
            run_step("apt-get update", update)?;
            run_step(&label, install())?;
        }
        if present() {
            return Ok(());
        }
    }
    bail!(
        "this needs {what}, which is not installed: install the `{package}` package \
         (Debian/Ubuntu: `sudo apt install {package}`; macOS: `brew install {package}`) and run this again"
    )
}
