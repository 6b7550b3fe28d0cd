//! The Jupyter side: the kernel binary (evcxr_jupyter at a pinned version, patched: [`crate::evcxr_fork`]), a
//! Python virtual environment with Jupyter's tools, the project's kernelspec, and the headless notebook runner.

use crate::steps::{home_dir, repo_root, run_step};
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The evcxr_jupyter version the course is tested with.
pub const EVCXR_VERSION: &str = "0.22.0";

/// Python packages the runner needs.
const RUNNER_PACKAGES: &[&str] = &["nbclient>=0.10", "nbformat>=5.10", "jupyter_client>=8"];
/// Python packages a learner needs on top: JupyterLab itself.
const LAB_PACKAGES: &[&str] = &["jupyterlab>=4"];

/// The virtual environment, outside the clone so that every clone and CI run shares it.
pub fn venv_dir() -> PathBuf {
    home_dir().join(".cache/blitz/venv")
}

fn venv_python() -> PathBuf {
    venv_dir().join("bin/python")
}

/// Creates the virtual environment if needed and installs what is missing; `lab` adds JupyterLab.
pub fn ensure_venv(lab: bool) -> Result<()> {
    let python = venv_python();
    if !python.exists() {
        let system = find_python()?;
        let mut cmd = Command::new(&system);
        cmd.arg("-m").arg("venv").arg(venv_dir());
        run_step(
            &format!("create the Python environment {}", venv_dir().display()),
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

/// The folder holding the kernel's evcxr configuration (`init.evcxr`).
pub fn evcxr_config_dir() -> PathBuf {
    repo_root().join("kernel/evcxr")
}

/// Where kernels keep their build folders between runs (one per kernel running at the same time).
pub fn build_slots_dir() -> PathBuf {
    home_dir().join(".cache/blitz/kernel-builds")
}

/// The environment variable the dynamic loader reads extra library folders from.
fn library_path_var() -> &'static str {
    if cfg!(target_os = "macos") {
        "DYLD_FALLBACK_LIBRARY_PATH"
    } else {
        "LD_LIBRARY_PATH"
    }
}

/// The folder of Rust's shared standard library (`libstd-*.so`) for the toolchain that builds the notebooks.
fn rust_library_dir() -> Result<PathBuf> {
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
    Ok(PathBuf::from(text(&sysroot.stdout))
        .join("lib/rustlib")
        .join(host)
        .join("lib"))
}

/// Writes the project's kernelspec into the virtual environment, where its Jupyter finds it.
pub fn install_kernelspec() -> Result<()> {
    let dir = venv_dir()
        .join("share/jupyter/kernels")
        .join(crate::notebooks::KERNEL_NAME);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // The launcher gives each kernel a build folder kept between kernels (see kernel/launcher/start_kernel.py).
    // evcxr's libraries find Rust's shared standard library through a relative rpath that only holds for
    // evcxr's default temporary folder, so the kept folders need the path set explicitly.
    let spec = json!({
        "argv": [
            venv_python(),
            repo_root().join("kernel/launcher/start_kernel.py"),
            build_slots_dir(),
            crate::evcxr_fork::binary(),
            "--control_file",
            "{connection_file}"
        ],
        "display_name": crate::notebooks::KERNEL_DISPLAY_NAME,
        "language": "rust",
        "interrupt_mode": "message",
        "env": {
            "EVCXR_CONFIG_DIR": evcxr_config_dir(),
            "EVCXR_TYPE_CACHE": crate::evcxr_fork::type_cache_file(),
            "EVCXR_CELL_CACHE": crate::evcxr_fork::cell_cache_dir(),
            library_path_var(): rust_library_dir()?,
        }
    });
    let path = dir.join("kernel.json");
    std::fs::write(&path, serde_json::to_string_pretty(&spec)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "==> kernel \"{}\" registered in {}",
        crate::notebooks::KERNEL_DISPLAY_NAME,
        path.display()
    );
    Ok(())
}

/// Every notebook under `notebooks/`, sorted.
pub fn all_notebooks() -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let root = repo_root().join("notebooks");
    for lang in
        std::fs::read_dir(&root).with_context(|| format!("cannot read {}", root.display()))?
    {
        let lang = lang?.path();
        if !lang.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&lang)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "ipynb") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The headless runner (`kernel/runner/run_notebooks.py`) started with `python`, before its arguments.
fn runner(python: &Path) -> Command {
    let mut cmd = Command::new(python);
    cmd.arg(repo_root().join("kernel/runner/run_notebooks.py"))
        .env("JUPYTER_PLATFORM_DIRS", "1")
        .env("PYTHONUNBUFFERED", "1");
    cmd
}

/// The notebooks of the English lessons, sorted.
pub fn english_notebooks() -> Result<Vec<PathBuf>> {
    Ok(all_notebooks()?
        .into_iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("en")))
        .collect())
}

/// Executes notebooks with the runner; `executed_dir` receives copies with outputs.
pub fn run_notebooks(notebooks: &[PathBuf], executed_dir: Option<&Path>) -> Result<()> {
    let mut cmd = runner(&venv_python());
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

/// Everything the runner needs: evcxr_jupyter, the Python tools and the kernelspec.
pub fn prepare(lab: bool) -> Result<()> {
    crate::evcxr_fork::ensure()?;
    ensure_venv(lab)?;
    install_kernelspec()
}

/// Starts JupyterLab on `notebooks/` with the project's environment.
pub fn open_lab() -> Result<()> {
    let mut cmd = Command::new(venv_dir().join("bin/jupyter"));
    cmd.args(["lab", "--notebook-dir"])
        .arg(repo_root().join("notebooks"));
    eprintln!("==> starting JupyterLab on notebooks/ (stop it with Ctrl+C)");
    let status = cmd.status().context("could not start JupyterLab")?;
    if !status.success() {
        bail!("JupyterLab stopped with {status}");
    }
    Ok(())
}

/// Proves the runner fails where it must: each notebook in `kernel/runner/fixtures/` breaks in its cell 1
/// (a panic, a compile error, an error returned with `?`), and the runner must stop there and name it.
pub fn check_runner_fails_on_errors() -> Result<()> {
    eprintln!("==> the runner stops on a panic, a compile error and a `?` error");
    let dir = repo_root().join("kernel/runner/fixtures");
    for name in ["panics", "does-not-compile", "question-mark-error"] {
        let notebook = dir.join(format!("{name}.ipynb"));
        let output = runner(&venv_python())
            .arg(&notebook)
            .output()
            .context("could not start the notebook runner")?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let named = stderr.contains(&format!("FAILED {}: cell 1", notebook.display()));
        if output.status.success() || !named || stdout.contains("cell   2 ok") {
            bail!(
                "the runner did not report {name}.ipynb as failing in cell 1 (exit {}).\nstdout:\n{stdout}\nstderr:\n{stderr}",
                output.status
            );
        }
        eprintln!("    {name}.ipynb: fails in cell 1, as it must");
    }
    Ok(())
}

/// Proves a wrong entry in the kernel's type cache cannot break a notebook: runs the fixture
/// `stale-type-cache.ipynb` (which records `blitz_stale_probe: u8`), rewrites that record to `String`, runs it
/// again (it must pass: the kernel retries with rust-analyzer), and checks the cache holds `u8` again.
pub fn check_stale_type_cache_recovers() -> Result<()> {
    eprintln!("==> a wrong entry in the kernel's type cache does not break a notebook");
    let notebook = repo_root().join("kernel/runner/fixtures/stale-type-cache.ipynb");
    let run = || -> Result<()> {
        let output = runner(&venv_python())
            .arg(&notebook)
            .output()
            .context("could not start the notebook runner")?;
        if !output.status.success() {
            bail!(
                "{} failed (exit {}):
{}{}",
                notebook.display(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    };
    let cache = crate::evcxr_fork::type_cache_file();
    let probe_types = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .flat_map(|line| line["variables"].as_array().cloned().unwrap_or_default())
            .filter(|v| v["name"] == "blitz_stale_probe")
            .filter_map(|v| v["type_name"].as_str().map(str::to_owned))
            .collect()
    };
    run()?;
    let text = std::fs::read_to_string(&cache)
        .with_context(|| format!("the kernel wrote no type cache at {}", cache.display()))?;
    if probe_types(&text).last().map(String::as_str) != Some("u8") {
        bail!(
            "the kernel did not record `blitz_stale_probe: u8` in {}",
            cache.display()
        );
    }
    let stale = text.replace(
        r#"{"name":"blitz_stale_probe","type_name":"u8""#,
        r#"{"name":"blitz_stale_probe","type_name":"String""#,
    );
    std::fs::write(&cache, stale)?;
    run().context("with a wrong type in the kernel's type cache")?;
    let healed = std::fs::read_to_string(&cache)?;
    if probe_types(&healed).last().map(String::as_str) != Some("u8") {
        bail!("the kernel did not replace the wrong cached type of `blitz_stale_probe` with u8");
    }
    eprintln!(
        "    stale-type-cache.ipynb: passes with a wrong cached type, and the cache is corrected"
    );
    Ok(())
}

/// Timings of one executed notebook, as the runner writes them (`--timings`).
#[derive(Debug)]
struct Timing {
    notebook: String,
    kernel_start: f64,
    first_output: f64,
    cells: Vec<f64>,
    whole: f64,
}

fn read_timings(path: &Path) -> Result<Vec<Timing>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)?;
    let rows = value
        .as_array()
        .context("the runner's timings are a JSON list")?;
    Ok(rows
        .iter()
        .map(|r| Timing {
            notebook: r["notebook"].as_str().unwrap_or_default().to_string(),
            kernel_start: r["kernel_start_s"].as_f64().unwrap_or(f64::NAN),
            first_output: r["first_output_s"].as_f64().unwrap_or(f64::NAN),
            cells: r["cells_s"]
                .as_array()
                .map(|c| c.iter().filter_map(|x| x.as_f64()).collect())
                .unwrap_or_default(),
            whole: r["whole_s"].as_f64().unwrap_or(f64::NAN),
        })
        .collect())
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn timed_run(
    python: &Path,
    kernel: &str,
    notebooks: &[PathBuf],
    label: &str,
) -> Result<Vec<Timing>> {
    let out =
        std::env::temp_dir().join(format!("blitz-bench-{kernel}-{}.json", std::process::id()));
    let mut cmd = runner(python);
    cmd.args(["--kernel", kernel, "--timings"])
        .arg(&out)
        .args(notebooks);
    run_step(label, cmd)?;
    read_timings(&out)
}

/// `cargo xtask bench`: on a warm cache, each English lesson's kernel start, first output, per-cell latency
/// (median, max) and whole time; with `BLITZ_TORCH_PYTHON` (a Python with torch, ipykernel and nbclient), the
/// same lesson in PyTorch under ipykernel, and the ratio. The first, cache-warming run is not counted.
pub fn bench() -> Result<()> {
    prepare(false)?;
    let english = english_notebooks()?;
    timed_run(
        &venv_python(),
        "blitz",
        &english,
        "warm the kernel's caches (not counted)",
    )?;
    let blitz = timed_run(&venv_python(), "blitz", &english, "blitz lessons, timed")?;
    let torch = match std::env::var_os("BLITZ_TORCH_PYTHON") {
        Some(python) => {
            let notebook = repo_root().join("kernel/bench/pytorch-01-neural-networks.ipynb");
            let python = PathBuf::from(python);
            timed_run(
                &python,
                "python3",
                std::slice::from_ref(&notebook),
                "warm PyTorch (not counted)",
            )?;
            timed_run(
                &python,
                "python3",
                &[notebook],
                "PyTorch lesson under ipykernel, timed",
            )?
            .pop()
        }
        None => None,
    };
    println!(
        "{:<28} {:>12} {:>13} {:>12} {:>10} {:>9}",
        "notebook", "kernel up s", "1st output s", "median cell", "max cell", "whole s"
    );
    let show = |name: &str, t: &Timing| {
        println!(
            "{name:<28} {:>12.2} {:>13.2} {:>12.2} {:>10.2} {:>9.1}",
            t.kernel_start,
            t.first_output,
            median(&t.cells),
            t.cells.iter().copied().fold(0.0, f64::max),
            t.whole
        );
    };
    for t in &blitz {
        let name = Path::new(&t.notebook)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        show(&format!("blitz {name}"), t);
    }
    match (&torch, blitz.first()) {
        (Some(torch), Some(first)) => {
            show("pytorch 01-neural-networks", torch);
            println!(
                "whole lesson ratio blitz/pytorch: {:.2} (target <= 1.5)",
                first.whole / torch.whole
            );
        }
        _ => println!("(set BLITZ_TORCH_PYTHON=/path/to/python with torch, ipykernel and nbclient to compare with PyTorch)"),
    }
    Ok(())
}
