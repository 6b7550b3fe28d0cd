//! The runner fails where it must: each notebook in `tests/fixtures/must-fail/` breaks in its cell 1 (after a
//! cell 0 that works), or is not a notebook at all, and the runner must fail, name that notebook and what is
//! wrong, and run nothing after it; the other notebooks of the same run still run.

use blitz_tests::{describe, fixture, kernel, run_notebook, run_runner, RUNNER_LIMIT};
use std::process::Output;
use std::time::Duration;

fn fails_in_cell_1(name: &str) -> Output {
    let _kernel = kernel();
    let notebook = fixture(&format!("must-fail/{name}.ipynb"));
    let output = run_notebook(&notebook);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !output.status.success(),
        "{name}: the runner passed a broken notebook\n{}",
        describe(&output)
    );
    assert!(
        stderr.contains(&format!("FAILED {}: cell 1", notebook.display())),
        "{name}: the runner did not name cell 1\n{}",
        describe(&output)
    );
    assert!(
        !stdout.contains("cell   2 ok"),
        "{name}: the runner went on after the failing cell\n{}",
        describe(&output)
    );
    output
}

/// A file that is not a notebook fails with exactly one line naming it and what is wrong, and no Python
/// traceback, before any kernel starts.
fn fails_as_a_file(name: &str, why: &str) {
    // The runner needs the prepared Python environment, not a kernel; holding the lock keeps the output apart.
    let _kernel = kernel();
    let notebook = fixture(&format!("must-fail/{name}.ipynb"));
    let output = run_notebook(&notebook);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{name}: the runner must fail with status 1\n{}",
        describe(&output)
    );
    let failed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("FAILED "))
        .collect();
    assert_eq!(
        failed,
        [format!("FAILED {}: {why}", notebook.display())],
        "{name}: expected one line saying what is wrong\n{}",
        describe(&output)
    );
    assert!(
        !stderr.contains("Traceback (most recent call last)"),
        "{name}: the runner showed a Python traceback\n{}",
        describe(&output)
    );
    assert!(
        stderr
            .trim_end()
            .ends_with(&format!("1 of 1 notebooks failed: {}", notebook.display())),
        "{name}: the last line must count the failures\n{}",
        describe(&output)
    );
}

/// The kernel itself reports the panic as the cell's error (JupyterLab shows the cell failed), not only its message
/// on stderr, and names the line of the cell where it happened.
#[test]
fn a_panic_fails_the_notebook() {
    let output = fails_in_cell_1("panics");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cell 1 (`let v: Vec<i32> = Vec::new();`): The cell panicked at its line 2 (the message is above"),
        "the kernel did not report the panic as the cell's error\n{}",
        describe(&output)
    );
    assert!(
        stderr.contains("index out of bounds"),
        "{}",
        describe(&output)
    );
    // The kernelspec sets RUST_BACKTRACE=0: the panic's message and place, not the kernel runtime's frames.
    assert!(
        !stderr.contains("stack backtrace:"),
        "{}",
        describe(&output)
    );
}

/// A learner's slip that panics (`.grad().unwrap()` of a tensor without gradient) fails its cell, and the next
/// cell still has the tensor and the string made before it; only what the panicking cell defined is gone.
#[test]
fn a_panic_keeps_the_earlier_variables() {
    let _kernel = kernel();
    let notebook = fixture("must-pass/panic-keeps-variables.ipynb");
    let output = run_notebook(&notebook);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", describe(&output));
    for line in [
        "cell   1 failed as expected",
        // `Grad::unwrap` names its caller's line, as `Option::unwrap` does.
        "The cell panicked at its line 4",
        "cell   2 ok",
        "cell   3 failed as expected",
        "cannot find value `lost`",
    ] {
        assert!(
            stdout.contains(line),
            "`{line}` missing\n{}",
            describe(&output)
        );
    }
}

/// What blitz keeps for the process crosses cells (evcxr links a copy of blitz into every cell, and a value runs the
/// code of the cell that built it): a `Sequential` built in one cell gives the same summary rows in a later cell as
/// one built there, records no graph under a later cell's `no_grad`, draws the next numbers after a later cell's
/// `manual_seed`, and its error is shown in the language a later cell chose. Each cell's `metadata.blitz.expect`
/// holds what it must print; the runner fails the notebook on the first one missing.
#[test]
fn blitz_state_crosses_cells() {
    every_cell_passes("must-pass/state-across-cells.ipynb", 7);
}

/// An edited cell may be built by rustc alone, with the command cargo ran for the cell before (the kernel patch's
/// `direct_build.rs`), but never with stale inputs: a path dependency changed under the kernel between two cells
/// is rebuilt, and the cell after the change prints the new result (then the direct build resumes).
#[test]
fn a_dependency_changed_between_cells_is_rebuilt() {
    every_cell_passes("must-pass/edited-dependency.ipynb", 6);
}

/// A shared library the notebook links against (blitz is one, kernel/evcxr-patch/shared_libraries.rs) that is
/// rebuilt while the kernel's process holds the old build: the next cell is not run against the old one, and its
/// error tells the learner to restart the kernel.
#[test]
fn a_shared_library_rebuilt_under_the_kernel_asks_for_a_restart() {
    every_cell_passes("must-pass/rebuilt-shared-library.ipynb", 5);
}

/// A learner's mistakes between working cells: a compile error (reported from rustc's own diagnostics when the cell
/// is built without cargo, the kernel patch's `direct_build.rs`), a final expression evcxr cannot display directly
/// (built a second time with `{:?}`), a type error in a new variable; the earlier variables survive each, and the
/// variable that did not compile is not kept.
#[test]
fn mistakes_between_cells_are_reported_and_change_nothing() {
    every_cell_passes("must-pass/mistakes-between-cells.ipynb", 6);
}

/// The kernel's own messages (here: a panic) are in the language blitz uses in the notebook (`set_language`), from
/// blitz's translated catalog (kernel/evcxr-patch/learner_messages.rs).
#[test]
fn the_kernels_messages_are_in_the_notebooks_language() {
    every_cell_passes("must-pass/panic-in-japanese.ipynb", 3);
}

/// Runs the fixture `name` and fails unless the runner passed it with all `cells` code cells run (each cell's
/// `metadata.blitz.expect` holds what it must print).
fn every_cell_passes(name: &str, cells: usize) {
    let _kernel = kernel();
    let notebook = fixture(name);
    let output = run_notebook(&notebook);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", describe(&output));
    assert!(
        stdout.contains(&format!("{}: {cells} code cells ok", notebook.display())),
        "not every cell ran\n{}",
        describe(&output)
    );
}

/// JupyterLab shows each cell's `execution_count`: the first cell a kernel runs is `[1]`, the next `[2]` (evcxr
/// 0.22 started at `[2]`). Read from the executed copy the runner writes (nbclient fills the counts in).
#[test]
fn cells_are_counted_from_1() {
    let _kernel = kernel();
    let notebook = fixture("must-pass/stale-type-cache.ipynb");
    let executed = std::env::temp_dir().join(format!("blitz-counts-{}", std::process::id()));
    let output = run_runner(
        &[
            "--executed-dir".as_ref(),
            executed.as_os_str(),
            notebook.as_os_str(),
        ],
        RUNNER_LIMIT,
    );
    assert!(output.status.success(), "{}", describe(&output));
    let copy = executed.join("must-pass/stale-type-cache.ipynb");
    let text = std::fs::read_to_string(&copy).expect("the runner writes the executed copy");
    let _ = std::fs::remove_dir_all(&executed);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let counts: Vec<Option<u64>> = json["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|cell| cell["cell_type"] == "code")
        .map(|cell| cell["execution_count"].as_u64())
        .collect();
    assert_eq!(
        counts,
        [Some(1), Some(2)],
        "the code cells' execution counts in {}",
        copy.display()
    );
}

#[test]
fn a_compile_error_fails_the_notebook() {
    fails_in_cell_1("does-not-compile");
}

#[test]
fn an_error_returned_with_question_mark_fails_the_notebook() {
    fails_in_cell_1("question-mark-error");
}

#[test]
fn an_abort_is_reported_as_the_death_of_the_process_in_its_cell() {
    let output = fails_in_cell_1("aborts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cell 1 (`println!(\"about to abort\");`): the process running the code died in this cell (signal: 6 (SIGABRT): an abort"),
        "the runner did not say the process died in cell 1\n{}",
        describe(&output)
    );
    assert!(
        stderr.contains("without the variables defined so far"),
        "{}",
        describe(&output)
    );
}

/// After an abort the kernel starts a new process and later cells run (without the earlier variables): the
/// fixture marks the aborting cell and the cell that misses the lost variable `metadata.blitz.expect_error`.
/// The runner gets a short cell timeout, and the test a deadline, so a hanging kernel fails instead of hanging.
#[test]
fn the_kernel_comes_back_after_an_abort() {
    let _kernel = kernel();
    let notebook = fixture("must-pass/kernel-survives-abort.ipynb");
    let output = run_runner(
        &["--timeout".as_ref(), "300".as_ref(), notebook.as_os_str()],
        Duration::from_secs(10 * 60),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", describe(&output));
    for line in [
        "cell   1 failed as expected",
        "SIGABRT",
        "cell   2 ok",
        "cell   3 failed as expected",
        "cannot find value `before_abort`",
        "4 code cells ok (2 of them failed, as expected)",
    ] {
        assert!(
            stdout.contains(line),
            "`{line}` missing\n{}",
            describe(&output)
        );
    }
}

#[test]
fn a_file_that_is_not_json_fails_in_one_line() {
    fails_as_a_file(
        "not-json",
        "not valid JSON (line 3, column 24: Expecting ',' delimiter)",
    );
}

#[test]
fn json_that_is_not_a_notebook_fails_in_one_line() {
    fails_as_a_file(
        "not-nbformat",
        "not a Jupyter notebook: the JSON lacks \"nbformat\" or \"cells\" (found: title)",
    );
}

/// Broken files before and after a valid notebook: the valid one still runs and passes, and the exit status and
/// the last line count the failures.
#[test]
fn broken_files_do_not_stop_the_other_notebooks() {
    let _kernel = kernel();
    let (broken, valid, also_broken) = (
        fixture("must-fail/not-json.ipynb"),
        fixture("must-pass/stale-type-cache.ipynb"),
        fixture("must-fail/not-nbformat.ipynb"),
    );
    let output = run_runner(
        &[
            broken.as_os_str(),
            valid.as_os_str(),
            also_broken.as_os_str(),
        ],
        RUNNER_LIMIT,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stdout.contains(&format!("{}: 2 code cells ok", valid.display())),
        "the valid notebook did not run\n{}",
        describe(&output)
    );
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("2 of 3 notebooks failed: "),
        "the last line must count the failures\n{}",
        describe(&output)
    );
    assert!(
        !stderr.contains("Traceback (most recent call last)"),
        "{}",
        describe(&output)
    );
}

#[test]
fn every_must_fail_fixture_has_its_test() {
    let tested = [
        "panics",
        "does-not-compile",
        "question-mark-error",
        "aborts",
        "not-json",
        "not-nbformat",
    ];
    for entry in std::fs::read_dir(fixture("must-fail")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(
            tested.contains(&name.as_str()),
            "{} has no test in tests/e2e/runner.rs",
            path.display()
        );
    }
}
