//! `cargo xtask test`: everything that proves the project, in the order that fails fastest: formatting, lints,
//! documentation, the kernel patch's unit tests, then `cargo test` over the workspace, which runs the crate's
//! tests, the tool's own tests and the end-to-end proofs in `tests/` (the notebooks match the lessons, the
//! translations are complete, the runner fails where it must, every notebook executes with the real kernel, the
//! book builds and works in a real browser, its PDFs have no missing glyphs).

use crate::fork;
use crate::process::{cargo, ensure_system_tool, run_step};
use anyhow::Result;
use std::process::Command;

/// Runs the whole suite; the first failing step stops it and says why.
pub fn run() -> Result<()> {
    run_step(
        "cargo fmt --check",
        cargo(&["fmt", "--all", "--", "--check"]),
    )?;
    // The new files of blitz's evcxr patch are compiled in evcxr's own build, not in this workspace.
    let mut patch_fmt = Command::new("rustfmt");
    patch_fmt
        .args(["--edition", "2024", "--check"])
        .args(fork::new_files());
    run_step("rustfmt --check kernel/evcxr-patch/", patch_fmt)?;
    run_step(
        "cargo clippy",
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--release",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let mut doc = cargo(&["doc", "--no-deps", "-p", "blitz", "--release"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    run_step("cargo doc (every public item documented)", doc)?;
    fork::ensure()?;
    run_step(
        "evcxr's unit tests with blitz's patch (kernel/evcxr-patch/)",
        fork::unit_tests()?,
    )?;
    ensure_system_tool("msgfmt", "gettext")?;
    run_step(
        "cargo test (the crate, the tool, and the end-to-end proofs in tests/)",
        // The exercises' own tests fail until a learner solves them: tests/e2e/exercises.rs proves instead that
        // every starting point fails for the right reason and every solution passes.
        cargo(&[
            "test",
            "--workspace",
            "--release",
            "--exclude",
            "blitz-exercises",
        ]),
    )?;
    eprintln!("All tests passed.");
    Ok(())
}
