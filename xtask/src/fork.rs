//! The kernel binary: evcxr_jupyter at the pinned version, built from its crates.io sources with blitz's patch
//! (`kernel/evcxr-patch/`), which remembers the variable types rust-analyzer inferred and the libraries cells
//! compiled to, so that a lesson opened again runs without rust-analyzer and without compiling its cells (see
//! `kernel/evcxr-patch/README.md` for why and what it measured).
//!
//! The sources come from cargo itself (`cargo metadata` on a manifest that depends on the pinned version, so they
//! are downloaded and checked like any dependency), are copied under `~/.cache/blitz/evcxr-fork/`, patched, and
//! built with evcxr_jupyter's own `Cargo.lock` (its rust-analyzer crates only build at the versions it pins).
//! Each version of the patch gets a folder of its own, named by a hash of the patch (`builds/<stamp>/`: its
//! sources and binary), so that clones or branches with different patches on one machine each keep their kernel
//! instead of rebuilding over each other's; the step is free when that folder has its binary. The cargo target
//! directory is shared by all of them, so a new patch only recompiles evcxr and evcxr_jupyter (the
//! rust-analyzer crates they use are compiled once).

use crate::layout::{self, fork_dir};
use crate::process::{cargo, run_step};
use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The files of the patch, in `kernel/evcxr-patch/`: unified diffs against evcxr's sources (its manifest gains
/// the `sha2` crate for stable cache keys), diffs against evcxr_jupyter's, and new files of evcxr.
const DIFFS: &[(&str, &str)] = &[
    ("Cargo.toml.patch", "Cargo.toml"),
    ("eval_context.rs.patch", "src/eval_context.rs"),
    ("lib.rs.patch", "src/lib.rs"),
    ("cache.rs.patch", "src/module/cache.rs"),
    ("module.rs.patch", "src/module.rs"),
    ("rust_analyzer.rs.patch", "src/rust_analyzer.rs"),
    ("command_context.rs.patch", "src/command_context.rs"),
    ("runtime.rs.patch", "src/runtime.rs"),
    ("child_process.rs.patch", "src/child_process.rs"),
];
const JUPYTER_DIFFS: &[(&str, &str)] = &[("jupyter-core.rs.patch", "src/core.rs")];
const NEW_FILES: &[(&str, &str)] = &[
    ("type_cache.rs", "src/type_cache.rs"),
    ("cell_cache.rs", "src/cell_cache.rs"),
    ("direct_build.rs", "src/direct_build.rs"),
    ("shared_libraries.rs", "src/shared_libraries.rs"),
    ("analyzer_warm_up.rs", "src/analyzer_warm_up.rs"),
    ("learner_messages.rs", "src/learner_messages.rs"),
];
/// blitz's messages, copied from the repository into evcxr's sources: the kernel's own messages to a learner are
/// among them, translated with the others (`learner_messages.rs`).
const FROM_THE_REPOSITORY: &[(&str, &str)] = &[
    (
        "crate/src/messages/english.rs",
        "src/blitz_messages_english.rs",
    ),
    (
        "crate/src/messages/translated.rs",
        "src/blitz_messages_translated.rs",
    ),
];

/// The evcxr_jupyter version the course is tested with.
pub const EVCXR_VERSION: &str = "0.22.0";

fn patch_dir() -> PathBuf {
    layout::evcxr_patch_dir()
}

/// The patch's new source files (not diffs), in the repository.
pub fn new_files() -> Vec<PathBuf> {
    NEW_FILES
        .iter()
        .map(|(file, _)| patch_dir().join(file))
        .collect()
}

/// A hash of everything that decides the binary: the pinned version, every patch file and blitz's messages.
fn stamp() -> Result<String> {
    let mut hash = Sha256::new();
    hash.update(EVCXR_VERSION);
    let patch_files = DIFFS
        .iter()
        .chain(JUPYTER_DIFFS)
        .chain(NEW_FILES)
        .map(|(file, _)| patch_dir().join(file));
    let copied = FROM_THE_REPOSITORY
        .iter()
        .map(|(file, _)| layout::repo_root().join(file));
    for path in patch_files.chain(copied) {
        hash.update(
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
        );
    }
    Ok(format!("{:x}", hash.finalize()))
}

/// The folder of the build of the current patch: `src/` (evcxr's sources, patched) and `bin/`.
fn build_dir(stamp: &str) -> PathBuf {
    fork_dir().join("builds").join(&stamp[..16])
}

/// The patched evcxr_jupyter for the patch in this clone (built by [`ensure`]); the kernelspec starts it.
pub fn binary() -> Result<PathBuf> {
    Ok(build_dir(&stamp()?).join("bin/evcxr_jupyter"))
}

/// Builds the patched evcxr_jupyter unless the binary for this exact patch is already there.
pub fn ensure() -> Result<()> {
    let stamp = stamp()?;
    let dir = build_dir(&stamp);
    let binary = binary()?;
    if binary.exists() {
        eprintln!("==> evcxr_jupyter {EVCXR_VERSION} with blitz's patch: already built");
        return Ok(());
    }
    let (evcxr, jupyter) = fetch_sources()?;
    let sources = dir.join("src");
    if sources.exists() {
        std::fs::remove_dir_all(&sources)
            .with_context(|| format!("cannot empty {}", sources.display()))?;
    }
    copy_dir(&evcxr, &sources.join("evcxr"))?;
    copy_dir(&jupyter, &sources.join("evcxr_jupyter"))?;
    apply_diffs(&sources.join("evcxr"), "evcxr", DIFFS)?;
    apply_diffs(
        &sources.join("evcxr_jupyter"),
        "evcxr_jupyter",
        JUPYTER_DIFFS,
    )?;
    for (file, target) in NEW_FILES {
        std::fs::copy(patch_dir().join(file), sources.join("evcxr").join(target))
            .with_context(|| format!("cannot copy {file} into evcxr's sources"))?;
    }
    for (file, target) in FROM_THE_REPOSITORY {
        std::fs::copy(
            layout::repo_root().join(file),
            sources.join("evcxr").join(target),
        )
        .with_context(|| format!("cannot copy {file} into evcxr's sources"))?;
    }
    // evcxr_jupyter builds against the patched evcxr instead of the registry's.
    let manifest = sources.join("evcxr_jupyter/Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)?;
    text.push_str("\n[patch.crates-io]\nevcxr = { path = \"../evcxr\" }\n");
    std::fs::write(&manifest, text)?;

    let mut build = cargo(&["build", "--release", "--manifest-path"]);
    build
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", fork_dir().join("target"));
    run_step(
        &format!(
            "build evcxr_jupyter {EVCXR_VERSION} with blitz's patch (about 7 minutes on 2 cores the first time, \
             about 2 for a new patch)"
        ),
        build,
    )?;
    let built = fork_dir().join("target/release/evcxr_jupyter");
    let bin = binary.parent().expect("bin/ has a parent");
    std::fs::create_dir_all(bin)?;
    // Copied under another name, then renamed: a kernel never starts a half-written binary.
    let partial = bin.join("evcxr_jupyter.partial");
    std::fs::copy(&built, &partial)
        .and_then(|_| std::fs::rename(&partial, &binary))
        .with_context(|| format!("cannot copy {} to {}", built.display(), binary.display()))?;
    Ok(())
}

/// The unit tests of the patched evcxr (upstream's and those of the patch's new files), run in the build of
/// [`ensure`] (about 15 s once that is built).
pub fn unit_tests() -> Result<std::process::Command> {
    let manifest = build_dir(&stamp()?).join("src/evcxr/Cargo.toml");
    let mut test = cargo(&["test", "--release", "--lib", "--manifest-path"]);
    test.arg(manifest)
        .env("CARGO_TARGET_DIR", fork_dir().join("target"));
    Ok(test)
}

/// The source folders of evcxr and evcxr_jupyter at the pinned version, downloaded by cargo if needed.
fn fetch_sources() -> Result<(PathBuf, PathBuf)> {
    let dir = fork_dir().join("fetch");
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch-evcxr\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nevcxr_jupyter = \"={EVCXR_VERSION}\"\nevcxr = \"={EVCXR_VERSION}\"\n\n[workspace]\n"
        ),
    )?;
    std::fs::write(dir.join("src/lib.rs"), "")?;
    eprintln!("==> download the sources of evcxr {EVCXR_VERSION} (cargo metadata)");
    let output = cargo(&["metadata", "--format-version", "1", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .output()
        .context("could not run `cargo metadata`: is Rust installed (https://rustup.rs)?")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` could not download evcxr {EVCXR_VERSION}: {}\nIs crates.io reachable?",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let source = |name: &str| -> Result<PathBuf> {
        metadata["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == name && p["version"] == EVCXR_VERSION)
            .and_then(|p| p["manifest_path"].as_str())
            .and_then(|m| Path::new(m).parent().map(Path::to_path_buf))
            .with_context(|| format!("`cargo metadata` did not list {name} {EVCXR_VERSION}"))
    };
    Ok((source("evcxr")?, source("evcxr_jupyter")?))
}

/// Applies diffs from `kernel/evcxr-patch/` to a copy of `krate`'s sources; a hunk that does not apply names its
/// file.
fn apply_diffs(sources: &Path, krate: &str, diffs: &[(&str, &str)]) -> Result<()> {
    for (diff, target) in diffs {
        let diff_path = patch_dir().join(diff);
        let diff_text = std::fs::read_to_string(&diff_path)
            .with_context(|| format!("cannot read {}", diff_path.display()))?;
        let patch = diffy::Patch::from_str(&diff_text)
            .with_context(|| format!("{} is not a unified diff", diff_path.display()))?;
        let path = sources.join(target);
        let base = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let patched = diffy::apply(&base, &patch).with_context(|| {
            format!(
                "{} does not apply to {krate} {EVCXR_VERSION}'s {target}: regenerate it against that version",
                diff_path.display()
            )
        })?;
        std::fs::write(&path, patched)?;
    }
    Ok(())
}

/// Copies a source folder (files and sub-folders; cargo's registry folders hold nothing else).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_patch_file_is_a_unified_diff() {
        for (diff, _) in DIFFS.iter().chain(JUPYTER_DIFFS) {
            let text = std::fs::read_to_string(patch_dir().join(diff)).unwrap();
            let patch = diffy::Patch::from_str(&text).unwrap();
            assert!(!patch.hunks().is_empty(), "{diff} has no hunks");
        }
    }
}
