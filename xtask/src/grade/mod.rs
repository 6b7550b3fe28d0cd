//! `cargo xtask grade PATH...`: grades learners' notebooks (or exercise folders) for a whole class, against tests
//! they never saw (`tests/grading/`, or a teacher's folder with `--tests`), never changing what they handed in.
//!
//! Each answer cell is built in a scratch crate with the grading tests ([`class_crate`]); every answer's tests then
//! run in a process of their own under a time and a memory limit ([`sandbox`]), several at once. A notebook that
//! cannot be read, a missing or doubled answer cell, an answer that does not compile, panics, aborts, loops or
//! eats memory: each is a failing grade with its reason, and the rest of the class is still graded.

pub mod bench;
pub mod class_crate;
pub mod sandbox;
pub mod submissions;

use crate::{exercises, layout};
use anyhow::{Context, Result};
use class_crate::Job;
use sandbox::Limits;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use submissions::{Answer, Submission};

/// How a class is graded.
#[derive(Clone, Debug)]
pub struct Options {
    /// The grading tests: `<exercise>.rs` files (the project's `tests/grading/` by default).
    pub tests_dir: PathBuf,
    /// How many answers run at once.
    pub jobs: usize,
    /// Limits for each answer's tests.
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            tests_dir: layout::repo_root().join("tests/grading"),
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            limits: Limits {
                time: Duration::from_secs(60),
                memory_mib: 4096,
                lang: exercises::learner_language(),
            },
        }
    }
}

/// The grades of a class, as `--json` prints them.
#[derive(Debug, Serialize)]
pub struct Report {
    /// One entry per notebook or folder, in the order found.
    pub learners: Vec<LearnerReport>,
}

/// One learner's grade.
#[derive(Debug, Serialize)]
pub struct LearnerReport {
    /// The notebook or folder graded.
    pub file: String,
    /// Exercises passed.
    pub score: usize,
    /// Exercises graded.
    pub max: usize,
    /// Each exercise, in course order.
    pub exercises: Vec<ExerciseReport>,
}

/// One exercise of one learner.
#[derive(Debug, Serialize)]
pub struct ExerciseReport {
    /// The exercise's id.
    pub id: String,
    /// Whether every grading test passed.
    pub passed: bool,
    /// Why not (empty when passed).
    pub reason: String,
}

/// Grades every submission under `paths`.
pub fn grade(paths: &[PathBuf], options: &Options) -> Result<Report> {
    let root = layout::repo_root();
    let exercises = exercises::all(&root)?;
    let files = submissions::find(paths).map_err(anyhow::Error::msg)?;
    let submissions: Vec<Submission> = files
        .iter()
        .map(|f| submissions::read(f, &exercises))
        .collect();
    let mut jobs = Vec::new();
    for (learner, s) in submissions.iter().enumerate() {
        for (id, answer) in &s.answers {
            if let Answer::Code { code, place } = answer {
                jobs.push(Job {
                    learner,
                    exercise: id.clone(),
                    code: code.clone(),
                    place: place.clone(),
                });
            }
        }
    }
    let mut results: std::collections::BTreeMap<(usize, String), Result<(), String>> =
        Default::default();
    if !jobs.is_empty() {
        let work = layout::cache_dir().join("grade");
        std::fs::create_dir_all(&work)?;
        let _lock = Lock::take(&work.join("lock"))?;
        eprintln!(
            "==> building {} answers of {} learners with the grading tests in {}",
            jobs.len(),
            submissions.len(),
            options.tests_dir.display()
        );
        let start = Instant::now();
        let built = class_crate::build(
            &work.join("class"),
            &work.join("target"),
            &jobs,
            &options.tests_dir,
        )?;
        eprintln!("    built in {:.1} s", start.elapsed().as_secs_f64());
        for (key, reason) in &built.not_compiled {
            results.insert(key.clone(), Err(reason.clone()));
        }
        let to_run: Vec<&Job> = jobs
            .iter()
            .filter(|j| {
                !built
                    .not_compiled
                    .contains_key(&(j.learner, j.exercise.clone()))
            })
            .collect();
        let start = Instant::now();
        let ran = run_all(&built.test_binary, &to_run, options);
        eprintln!(
            "    ran {} answers in {:.1} s",
            to_run.len(),
            start.elapsed().as_secs_f64()
        );
        results.extend(ran);
    }
    let learners = submissions
        .iter()
        .enumerate()
        .map(|(learner, s)| {
            let exercises: Vec<ExerciseReport> = s
                .expected
                .iter()
                .map(|id| {
                    let outcome = match (&s.unreadable, s.answers.get(id)) {
                        (Some(reason), _) => Err(reason.clone()),
                        (None, Some(Answer::Invalid(reason))) => Err(reason.clone()),
                        (None, _) => results
                            .get(&(learner, id.clone()))
                            .cloned()
                            .unwrap_or_else(|| Err("not graded".into())),
                    };
                    ExerciseReport {
                        id: id.clone(),
                        passed: outcome.is_ok(),
                        reason: outcome.err().unwrap_or_default(),
                    }
                })
                .collect();
            LearnerReport {
                file: s.file.display().to_string(),
                score: exercises.iter().filter(|e| e.passed).count(),
                max: exercises.len(),
                exercises,
            }
        })
        .collect();
    Ok(Report { learners })
}

/// Runs every answer's tests, `options.jobs` at a time, showing progress on a terminal.
fn run_all(
    binary: &Path,
    jobs: &[&Job],
    options: &Options,
) -> Vec<((usize, String), Result<(), String>)> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let terminal = std::io::stderr().is_terminal();
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else {
                    break;
                };
                let outcome = sandbox::run(binary, &job.test_path(), options.limits);
                results
                    .lock()
                    .expect("no thread panics holding it")
                    .push(((job.learner, job.exercise.clone()), outcome));
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                if terminal {
                    eprint!("\r    graded {n}/{}", jobs.len());
                }
            });
        }
    });
    if terminal {
        eprintln!();
    }
    results.into_inner().expect("no thread panicked")
}

/// The report as a table per learner.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    for learner in &report.learners {
        out += &format!("{}  {}/{}\n", learner.file, learner.score, learner.max);
        for e in &learner.exercises {
            let mark = if e.passed { "pass" } else { "FAIL" };
            let reason = e.reason.lines().next().unwrap_or_default();
            out += &format!("  {mark}  {:<18} {reason}\n", e.id);
        }
    }
    let total: usize = report.learners.iter().map(|l| l.score).sum();
    let max: usize = report.learners.iter().map(|l| l.max).sum();
    out += &format!(
        "{} learners, {total} of {max} exercises passed\n",
        report.learners.len()
    );
    out
}

/// `cargo xtask grade`: grades and prints the table, or JSON with `json`.
pub fn command(paths: &[PathBuf], options: &Options, json: bool) -> Result<()> {
    let report = grade(paths, options)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report));
    }
    Ok(())
}

/// An exclusive lock on a file, held while a class is built and run in the shared scratch folder; closing the
/// file (dropping the lock) releases it.
struct Lock {
    _file: std::fs::File,
}

impl Lock {
    fn take(path: &Path) -> Result<Lock> {
        use std::os::unix::io::AsRawFd;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        // SAFETY: flock on a file descriptor this struct owns; it is released when the file closes.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(std::io::Error::last_os_error())
                .with_context(|| format!("cannot lock {}", path.display()));
        }
        Ok(Lock { _file: file })
    }
}
