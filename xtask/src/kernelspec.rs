//! The kernelspec Jupyter reads to start the "Rust · blitz" kernel: the launcher in `kernel/launcher/`, the
//! patched evcxr_jupyter, evcxr's configuration in `kernel/evcxr/`, and the caches the patch keeps. Written into
//! the virtual environment, where its Jupyter finds it, every time the kernel is prepared, so that it always
//! points at this clone's files.

use crate::{fork, layout};
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment variable the dynamic loader reads extra library folders from.
fn library_path_var() -> &'static str {
    if cfg!(target_os = "macos") {
        "DYLD_FALLBACK_LIBRARY_PATH"
    } else {
        "LD_LIBRARY_PATH"
    }
}

/// The sysroot and host platform of the toolchain that builds the notebooks (`rustc --print sysroot`, `rustc -vV`).
fn toolchain() -> Result<(PathBuf, String)> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .context("could not run `rustc --print sysroot`: is Rust installed (https://rustup.rs)?")?;
    let version = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("could not run `rustc -vV`")?;
    if !sysroot.status.success() || !version.status.success() {
        bail!("`rustc --print sysroot` failed: update Rust with `rustup update`");
    }
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_string();
    let version = text(&version.stdout);
    let host = version
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .context("`rustc -vV` did not name its host platform")?;
    Ok((PathBuf::from(text(&sysroot.stdout)), host.to_string()))
}

/// The kernelspec's text (`kernel.json`), naming this clone's files and this machine's toolchain.
fn spec_text() -> Result<String> {
    // The launcher gives each kernel a build folder kept between kernels (see kernel/launcher/start_kernel.py).
    // evcxr's libraries find Rust's shared standard library through a relative rpath that only holds for
    // evcxr's default temporary folder, so the kept folders need the path set explicitly. Jupyter (jupyter_client
    // 7 and later) fills `${PATH}` in with the server's own `PATH`: the toolchain's `bin/` comes first, so that a
    // Jupyter started without `~/.cargo/bin` on its `PATH` (JupyterHub, Binder, a desktop launcher) still starts a
    // kernel that finds cargo, and the kernel compiles with the toolchain whose standard library it loads.
    let (sysroot, host) = toolchain()?;
    let rust_library_dir = sysroot.join("lib/rustlib").join(host).join("lib");
    let path = format!("{}:${{PATH}}", sysroot.join("bin").display());
    let spec = json!({
        "argv": [
            layout::venv_python(),
            layout::kernel_launcher(),
            layout::build_slots_dir(),
            fork::binary()?,
            "--control_file",
            "{connection_file}"
        ],
        "display_name": layout::KERNEL_DISPLAY_NAME,
        "language": "rust",
        "interrupt_mode": "message",
        "env": {
            "EVCXR_CONFIG_DIR": layout::evcxr_config_dir(),
            "EVCXR_TYPE_CACHE": layout::type_cache_file(),
            "EVCXR_CELL_CACHE": layout::cell_cache_dir(),
            // The cell's own crate unoptimised, its dependencies (blitz, candle) at `:opt` (see the patch's README).
            "EVCXR_CELL_OPT_LEVEL": "0",
            // A panic shows its message and where, without a backtrace of the kernel's own frames (the patched
            // evcxr passes this on to the process that runs the cells instead of forcing backtraces on).
            "RUST_BACKTRACE": "0",
            library_path_var(): rust_library_dir,
            "PATH": path,
        }
    });
    Ok(serde_json::to_string_pretty(&spec)? + "\n")
}

/// Writes `text` as `<jupyter>/kernels/blitz/kernel.json` and says where.
fn write_spec(jupyter: &Path, text: &str) -> Result<()> {
    let dir = jupyter.join("kernels").join(layout::KERNEL_NAME);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("kernel.json");
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "==> kernel \"{}\" registered in {}",
        layout::KERNEL_DISPLAY_NAME,
        path.display()
    );
    Ok(())
}

/// Writes the project's kernelspec into the virtual environment, where its Jupyter (JupyterLab) finds it, and
/// into this clone's own Jupyter folder ([`layout::clone_jupyter_dir`]), which the notebook runner searches first:
/// the runner then always starts this clone's kernel, even when another clone on the machine prepared its own
/// kernel since.
pub fn install() -> Result<()> {
    let text = spec_text()?;
    for jupyter in [
        layout::venv_dir().join("share/jupyter"),
        layout::clone_jupyter_dir(),
    ] {
        write_spec(&jupyter, &text)?;
    }
    Ok(())
}

/// Also registers the kernel in the user's own Jupyter data folder (`~/.local/share/jupyter` on Linux, as
/// `jupyter kernelspec install --user` would), so that a Jupyter other than the course's — JupyterHub's, Binder's,
/// an editor's — offers it too. Only `cargo xtask setup` does this: the tests prepare the kernel of whatever clone
/// they run in, which must not become the user's.
pub fn install_for_user() -> Result<()> {
    let output = Command::new(layout::venv_python())
        .args([
            "-c",
            "from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())",
        ])
        .output()
        .context("could not ask the course's Python where the user's Jupyter folder is")?;
    if !output.status.success() {
        bail!(
            "could not find the user's Jupyter folder: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    write_spec(&dir, &spec_text()?)
}
