//! What the end-to-end tests share: the kernel prepared once per test binary (built on a fresh machine, checked
//! in a second otherwise), one test at a time against it, and a notebook run with its output kept.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Holds the kernel for one test: prepares it the first time, and keeps other tests of this binary waiting, so
/// that two kernels never compete for the machine's two cores or for the shared type cache.
pub fn kernel() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    static PREPARED: OnceLock<Result<(), String>> = OnceLock::new();
    let guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let prepared =
        PREPARED.get_or_init(|| xtask::setup::prepare(false).map_err(|e| format!("{e:#}")));
    if let Err(why) = prepared {
        panic!("the kernel could not be prepared: {why}");
    }
    guard
}

/// A notebook under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    xtask::layout::test_fixtures_dir().join(relative)
}

/// Runs one notebook with the runner and returns what it printed and its exit status.
pub fn run_notebook(notebook: &Path) -> Output {
    xtask::runner::command()
        .arg(notebook)
        .output()
        .expect("the notebook runner starts (Python from the prepared environment)")
}

/// The runner's output as one readable text, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "exit {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
