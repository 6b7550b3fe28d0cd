//! The steps the tool runs, each a child process with its progress shown.

use crate::{kernel, notebooks, translations};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The repository root (the parent of `kernel/`).
///
/// Read when the tool runs (`cargo run` sets `CARGO_MANIFEST_DIR`), not when it was compiled: the build is shared
/// by every clone through the cache target directory, so a binary built in one clone may run in another.
pub fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .expect("kernel/ has a parent directory")
        .to_path_buf()
}

/// The cargo target directory shared by every build of the project, kept outside the clone.
pub fn cache_target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    home_dir().join(".cache/blitz/target")
}

/// The user's home directory, from `$HOME`.
pub fn home_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

/// A `cargo` command run from the repository root with the shared target directory.
pub fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .current_dir(repo_root())
        .env("CARGO_TARGET_DIR", cache_target_dir());
    cmd
}

/// Runs one named step, printing its name before and its duration after; fails if the step fails.
pub fn run_step(name: &str, mut cmd: Command) -> Result<()> {
    eprintln!("==> {name}");
    let start = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("could not start the step `{name}`"))?;
    if !status.success() {
        bail!("step `{name}` failed ({status}); its output above says why");
    }
    eprintln!("    {name}: ok in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// `cargo xtask test`: the whole suite.
pub fn test() -> Result<()> {
    run_step(
        "cargo fmt --check",
        cargo(&["fmt", "--all", "--", "--check"]),
    )?;
    // The new files of blitz's evcxr patch are compiled in evcxr's own build, not in this workspace.
    let mut patch_fmt = Command::new("rustfmt");
    patch_fmt
        .args(["--edition", "2024", "--check"])
        .args(crate::evcxr_fork::new_files());
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
    run_step("cargo test", cargo(&["test", "--workspace", "--release"]))?;
    check_translations()?;
    notebooks(true, false)?;
    kernel::prepare(false)?;
    kernel::check_runner_fails_on_errors()?;
    kernel::check_stale_type_cache_recovers()?;
    kernel::run_notebooks(&kernel::all_notebooks()?, None)?;
    eprintln!("All tests passed.");
    Ok(())
}

/// `cargo xtask translations`: update the PO files from the lessons, or show their status, or start a language.
pub fn translations(status: bool, add: Option<String>) -> Result<()> {
    let root = repo_root();
    let lessons = notebooks::load_lessons(&root.join("lessons"))?;
    let current = translations::all_entries(&root, &lessons)?;
    if let Some(lang) = add {
        if !translations::LANGUAGES.contains(&lang.as_str()) {
            bail!(
                "`{lang}` is not one of the course's languages: {}",
                translations::LANGUAGES.join(", ")
            );
        }
        translations::update(&root, &current, &[lang.as_str()])?;
    } else if !status {
        translations::update(&root, &current, &translations::present_languages(&root))?;
    }
    if !status {
        translations::write_crate_translations(&root)?;
    }
    print!("{}", translations::status_table(&root, &current)?);
    Ok(())
}

/// Fails listing every translation problem (out of step, fuzzy, missing, glossary) of every started language.
pub fn check_translations() -> Result<()> {
    let root = repo_root();
    let lessons = notebooks::load_lessons(&root.join("lessons"))?;
    let current = translations::all_entries(&root, &lessons)?;
    let mut problems = Vec::new();
    for lang in translations::present_languages(&root) {
        problems.extend(translations::problems(&root, &current, lang)?);
    }
    let generated = root.join(translations::crate_messages::TRANSLATED);
    if std::fs::read_to_string(&generated).ok() != Some(translations::crate_translations(&root)?) {
        problems.push(format!(
            "{} is out of step with translations/: run `cargo xtask translations` to regenerate it",
            translations::crate_messages::TRANSLATED
        ));
    }
    if !problems.is_empty() {
        bail!(
            "the translations are not complete:\n  {}\n(`cargo xtask translations --status` shows the totals)",
            problems.join("\n  ")
        );
    }
    eprintln!(
        "==> translations: complete for {}",
        translations::present_languages(&root).join(", ")
    );
    Ok(())
}

/// `cargo xtask notebooks`: regenerate (or, with `check`, compare) every notebook: English, and each started
/// language with its translations (a missing or fuzzy message falls back to English and is reported).
pub fn notebooks(check: bool, force: bool) -> Result<()> {
    let root = repo_root();
    let lessons = notebooks::load_lessons(&root.join("lessons"))?;
    let out = root.join("notebooks");
    let mut stale = Vec::new();
    let mut refused = Vec::new();
    let mut languages: Vec<(String, Vec<notebooks::Lesson>)> = vec![("en".into(), lessons.clone())];
    for lang in translations::present_languages(&root) {
        let catalog = translations::load(&root, lang)?;
        let (translated, fallbacks) = translations::translate(&lessons, &catalog);
        if !fallbacks.is_empty() {
            eprintln!(
                "    {lang}: {} message(s) not translated yet are shown in English",
                fallbacks.len()
            );
        }
        languages.push((lang.to_string(), translated));
    }
    let count = languages.len();
    for (lang, lessons) in &languages {
        let report = notebooks::write_all(lessons, lang, &out, check, force)?;
        for path in &report.written {
            if check {
                stale.push(path.clone());
            } else {
                eprintln!("    wrote {}", path.display());
            }
        }
        refused.extend(report.refused);
    }
    if !refused.is_empty() {
        let list: Vec<String> = refused
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect();
        bail!(
            "these notebooks were executed or edited since they were generated, so they were left alone:\n{}\n\
             Save your work under another name (File > Save Notebook As...), or run `cargo xtask notebooks --force` \
             to replace them with the lesson as written.",
            list.join("\n")
        );
    }
    if !stale.is_empty() {
        let list: Vec<String> = stale.iter().map(|p| format!("  {}", p.display())).collect();
        bail!(
            "these notebooks do not match lessons/:\n{}\nRun `cargo xtask notebooks` and commit the result.",
            list.join("\n")
        );
    }
    eprintln!(
        "==> notebooks: {} lesson(s) x {count} language(s) up to date",
        lessons.len()
    );
    Ok(())
}

/// `cargo xtask setup`: everything a learner needs, then JupyterLab on the lessons.
pub fn setup(open: bool) -> Result<()> {
    notebooks(false, false)?;
    kernel::prepare(true)?;
    eprintln!("==> warming the kernel's compile cache by running the first lesson (slow only the first time)");
    if let Some(first) = kernel::english_notebooks()?.into_iter().next() {
        let executed = home_dir().join(".cache/blitz/executed");
        kernel::run_notebooks(&[first], Some(&executed))?;
    }
    if open {
        kernel::open_lab()?;
    }
    Ok(())
}
