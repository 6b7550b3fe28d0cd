//! The kernel's caches never serve a stale build and never fail a cell. In a temporary copy of a small workspace
//! (a crate `probe` depending on a crate `helper`, both declared through the workspace's manifest), a notebook
//! prints what the build saw: probe's number, helper's version and feature, and the edition probe was compiled
//! with. Each input is changed in turn (a dependency's version, its features, the edition, a file of the crate)
//! and the next run must print the new result. The real kernel runs with caches of its own (compiled cells,
//! variable types, evcxr's `:cache`, the kept build folder) in the sandbox, so that what they hold can be checked
//! and broken.

use blitz_tests::{describe, kernel, run_command, RUNNER_LIMIT};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The name of the sandbox's kernelspec: the project's kernel with the sandbox's caches.
const KERNEL: &str = "blitz-cache-sandbox";

/// A temporary workspace, notebook, kernelspec and caches, removed when dropped.
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("blitz-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let sandbox = Sandbox { dir };
        sandbox.write(
            "ws/Cargo.toml",
            r#"[workspace]
resolver = "2"
members = ["probe", "helper"]

[workspace.package]
edition = "2021"

[workspace.dependencies]
helper = { path = "helper", version = "=0.1.0" }
cfg-if = "1"
"#,
        );
        sandbox.write(
            "ws/helper/Cargo.toml",
            r#"[package]
name = "helper"
version = "0.1.0"
edition.workspace = true

[features]
loud = []
"#,
        );
        sandbox.write(
            "ws/helper/src/lib.rs",
            r#"pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub fn greeting() -> &'static str {
    if cfg!(feature = "loud") {
        "HELLO"
    } else {
        "hello"
    }
}
"#,
        );
        sandbox.write(
            "ws/probe/Cargo.toml",
            r#"[package]
name = "probe"
version = "0.1.0"
edition.workspace = true

[dependencies]
helper.workspace = true
cfg-if.workspace = true
"#,
        );
        sandbox.write("ws/probe/src/lib.rs", &probe_source("u32", 1));
        // The project's kernel (as prepared for this clone), with the sandbox's build folders and caches.
        let spec_path = xtask::layout::clone_jupyter_dir()
            .join("kernels")
            .join(xtask::layout::KERNEL_NAME)
            .join("kernel.json");
        let mut spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
        spec["argv"][2] = sandbox.path("slots").to_string_lossy().into();
        spec["env"]["EVCXR_CELL_CACHE"] = sandbox.path("cells").to_string_lossy().into();
        spec["env"]["EVCXR_TYPE_CACHE"] = sandbox.path("types.jsonl").to_string_lossy().into();
        // evcxr's `:cache` lives in $XDG_CACHE_HOME/evcxr.
        spec["env"]["XDG_CACHE_HOME"] = sandbox.path("xdg").to_string_lossy().into();
        sandbox.write(
            &format!("jupyter/kernels/{KERNEL}/kernel.json"),
            &serde_json::to_string_pretty(&spec).unwrap(),
        );
        sandbox
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }

    /// Replaces `from` by `to` in a file of the sandbox (which must contain it).
    fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.path(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} lacks {from:?}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    /// Runs the notebook that prints probe's report in a new kernel; it must pass and print `expected`
    /// (`metadata.blitz.expect`, checked by the runner) and `value` must be kept with type `value_type`.
    fn run(&self, expected: &str, value_type: &str) -> Output {
        let probe = self.path("ws/probe");
        let notebook = json!({
            "cells": [
                // The report is printed by a cell of its own after the one adding the dependency, as a learner's
                // later cells are: such a cell is the one a stale cache entry would serve.
                {
                    "cell_type": "code", "id": "dep", "execution_count": null, "outputs": [],
                    "metadata": {},
                    "source": format!(
                        ":dep probe = {{ path = \"{}\" }}\nprintln!(\"probe added\");",
                        probe.display()
                    ),
                },
                {
                    "cell_type": "code", "id": "report", "execution_count": null, "outputs": [],
                    "metadata": {"blitz": {"expect": [expected]}},
                    "source": "println!(\"{}\", probe::report());",
                },
                {
                    "cell_type": "code", "id": "keep", "execution_count": null, "outputs": [],
                    "metadata": {"blitz": {"expect": [format!("kept {value_type}")]}},
                    "source": "let value = probe::NUMBER;\nprintln!(\"kept {}\", std::any::type_name_of_val(&value));",
                },
            ],
            "metadata": {
                "kernelspec": {"name": KERNEL, "display_name": "blitz sandbox", "language": "rust"},
                "language_info": {"name": "rust"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        });
        let path = self.path("notebooks/probe.ipynb");
        self.write("notebooks/probe.ipynb", &notebook.to_string());
        let mut command = xtask::runner::command();
        command
            .env("JUPYTER_PATH", self.path("jupyter"))
            .args(["--kernel", KERNEL])
            .arg(&path);
        let output = run_command(command, RUNNER_LIMIT);
        assert!(
            output.status.success(),
            "expected `{expected}` and `kept {value_type}`: {}",
            describe(&output)
        );
        output
    }

    /// The compiled-cell cache's entries.
    fn cell_entries(&self) -> Vec<PathBuf> {
        files(&self.path("cells"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "cell"))
            .collect()
    }

    /// The compiled-cell cache's entries with their inode numbers: an entry stored again gets a new one.
    fn cell_inodes(&self) -> Vec<(PathBuf, u64)> {
        use std::os::unix::fs::MetadataExt;
        self.cell_entries()
            .into_iter()
            .map(|path| {
                let inode = std::fs::metadata(&path).unwrap().ino();
                (path, inode)
            })
            .collect()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(files(&path));
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// probe's source: a number of type `number_type`, and a report of what the build saw. What a boxed slice's
/// `into_iter()` yields tells the edition: references (`&u8`) before 2024, values (`u8`) from 2024.
fn probe_source(number_type: &str, number: u32) -> String {
    format!(
        r#"#![allow(boxed_slice_into_iter)]

pub const NUMBER: {number_type} = {number};

cfg_if::cfg_if! {{
    if #[cfg(unix)] {{
        const FAMILY: &str = "unix";
    }} else {{
        const FAMILY: &str = "other";
    }}
}}

fn edition_item() -> &'static str {{
    fn name<T>(_: &T) -> &'static str {{
        std::any::type_name::<T>()
    }}
    let items: Box<[u8]> = Box::new([1]);
    let item = items.into_iter().next().unwrap();
    name(&item)
}}

pub fn report() -> String {{
    format!(
        "number={{NUMBER}} helper={{}} greeting={{}} item={{}} family={{FAMILY}}",
        helper::version(),
        helper::greeting(),
        edition_item()
    )
}}
"#
    )
}

/// Lines of the type cache that drop an entry: the kernel found a cached type wrong.
fn dropped_types(sandbox: &Sandbox) -> Vec<String> {
    std::fs::read_to_string(sandbox.path("types.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.contains("\"variables\""))
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_input_of_a_build_is_in_the_cache_keys() {
    let _kernel = kernel();
    let sandbox = Sandbox::new("cache-keys");
    let family = if cfg!(unix) { "unix" } else { "other" };
    let report = |number: u32, version: &str, greeting: &str, item: &str| {
        format!("number={number} helper={version} greeting={greeting} item={item} family={family}")
    };

    sandbox.run(&report(1, "0.1.0", "hello", "&u8"), "u32");
    let stored = sandbox.cell_inodes();
    assert_eq!(
        stored.len(),
        4,
        "the kernel must store its start-up cell and each of the 3 cells in {}",
        sandbox.path("cells").display()
    );
    // The same inputs again: every cell is served from the cache, the one adding the dependency too (its lock
    // file is put back), and nothing is stored again (so the cache is on, and the runs below that print new
    // results prove it missed).
    sandbox.run(&report(1, "0.1.0", "hello", "&u8"), "u32");
    assert_eq!(
        sandbox.cell_inodes(),
        stored,
        "unchanged inputs must be cache hits"
    );

    // A dependency's version, declared in the workspace's manifest and the dependency's own.
    sandbox.edit("ws/Cargo.toml", "=0.1.0", "=0.2.0");
    sandbox.edit(
        "ws/helper/Cargo.toml",
        "version = \"0.1.0\"",
        "version = \"0.2.0\"",
    );
    sandbox.run(&report(1, "0.2.0", "hello", "&u8"), "u32");

    // A dependency's features, in the workspace's manifest only.
    sandbox.edit(
        "ws/Cargo.toml",
        "version = \"=0.2.0\" }",
        "version = \"=0.2.0\", features = [\"loud\"] }",
    );
    sandbox.run(&report(1, "0.2.0", "HELLO", "&u8"), "u32");

    // The edition, in the workspace's manifest only.
    sandbox.edit("ws/Cargo.toml", "edition = \"2021\"", "edition = \"2024\"");
    sandbox.run(&report(1, "0.2.0", "HELLO", "u8"), "u32");

    // A file of the crate (the number and its type), and a file of the crate it depends on.
    sandbox.write("ws/probe/src/lib.rs", &probe_source("u64", 2));
    sandbox.edit("ws/helper/src/lib.rs", "\"HELLO\"", "\"HELLO!\"");
    sandbox.run(&report(2, "0.2.0", "HELLO!", "u8"), "u64");

    assert_eq!(
        dropped_types(&sandbox),
        Vec::<String>::new(),
        "a cached variable type was found wrong: the type cache's key missed a change"
    );
}

#[test]
fn a_cache_entry_that_cannot_be_used_is_a_miss() {
    let _kernel = kernel();
    let sandbox = Sandbox::new("cache-broken");
    let expected = format!(
        "number=1 helper=0.1.0 greeting=hello item=&u8 family={}",
        if cfg!(unix) { "unix" } else { "other" }
    );
    sandbox.run(&expected, "u32");

    // Break every compiled cell: every other one corrupt (same size, other bytes), the others unreadable (a folder
    // where the file was).
    let cells = sandbox.cell_entries();
    assert_eq!(
        cells.len(),
        4,
        "the kernel must store its start-up cell and each of the 3 cells"
    );
    for (n, entry) in cells.iter().enumerate() {
        if n % 2 == 0 {
            let size = std::fs::metadata(entry).unwrap().len() as usize;
            std::fs::write(entry, vec![0x5a; size]).unwrap();
        } else {
            std::fs::remove_file(entry).unwrap();
            std::fs::create_dir_all(entry.join("not-a-library")).unwrap();
        }
    }
    // Break every file evcxr's `:cache` stored (cfg-if's library and metadata), keeping its bookkeeping.
    let compile_cache = files(&sandbox.path("xdg/evcxr"));
    let mut broken = 0;
    for file in &compile_cache {
        let name = file.file_name().unwrap().to_string_lossy();
        if !["stderr", "meta", "hits", "sha256"].contains(&name.as_ref()) {
            let size = std::fs::metadata(file).unwrap().len() as usize;
            std::fs::write(file, vec![0x5a; size.max(1)]).unwrap();
            broken += 1;
        }
    }
    assert!(
        broken > 0,
        "evcxr's :cache stored nothing in {}",
        sandbox.path("xdg/evcxr").display()
    );
    // The kept build folder loses its compiled crates (not its lock file), so that cargo builds cfg-if again
    // through the broken `:cache`.
    for slot in std::fs::read_dir(sandbox.path("slots")).unwrap().flatten() {
        let target = slot.path().join("target");
        if target.is_dir() {
            std::fs::remove_dir_all(target).unwrap();
        }
    }

    sandbox.run(&expected, "u32");
}
