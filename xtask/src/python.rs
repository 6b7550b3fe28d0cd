//! The Python environment Jupyter runs in: a virtual environment under `~/.cache/blitz/venv` (outside the clone,
//! so every clone and CI run shares it) with the runner's packages, and JupyterLab for a learner.

use crate::layout;
use crate::process::run_step;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;

/// Python packages the runner needs.
const RUNNER_PACKAGES: &[&str] = &["nbclient>=0.10", "nbformat>=5.10", "jupyter_client>=8"];
/// Python packages a learner needs on top: JupyterLab itself.
const LAB_PACKAGES: &[&str] = &["jupyterlab>=4"];

/// Creates the virtual environment if needed and installs what is missing; `lab` adds JupyterLab.
pub fn ensure_venv(lab: bool) -> Result<()> {
    let python = layout::venv_python();
    if !python.exists() {
        let system = find_python()?;
        let mut cmd = Command::new(&system);
        cmd.arg("-m").arg("venv").arg(layout::venv_dir());
        run_step(
            &format!(
                "create the Python environment {}",
                layout::venv_dir().display()
            ),
            cmd,
        )?;
    }
    let mut packages: Vec<&str> = RUNNER_PACKAGES.to_vec();
    if lab {
        packages.extend_from_slice(LAB_PACKAGES);
    }
    // Each package imports under its own name: `nbclient>=0.10` is present when `import nbclient` works.
    let modules: Vec<&str> = packages
        .iter()
        .map(|p| p.split(">=").next().unwrap_or(p))
        .collect();
    let imports = format!("import {}", modules.join(", "));
    let present = Command::new(&python)
        .args(["-c", &imports])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if present {
        eprintln!("==> Python packages: already installed");
        return Ok(());
    }
    let mut cmd = Command::new(&python);
    cmd.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "on",
    ])
    .args(&packages);
    run_step(&format!("pip install {}", packages.join(" ")), cmd)
}

/// JupyterLab's settings for the course, written into the environment (`share/jupyter/lab/settings/overrides.json`,
/// which JupyterLab reads as defaults): a learner who opens a lesson is not asked whether to fetch Jupyter's news or
/// check for updates (a pop-up over the lesson that needs the network this course does not assume).
pub fn write_lab_settings() -> Result<()> {
    let dir = layout::venv_dir().join("share/jupyter/lab/settings");
    let path = dir.join("overrides.json");
    let settings = serde_json::json!({
        "@jupyterlab/apputils-extension:notification": {
            "checkForUpdates": false,
            "fetchNews": "false"
        }
    });
    let text = serde_json::to_string_pretty(&settings)? + "\n";
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn find_python() -> Result<PathBuf> {
    for name in ["python3", "python"] {
        let ok = Command::new(name)
            .args(["-c", "import venv, sys; assert sys.version_info >= (3, 9)"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if ok {
            return Ok(PathBuf::from(name));
        }
    }
    bail!(
        "Python 3.9 or newer with its `venv` module is needed to run Jupyter. Install it (Debian/Ubuntu: \
         `sudo apt install python3 python3-venv`; macOS: `brew install python`) and run this again."
    )
}
