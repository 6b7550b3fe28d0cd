//! The runner fails where it must: each notebook in `tests/fixtures/must-fail/` breaks in its cell 1 (after a
//! cell 0 that works), and the runner must fail, name that notebook and cell, and run nothing after it.

use blitz_tests::{describe, fixture, kernel, run_notebook};

fn fails_in_cell_1(name: &str) {
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
}

#[test]
fn a_panic_fails_the_notebook() {
    fails_in_cell_1("panics");
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
fn every_must_fail_fixture_has_its_test() {
    let tested = ["panics", "does-not-compile", "question-mark-error"];
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
