//! Running one answer's grading tests in a process of its own, with a time and a memory limit, so that an answer
//! that panics, aborts, loops forever or allocates without bound fails alone and never stops the grader.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The limits every answer runs under.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Wall-clock time for all the tests of one exercise.
    pub time: Duration,
    /// Address space the process may use, in MiB.
    pub memory_mib: u64,
    /// The language of the reasons (blitz's `BLITZ_LANG`).
    pub lang: &'static str,
}

/// At most this much of a test's output is kept (an answer may print in an endless loop).
const KEPT_OUTPUT: usize = 64 * 1024;

/// Runs the tests under `filter` in `binary`: `Ok(())` when they all pass, else the reason in plain words.
pub fn run(binary: &Path, filter: &str, limits: Limits) -> Result<(), String> {
    let mut command = Command::new(binary);
    command
        .args([filter, "--test-threads", "1"])
        // One thread per answer: several answers run side by side, one per core.
        .env("RAYON_NUM_THREADS", "1")
        .env("BLITZ_LANG", limits.lang)
        // Reasons are the panics' messages, without backtraces.
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let memory = limits.memory_mib * 1024 * 1024;
    // SAFETY: between fork and exec only async-signal-safe calls are made: setsid and setrlimit, which touch no
    // memory of the parent.
    unsafe {
        command.pre_exec(move || {
            libc::setsid();
            let limit = libc::rlimit {
                rlim_cur: memory,
                rlim_max: memory,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("the grader could not start the tests ({e})"))?;
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || keep_some(stdout));
    let err_reader = std::thread::spawn(move || keep_some(stderr));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > limits.time => {
                // The whole process group: threads and any child the answer started.
                // SAFETY: kill only sends a signal to the group the child leads (setsid above).
                unsafe {
                    libc::kill(-(child.id() as i32), libc::SIGKILL);
                }
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("the grader lost the test process ({e})")),
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(format!(
            "did not finish within {} s (an endless loop, or far too much work?)",
            limits.time.as_secs()
        ));
    };
    if status.success() {
        if stdout.contains("running 0 tests") {
            return Err("no grading test ran for this answer".into());
        }
        return Ok(());
    }
    if let Some(signal) = status.signal() {
        let both = format!("{stdout}\n{stderr}");
        return Err(if both.contains("memory allocation of") {
            format!(
                "used more memory than its limit ({} MiB)",
                limits.memory_mib
            )
        } else if both.contains("has overflowed its stack") {
            "overflowed its stack (a recursion that never ends?)".into()
        } else if signal == libc::SIGABRT {
            "aborted the process (signal 6, SIGABRT)".into()
        } else {
            format!("crashed the process (signal {signal})")
        });
    }
    Err(failure_reason(&stdout))
}

/// The reason a failing answer gets, from libtest's output: the message of its failing test named `check` (a
/// check's verdict: expected, found and the hint), else `<test>: <message>` of the first failing test that is more
/// than a bare `todo!()`, else "not done yet". The `thread ... panicked at` lines are left out.
pub fn failure_reason(stdout: &str) -> String {
    let failures = stdout.split("\n\nfailures:\n").nth(1).unwrap_or("");
    let failed: Vec<(String, String)> = failures
        .split("\n---- ")
        .skip(1)
        .map(|block| {
            let (header, body) = block.split_once('\n').unwrap_or((block, ""));
            let name = header.trim_end_matches(" stdout ----");
            let name = name.rsplit("::").next().unwrap_or(name).to_string();
            let message = body
                .lines()
                .filter(|l| !l.starts_with("thread '") && !l.starts_with("note: run with"))
                .map(str::trim_end)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            (name, message)
        })
        .collect();
    let bare_todo = |m: &str| m == "not yet implemented" || m.is_empty();
    let text =
        if let Some((_, message)) = failed.iter().find(|(n, m)| n == "check" && !bare_todo(m)) {
            message.clone()
        } else if let Some((name, message)) = failed.iter().find(|(_, m)| !bare_todo(m)) {
            format!("{name}: {message}")
        } else if failed.iter().any(|(_, m)| m == "not yet implemented") {
            "not done yet: the answer still reaches `todo!()`".to_string()
        } else {
            return "a grading test failed".into();
        };
    if text.chars().count() > 600 {
        format!("{}...", text.chars().take(600).collect::<String>())
    } else {
        text
    }
}

/// Reads a stream to its end, keeping the first [`KEPT_OUTPUT`] bytes.
fn keep_some(mut stream: impl Read) -> String {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        let room = KEPT_OUTPUT.saturating_sub(kept.len());
        kept.extend_from_slice(&buffer[..n.min(room)]);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_is_preferred_to_a_bare_todo() {
        let out = "running 2 tests\ntest l000::mse::grading::a ... FAILED\ntest l000::mse::grading::b ... FAILED\n\n\
                   failures:\n\n---- l000::mse::grading::a stdout ----\nthread 'a' panicked at src/x.rs:1:1:\n\
                   not yet implemented\n\n---- l000::mse::grading::check stdout ----\nthread 'b' panicked at src/x.rs:1:1:\n\n\
                   mse: not done yet. Your code still reaches `todo!()`.\n\n\nfailures:\n    l000::mse::grading::a\n";
        assert_eq!(
            failure_reason(out),
            "mse: not done yet. Your code still reaches `todo!()`."
        );
        let only_todo =
            "running 1 test\n\nfailures:\n\n---- a stdout ----\nthread 'a' panicked at x:\n\
                         not yet implemented\n\n\nfailures:\n    a\n";
        assert!(failure_reason(only_todo).contains("not done yet"));
    }

    #[test]
    fn the_reason_is_the_first_failures_message() {
        let out = "running 2 tests\ntest l000::mse::grading::a ... FAILED\n\nfailures:\n\n\
                   ---- l000::mse::grading::a stdout ----\nthread 'l000::mse::grading::a' panicked at src/x.rs:1:1:\n\n\
                   mse: not yet. The loss's value: expected [1.0000], found [2.0000].\nHint: subtract.\n\n\n\
                   failures:\n    l000::mse::grading::a\n";
        assert_eq!(
            failure_reason(out),
            "a: mse: not yet. The loss's value: expected [1.0000], found [2.0000].\nHint: subtract."
        );
    }
}
