//! `cargo xtask bench`: how long a learner waits for the lessons on a warm kernel (kernel start, first output,
//! each cell, the whole lesson), side by side with PyTorch's same lesson under ipykernel when asked.

use crate::process::run_step;
use crate::{layout, notebooks, runner, setup};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

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
    let mut cmd = runner::command_with(python);
    cmd.args(["--kernel", kernel, "--timings"])
        .arg(&out)
        .args(notebooks);
    run_step(label, cmd)?;
    read_timings(&out)
}

/// `cargo xtask bench`: on a warm cache, each English lesson's kernel start, first output, per-cell latency
/// (median, max) and whole time; with `BLITZ_TORCH_PYTHON` (a Python with torch, ipykernel and nbclient), the
/// same lesson in PyTorch under ipykernel, and the ratio. The first, cache-warming run is not counted.
pub fn lessons() -> Result<()> {
    setup::prepare(false)?;
    let english = notebooks::english()?;
    timed_run(
        &layout::venv_python(),
        "blitz",
        &english,
        "warm the kernel's caches (not counted)",
    )?;
    let blitz = timed_run(
        &layout::venv_python(),
        "blitz",
        &english,
        "blitz lessons, timed",
    )?;
    let torch = match std::env::var_os("BLITZ_TORCH_PYTHON") {
        Some(python) => {
            let notebook = layout::pytorch_bench_notebook();
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
