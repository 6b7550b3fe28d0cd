//! `cargo xtask bench`: how long a learner waits for the lessons on a warm kernel (kernel start, first output,
//! each cell, the whole lesson), then for the first lesson with every cell after the first edited the way a
//! learner edits (a changed number, an added `println!`), side by side with PyTorch's same lesson under ipykernel
//! when a Python with torch is available.

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

/// The notebook's code cells' sources, in order.
fn code_sources(notebook: &serde_json::Value) -> Vec<String> {
    notebook["cells"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|cell| cell["cell_type"] == "code")
        .map(|cell| match &cell["source"] {
            serde_json::Value::Array(lines) => lines.iter().filter_map(|l| l.as_str()).collect(),
            other => other.as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// A cell as a learner edits it: the first decimal number (like `0.01`, outside comments and strings) changed by
/// appending `000` and `nonce`'s digits, or, in a cell without one, a `println!` added at the top. `nonce` makes
/// each run's edits new to the kernel's caches.
pub fn edit_cell(source: &str, index: usize, nonce: u32) -> String {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let code = line.split("//").next().unwrap_or_default();
        let mut quotes = 0;
        for (at, c) in code.char_indices() {
            if c == '"' {
                quotes += 1;
            }
            let rest = &code[at..];
            let before = code[..at].chars().next_back();
            if quotes % 2 == 0
                && rest.starts_with("0.")
                && rest[2..].starts_with(|d: char| d.is_ascii_digit())
                && !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '_' || b == '.')
            {
                let digits = 2 + rest[2..].chars().take_while(char::is_ascii_digit).count();
                let end = offset + at + digits;
                return format!("{}000{nonce}{}", &source[..end], &source[end..]);
            }
        }
        offset += line.len();
    }
    format!("println!(\"(edited: cell {index}, run {nonce})\");\n{source}")
}

/// A copy of `notebook` with every code cell after the first edited ([`edit_cell`]), in `dir`/notebooks/<lang>/
/// beside links to the repository's `crate` and `data`, so that its relative paths (`:dep blitz = { path =
/// "../../crate" }`) reach the same folders and its first cell is the lesson's, unchanged.
fn edited_copy(notebook: &Path, dir: &Path, nonce: u32) -> Result<PathBuf> {
    let text = std::fs::read_to_string(notebook)
        .with_context(|| format!("cannot read {}", notebook.display()))?;
    let mut json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON", notebook.display()))?;
    let sources = code_sources(&json);
    let cells = json["cells"]
        .as_array_mut()
        .context("a notebook has a list of cells")?;
    let code_cells = cells
        .iter_mut()
        .filter(|cell| cell["cell_type"] == "code")
        .enumerate()
        .skip(1);
    for (code_index, cell) in code_cells {
        cell["source"] = edit_cell(&sources[code_index], code_index, nonce).into();
    }
    let copy = folder_like(notebook, dir)?
        .join(notebook.file_name().context("a notebook has a file name")?);
    std::fs::write(&copy, serde_json::to_string_pretty(&json)?)?;
    Ok(copy)
}

/// `dir`/notebooks/<lang>/ for a lesson `notebook` in notebooks/<lang>/, beside links to the repository's `crate`
/// and `data`, so that a notebook there reaches them by the lesson's relative paths.
fn folder_like(notebook: &Path, dir: &Path) -> Result<PathBuf> {
    let language = notebook
        .parent()
        .and_then(|p| p.file_name())
        .context("a lesson notebook is in a language folder")?;
    let folder = dir.join("notebooks").join(language);
    std::fs::create_dir_all(&folder)?;
    for linked in ["crate", "data"] {
        let link = dir.join(linked);
        if !link.exists() {
            std::os::unix::fs::symlink(layout::repo_root().join(linked), &link)
                .with_context(|| format!("cannot link {}", link.display()))?;
        }
    }
    Ok(folder)
}

/// A notebook in `dir`/notebooks/<lang>/ ([`folder_like`]) with the first code cell of `lesson` and then `cells`,
/// each with the seconds the runner waits before sending it (`metadata.blitz.pause_before`).
fn lesson_start_then(
    lesson: &Path,
    dir: &Path,
    name: &str,
    cells: &[(String, f64)],
) -> Result<PathBuf> {
    let text = std::fs::read_to_string(lesson)?;
    let mut json: serde_json::Value = serde_json::from_str(&text)?;
    let first = code_sources(&json)
        .into_iter()
        .next()
        .context("the lesson has no code cell")?;
    let cell = |source: &str, pause: f64| {
        serde_json::json!({
            "cell_type": "code", "execution_count": null, "outputs": [], "source": source,
            "metadata": { "blitz": { "pause_before": pause } },
        })
    };
    let mut all = vec![cell(&first, 0.0)];
    all.extend(cells.iter().map(|(source, pause)| cell(source, *pause)));
    json["cells"] = all.into();
    let notebook = folder_like(lesson, dir)?.join(format!("{name}.ipynb"));
    std::fs::write(&notebook, serde_json::to_string_pretty(&json)?)?;
    Ok(notebook)
}

/// How long the bench's learner reads the first output before writing a new variable (the kernel loads
/// rust-analyzer after 2 s idle).
const NEW_VARIABLE_PAUSE: f64 = 10.0;

/// A Python with torch, numpy, ipykernel and nbclient for PyTorch's lesson: `BLITZ_TORCH_PYTHON`, else
/// `~/.cache/blitz/torch-venv/bin/python` when it can import them.
fn torch_python() -> Option<PathBuf> {
    if let Some(python) = std::env::var_os("BLITZ_TORCH_PYTHON") {
        return Some(PathBuf::from(python));
    }
    let python = layout::cache_dir().join("torch-venv/bin/python");
    let usable = std::process::Command::new(&python)
        .args(["-c", "import torch, numpy, ipykernel, nbclient"])
        .output()
        .is_ok_and(|out| out.status.success());
    usable.then_some(python)
}

/// `cargo xtask bench`: on a warm cache, each English lesson's kernel start, first output, per-cell latency
/// (median, max) and whole time; the first lesson edited ([`edit_cell`]) on a kernel that has just answered its
/// first cell: first edited cell, median edited cell, whole; with a Python with torch, numpy, ipykernel and nbclient
/// ([`torch_python`]), the same lesson in PyTorch under ipykernel, and the ratios. The first, cache-warming run is
/// not counted.
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
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ d.as_secs() as u32)
        .unwrap_or_default()
        % 1_000_000;
    let edited_dir =
        std::env::temp_dir().join(format!("blitz-bench-edited-{}", std::process::id()));
    let lesson = english.first().context("there is no English lesson")?;
    let edited_notebook = edited_copy(lesson, &edited_dir, nonce)?;
    let edited = timed_run(
        &layout::venv_python(),
        "blitz",
        &[edited_notebook],
        "the first lesson, every cell after the first edited, timed",
    );
    // A learner's first variable of a shape the type cache has not seen needs rust-analyzer, whose first load in a
    // kernel takes seconds: right after the first cell, and after reading its output for a while (the kernel
    // loads rust-analyzer in the background once idle).
    let new_variable = |pause: f64| -> Result<f64> {
        let name = format!("new-variable-after-{pause}s");
        // Names new to the caches in each run and each notebook.
        let suffix = format!("{nonce}_{}", pause as u32);
        let cells = [
            (
                format!("let new_variable_{suffix} = net.parameters()[0].shape().to_vec();"),
                pause,
            ),
            (
                format!("let another_{suffix} = net.parameters().len();"),
                0.0,
            ),
        ];
        let notebook = lesson_start_then(lesson, &edited_dir, &name, &cells)?;
        let timing = timed_run(
            &layout::venv_python(),
            "blitz",
            &[notebook],
            &format!("a new variable {pause} s after the first cell, timed"),
        )?;
        let cells = timing.first().map(|t| t.cells.clone()).unwrap_or_default();
        cells
            .get(1)
            .copied()
            .context("the new-variable notebook gave no timing")
    };
    let new_variable_at_once = new_variable(0.0);
    let new_variable_after_reading = new_variable(NEW_VARIABLE_PAUSE);
    let _ = std::fs::remove_dir_all(&edited_dir);
    let edited = edited?.pop().context("the edited lesson gave no timings")?;
    let (new_variable_at_once, new_variable_after_reading) =
        (new_variable_at_once?, new_variable_after_reading?);
    let torch = match torch_python() {
        Some(python) => {
            let notebook = layout::pytorch_bench_notebook();
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
    show("blitz 01 edited", &edited);
    if let Some(torch) = &torch {
        show("pytorch 01-neural-networks", torch);
    }
    let edited_cells = edited.cells.get(1..).unwrap_or_default();
    let first_edited = edited_cells.first().copied().unwrap_or(f64::NAN);
    let median_edited = median(edited_cells);
    println!(
        "edited lesson: first edited cell {first_edited:.2} s (target <= 1.5), median edited cell \
         {median_edited:.2} s (target <= 0.6), whole {:.1} s",
        edited.whole
    );
    println!(
        "a variable of a new shape right after the first cell: {new_variable_at_once:.2} s; after reading the first \
         output for {NEW_VARIABLE_PAUSE} s: {new_variable_after_reading:.2} s"
    );
    match (&torch, blitz.first()) {
        (Some(torch), Some(first)) => {
            println!(
                "whole lesson ratio blitz/pytorch: {:.2} (target <= 1.5); edited blitz / unedited pytorch: {:.2} \
                 (target <= 2)",
                first.whole / torch.whole,
                edited.whole / torch.whole
            );
        }
        _ => println!(
            "(set BLITZ_TORCH_PYTHON=/path/to/python with torch, numpy, ipykernel and nbclient, or create \
             ~/.cache/blitz/torch-venv, to compare with PyTorch)"
        ),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::edit_cell;

    #[test]
    fn a_decimal_number_is_changed_and_other_cells_gain_a_println() {
        assert_eq!(
            edit_cell("let learning_rate = 0.01; // 0.5 in a comment\n", 3, 42),
            "let learning_rate = 0.0100042; // 0.5 in a comment\n"
        );
        assert_eq!(
            edit_cell("println!(\"0.5\");\nSGD::new(p, 0.01)", 4, 7),
            "println!(\"0.5\");\nSGD::new(p, 0.010007)"
        );
        assert_eq!(
            edit_cell("net.zero_grad();\nx1.0", 2, 9),
            "println!(\"(edited: cell 2, run 9)\");\nnet.zero_grad();\nx1.0"
        );
    }
}
