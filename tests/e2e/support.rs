//! What the end-to-end tests share: the kernel prepared once per test binary (built on a fresh machine, checked
//! in a second otherwise), one test at a time against it, and a notebook run with its output kept.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

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
    run_runner(&[notebook.as_os_str()], RUNNER_LIMIT)
}

/// How long one runner process may take in a test before it is killed and the test fails: a first kernel
/// compiles blitz into a fresh build folder (about a minute here), a fixture's cells take seconds.
pub const RUNNER_LIMIT: Duration = Duration::from_secs(15 * 60);

/// Runs the runner with `args` (options and notebooks), killing it and failing the test if it is still running
/// after `limit`: a runner that hangs fails the test instead of hanging the suite.
pub fn run_runner(args: &[&OsStr], limit: Duration) -> Output {
    let mut command = xtask::runner::command();
    command.args(args);
    run_command(command, limit)
}

/// Runs a runner command (options, notebooks and environment already set), killing it and failing the test if it
/// is still running after `limit`.
pub fn run_command(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the notebook runner starts (Python from the prepared environment)");
    // Read both pipes on their own threads, so a chatty runner never blocks on a full pipe.
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the runner can be waited for") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the runner was still running after {} s and was killed: {:?}",
                limit.as_secs(),
                command.get_args().collect::<Vec<_>>()
            );
        }
        thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
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
