//! Executed notebooks for the book, cached by content: a notebook whose bytes, and the crate and kernel settings it
//! runs with, are unchanged since its last execution is not executed again.
//!
//! The cache is `~/.cache/blitz/book/executed/<sha256>.ipynb`, where the hash covers the notebook's bytes, the
//! crate's manifest and sources (`crate/Cargo.toml`, `crate/src/`) and the kernel's `init.evcxr` (the kernel
//! resolves the crate's dependencies itself, so the workspace's `Cargo.lock` is not part of it):
//! the outputs are what the kernel prints, so a change to what it loads makes them stale as surely as a change
//! to the notebook. A notebook that fails is not cached; the error names the notebook and the cell.

use crate::{layout, runner, setup};
use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

/// The folder of cached executed notebooks.
pub fn cache_dir() -> PathBuf {
    layout::book_cache_dir().join("executed")
}

/// A digest of everything besides the notebook that decides its outputs: the crate it loads and the kernel's
/// settings.
pub fn kernel_inputs_digest() -> Result<String> {
    let root = layout::repo_root();
    let mut files = vec![
        root.join("crate/Cargo.toml"),
        layout::evcxr_config_dir().join("init.evcxr"),
    ];
    collect_files(&root.join("crate/src"), &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        let bytes = fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let relative = file.strip_prefix(&root).unwrap_or(file);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hex(&hasher.finalize()))
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache key of a notebook: SHA-256 of its bytes and of `kernel_inputs` (see [`kernel_inputs_digest`]).
pub fn key(notebook: &[u8], kernel_inputs: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(notebook);
    hasher.update(kernel_inputs.as_bytes());
    hex(&hasher.finalize())
}

/// The executed copy of each notebook, in the same order: taken from the cache, or executed with the kernel
/// (prepared on the first miss) and cached. Prints one progress line per notebook, and the runner's per cell.
pub fn executed(notebooks: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let cache = cache_dir();
    fs::create_dir_all(&cache).with_context(|| format!("cannot create {}", cache.display()))?;
    let inputs = kernel_inputs_digest()?;
    let root = layout::repo_root();
    let mut prepared = false;
    let mut out = Vec::new();
    for (i, notebook) in notebooks.iter().enumerate() {
        let shown = notebook.strip_prefix(&root).unwrap_or(notebook).display();
        let bytes =
            fs::read(notebook).with_context(|| format!("cannot read {}", notebook.display()))?;
        let cached = cache.join(format!("{}.ipynb", key(&bytes, &inputs)));
        let position = format!("[{}/{}]", i + 1, notebooks.len());
        if cached.is_file() {
            eprintln!("    {position} {shown}: executed before (cached)");
        } else {
            if !prepared {
                setup::prepare(false)?;
                prepared = true;
            }
            eprintln!("    {position} {shown}: executing with the blitz kernel");
            execute_into(notebook, &cached)?;
        }
        out.push(cached);
    }
    Ok(out)
}

/// Executes one notebook with the runner and moves its executed copy to `target` (whole or not at all).
fn execute_into(notebook: &Path, target: &Path) -> Result<()> {
    let scratch = layout::book_cache_dir().join(format!("running-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let start = Instant::now();
    let mut child = runner::command()
        .arg("--executed-dir")
        .arg(&scratch)
        .arg(notebook)
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start the notebook runner (tests/runner/run_notebooks.py)")?;
    // The runner's stderr is shown as it comes and its FAILED report kept for the error.
    let mut failure = Vec::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap_or_default();
            eprintln!("{line}");
            if line.starts_with("FAILED") || !failure.is_empty() {
                failure.push(line);
            }
        }
    }
    let status = child.wait().context("the notebook runner did not finish")?;
    let result = if status.success() {
        let produced = scratch
            .join(
                notebook
                    .parent()
                    .and_then(Path::file_name)
                    .unwrap_or_default(),
            )
            .join(notebook.file_name().unwrap_or_default());
        fs::rename(&produced, target).with_context(|| {
            format!(
                "the runner left no executed copy of {} at {}",
                notebook.display(),
                produced.display()
            )
        })
    } else if failure.is_empty() {
        Err(anyhow::anyhow!(
            "executing {} failed ({status}); the runner's output above says why",
            notebook.display()
        ))
    } else {
        Err(anyhow::anyhow!(
            "{}\nFix the cell in lessons/ (or its translation), run `cargo xtask notebooks`, then build the book again.",
            failure.join("\n")
        ))
    };
    let _ = fs::remove_dir_all(&scratch);
    result?;
    eprintln!("        executed in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// Reads an executed notebook as JSON, naming the notebook it came from if it is not valid.
pub fn read(executed: &Path, source: &Path) -> Result<serde_json::Value> {
    let text = fs::read_to_string(executed)
        .with_context(|| format!("cannot read the executed copy of {}", source.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "the executed copy of {} ({}) is not valid JSON; delete it to execute the notebook again",
            source.display(),
            executed.display()
        )
    })?;
    if !value["cells"].is_array() {
        bail!(
            "the executed copy of {} ({}) has no cells; delete it to execute the notebook again",
            source.display(),
            executed.display()
        );
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_notebook_and_with_the_kernel_inputs() {
        let a = key(b"{\"cells\": []}", "crate-1");
        assert_eq!(a, key(b"{\"cells\": []}", "crate-1"));
        assert_ne!(a, key(b"{\"cells\": [1]}", "crate-1"));
        assert_ne!(a, key(b"{\"cells\": []}", "crate-2"));
        assert_eq!(a.len(), 64);
    }
}
