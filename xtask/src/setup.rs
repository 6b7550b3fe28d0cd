//! `cargo xtask setup`: everything a learner needs (the patched kernel, the Python environment with JupyterLab,
//! the kernelspec, the notebooks, a warm compile cache), then JupyterLab on the lessons.

use crate::{fork, kernelspec, layout, notebooks, python, runner};
use anyhow::{bail, Context, Result};
use std::process::Command;

/// Everything the runner needs: the patched evcxr_jupyter, the Python tools and the kernelspec; `lab` adds
/// JupyterLab. Each part is skipped when already in place.
pub fn prepare(lab: bool) -> Result<()> {
    fork::ensure()?;
    python::ensure_venv(lab)?;
    python::write_lab_settings()?;
    kernelspec::install()
}

/// `cargo xtask setup`: everything a learner needs, then JupyterLab on the lessons.
pub fn setup(open: bool) -> Result<()> {
    notebooks::generate(false, false)?;
    prepare(true)?;
    kernelspec::install_for_user()?;
    // Every English lesson once, so that the crates each lesson needs are in evcxr's compile cache and its cells
    // in the kernel's caches (lesson 2's first cell compiles the image and plotting crates: about 100 s on a fresh
    // machine, once).
    eprintln!(
        "==> warming the kernel's caches by running the English lessons (slow only the first time)"
    );
    let executed = layout::cache_dir().join("executed");
    runner::run(&notebooks::english()?, Some(&executed))?;
    if open {
        open_lab()?;
    }
    Ok(())
}

/// Starts JupyterLab on `notebooks/` with the project's environment.
pub fn open_lab() -> Result<()> {
    let mut cmd = Command::new(layout::venv_dir().join("bin/jupyter"));
    cmd.args(["lab", "--notebook-dir"])
        .arg(layout::repo_root().join("notebooks"));
    eprintln!("==> starting JupyterLab on notebooks/ (stop it with Ctrl+C)");
    let status = cmd.status().context("could not start JupyterLab")?;
    if !status.success() {
        bail!("JupyterLab stopped with {status}");
    }
    Ok(())
}
