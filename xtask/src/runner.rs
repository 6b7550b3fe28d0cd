//! Executing notebooks headlessly: the runner (`tests/runner/run_notebooks.py`, nbclient) with the blitz kernel,
//! which fails on the first cell that does not compile, panics or returns an error and names it.

use crate::layout;
use crate::process::run_step;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The runner started with the project's virtual environment, before its arguments.
pub fn command() -> Command {
    command_with(&layout::venv_python())
}

/// The headless runner (`tests/runner/run_notebooks.py`) started with `python`, before its arguments.
///
/// Jupyter looks for kernels in this clone's own folder first (`JUPYTER_PATH`, see `kernelspec::install`), so
/// the runner starts this clone's kernel whatever another clone on the machine registered last.
pub fn command_with(python: &Path) -> Command {
    let mut cmd = Command::new(python);
    let mut jupyter_path = vec![layout::clone_jupyter_dir()];
    if let Some(existing) = std::env::var_os("JUPYTER_PATH") {
        jupyter_path.extend(std::env::split_paths(&existing));
    }
    cmd.arg(layout::notebook_runner())
        .env("JUPYTER_PLATFORM_DIRS", "1")
        .env("PYTHONUNBUFFERED", "1")
        .env(
            "JUPYTER_PATH",
            std::env::join_paths(jupyter_path).expect("the cache folder's path holds no separator"),
        );
    cmd
}

/// Executes notebooks with the runner; `executed_dir` receives copies with outputs.
pub fn run(notebooks: &[PathBuf], executed_dir: Option<&Path>) -> Result<()> {
    let mut cmd = command();
    if let Some(dir) = executed_dir {
        cmd.arg("--executed-dir").arg(dir);
    }
    cmd.args(notebooks);
    run_step(
        &format!(
            "execute {} notebook(s) with the blitz kernel",
            notebooks.len()
        ),
        cmd,
    )
}
