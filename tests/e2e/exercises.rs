//! The exercises grade themselves, and the grader grades a class: every starting point fails because it is not
//! done yet and every reference solution passes — as files and as notebooks, in every language — and learners'
//! notebooks that are right, wrong, do not compile, panic, loop, eat memory, abort, are not JSON, or have a
//! missing or doubled answer cell get the grade and the reason they should, without stopping the rest.

use blitz_tests::{kernel, run_notebook};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use xtask::grade::{self, LearnerReport, Options, Report};

fn root() -> PathBuf {
    xtask::layout::repo_root()
}

/// A fresh folder under the target directory for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/exercises-test").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn options() -> Options {
    let mut options = Options::default();
    options.limits.lang = "en";
    options.limits.time = Duration::from_secs(20);
    options.limits.memory_mib = 2048;
    options
}

/// A copy of `notebook` with each answer cell's code replaced by `answer(id, code)`.
fn with_answers(notebook: &Path, out: &Path, answer: impl Fn(&str, &str) -> String) {
    let mut nb: Value = serde_json::from_str(&fs::read_to_string(notebook).unwrap()).unwrap();
    for cell in nb["cells"].as_array_mut().unwrap() {
        if let Some(id) = cell["metadata"]["blitz"]["exercise"]
            .as_str()
            .map(str::to_string)
        {
            let code: String = cell["source"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            cell["source"] = Value::String(answer(&id, &code));
        }
    }
    fs::write(out, serde_json::to_string_pretty(&nb).unwrap()).unwrap();
}

fn solution(id: &str) -> String {
    fs::read_to_string(xtask::exercises::solution_path(&root(), id)).unwrap()
}

fn learner<'a>(report: &'a Report, file: &Path) -> &'a LearnerReport {
    let file = file.display().to_string();
    report
        .learners
        .iter()
        .find(|l| l.file == file)
        .unwrap_or_else(|| panic!("{file} is not in the report"))
}

#[test]
fn starting_points_fail_and_solutions_pass_in_files_and_in_every_notebook() {
    let root = root();
    let exercises = xtask::exercises::all(&root).unwrap();
    let dir = scratch("references");
    // The files a learner edits, as shipped, and the same folder with every solution in place.
    let solved = dir.join("solved-files");
    fs::create_dir_all(solved.join("src")).unwrap();
    fs::write(solved.join("src/lib.rs"), "").unwrap();
    for e in &exercises {
        fs::write(solved.join(format!("src/{}.rs", e.id)), solution(&e.id)).unwrap();
    }
    let mut paths = vec![root.join("exercises"), solved.clone()];
    let mut solved_notebooks = Vec::new();
    for notebook in xtask::notebooks::all().unwrap() {
        let lang = notebook
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let out = dir.join(format!(
            "{lang}-{}",
            notebook.file_name().unwrap().to_str().unwrap()
        ));
        with_answers(&notebook, &out, |id, _| solution(id));
        paths.push(notebook);
        solved_notebooks.push(out.clone());
        paths.push(out);
    }
    let report = grade::grade(&paths, &options()).unwrap();
    println!("{}", grade::table(&report));
    for l in &report.learners {
        let solved = l.file.contains("/references/");
        assert!(l.max > 0, "{} has no exercises", l.file);
        for e in &l.exercises {
            if solved {
                assert!(
                    e.passed,
                    "{}: the solution of {} fails: {}",
                    l.file, e.id, e.reason
                );
            } else {
                assert!(
                    !e.passed,
                    "{}: the starting point of {} passes",
                    l.file, e.id
                );
                assert!(
                    e.reason.contains("not done yet") && e.reason.contains("todo!()"),
                    "{}: the starting point of {} fails for another reason than `todo!()`: {}",
                    l.file,
                    e.id,
                    e.reason
                );
            }
        }
    }
    // Every exercise is in some notebook, and the files cover them all.
    assert_eq!(learner(&report, &solved).max, exercises.len());
    for e in &exercises {
        assert!(
            report
                .learners
                .iter()
                .filter(|l| l.file.ends_with(".ipynb"))
                .any(|l| l.exercises.iter().any(|x| x.id == e.id)),
            "no notebook holds exercise {}",
            e.id
        );
    }
}

#[test]
fn a_class_of_learners_gets_the_grades_and_reasons_it_should() {
    let english = root().join("notebooks/en/01-neural-networks.ipynb");
    let dir = scratch("class");
    let solved = |id: &str, _: &str| solution(id);
    let broken = |target: &'static str, code: &'static str| {
        move |id: &str, _: &str| {
            if id == target {
                code.to_string()
            } else {
                solution(id)
            }
        }
    };
    let file = |name: &str| dir.join(format!("{name}.ipynb"));
    with_answers(&english, &file("correct"), solved);
    with_answers(
        &english,
        &file("wrong"),
        broken(
            "num_flat_features",
            "fn num_flat_features(x: &Tensor) -> usize {\n    x.shape().iter().product()\n}",
        ),
    );
    with_answers(
        &english,
        &file("does-not-compile"),
        broken("mse", "fn mse(output: &Tensor, target: &Tensor) -> Result<Tensor> {\n    output.sub(target)\n        .mean_of_squares()\n}"),
    );
    with_answers(
        &english,
        &file("panics"),
        broken(
            "sgd_step",
            "fn sgd_step(params: &[Tensor], lr: f64) -> Result<()> {\n    let first = &params[99];\n    Ok(())\n}",
        ),
    );
    with_answers(
        &english,
        &file("loops"),
        broken(
            "accumulated_grad",
            "fn predicted_grad() -> Vec<f32> {\n    loop {}\n}",
        ),
    );
    with_answers(
        &english,
        &file("eats-memory"),
        broken(
            "accumulated_grad",
            "fn predicted_grad() -> Vec<f32> {\n    let mut all = Vec::new();\n    loop {\n        all.push(vec![1u8; 1 << 20]);\n        std::hint::black_box(&all);\n    }\n}",
        ),
    );
    with_answers(
        &english,
        &file("aborts"),
        broken(
            "accumulated_grad",
            "fn predicted_grad() -> Vec<f32> {\n    std::process::abort()\n}",
        ),
    );
    fs::write(file("not-json"), "{\"cells\": [").unwrap();
    // A notebook with one answer cell deleted and another doubled.
    with_answers(&english, &file("cells-edited"), solved);
    let mut nb: Value =
        serde_json::from_str(&fs::read_to_string(file("cells-edited")).unwrap()).unwrap();
    let cells = nb["cells"].as_array_mut().unwrap();
    let at = |cells: &Vec<Value>, id: &str| {
        cells
            .iter()
            .position(|c| c["metadata"]["blitz"]["exercise"] == id)
            .unwrap()
    };
    let mse = at(cells, "mse");
    cells.remove(mse);
    let alexnet = at(cells, "alexnet");
    let copy = cells[alexnet].clone();
    cells.push(copy);
    fs::write(file("cells-edited"), serde_json::to_string(&nb).unwrap()).unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), fs::read(&p).unwrap()))
        .collect();

    let report = grade::grade(std::slice::from_ref(&dir), &options()).unwrap();
    println!("{}", grade::table(&report));
    let reason = |name: &str, id: &str| -> (bool, String) {
        let l = learner(&report, &file(name));
        let e = l.exercises.iter().find(|e| e.id == id).unwrap();
        (e.passed, e.reason.clone())
    };
    let full = learner(&report, &file("correct"));
    assert_eq!((full.score, full.max), (8, 8), "{full:?}");
    let expectations = [
        ("wrong", "num_flat_features", "expected 576, found 2304"),
        (
            "does-not-compile",
            "mse",
            "does not compile: no method named `mean_of_squares`",
        ),
        ("panics", "sgd_step", "panicked: index out of bounds"),
        ("loops", "accumulated_grad", "did not finish within 20 s"),
        (
            "eats-memory",
            "accumulated_grad",
            "more memory than its limit (2048 MiB)",
        ),
        ("aborts", "accumulated_grad", "aborted the process"),
        ("not-json", "mse", "not valid JSON"),
        ("cells-edited", "mse", "no answer cell"),
        (
            "cells-edited",
            "alexnet",
            "2 cells are marked as exercise `alexnet`",
        ),
    ];
    for (name, id, expected) in expectations {
        let (passed, why) = reason(name, id);
        assert!(!passed, "{name}: {id} passed");
        assert!(
            why.contains(expected),
            "{name}: {id}: expected a reason with {expected:?}, found {why:?}"
        );
        // The learner's other answers are graded as usual.
        let l = learner(&report, &file(name));
        if name != "not-json" && name != "cells-edited" {
            assert_eq!(l.score, l.max - 1, "{name}: {l:?}");
        }
    }
    assert!(
        reason("does-not-compile", "mse").1.contains("cell "),
        "the reason names the cell"
    );
    // Nothing handed in was changed.
    for (path, bytes) in before {
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{} was modified",
            path.display()
        );
    }
    // The JSON form has the documented fields.
    let json = serde_json::to_value(&report).unwrap();
    let first = &json["learners"][0];
    for key in ["file", "score", "max", "exercises"] {
        assert!(first.get(key).is_some(), "{key} missing from {first}");
    }
    for key in ["id", "passed", "reason"] {
        assert!(first["exercises"][0].get(key).is_some(), "{key} missing");
    }
}

#[test]
fn in_the_kernel_each_check_cell_says_not_yet_to_a_starting_point_and_passed_to_a_solution() {
    let _kernel = kernel();
    let dir = scratch("kernel");
    // Lesson 1 in English with every solution in place, and lesson 2 in Japanese as a learner first opens it:
    // each check cell must show its verdict (the runner checks the texts, `metadata.blitz.expect`).
    let solved = dir.join("01-neural-networks.ipynb");
    with_answers(
        &root().join("notebooks/en/01-neural-networks.ipynb"),
        &solved,
        |id, _| solution(id),
    );
    expect_in_check_cells(&solved, &["passed. Well done!"]);
    let untouched = dir.join("02-reading-digits.ipynb");
    fs::copy(
        root().join("notebooks/ja/02-reading-digits.ipynb"),
        &untouched,
    )
    .unwrap();
    expect_in_check_cells(&untouched, &["todo!()", "ヒント"]);
    for notebook in [solved, untouched] {
        let out = run_notebook(&notebook);
        assert!(
            out.status.success(),
            "{}:\n{}\n{}",
            notebook.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Marks every check cell of `notebook` with texts its output must contain, and points its `:dep blitz` at the
/// crate from where the copy lies.
fn expect_in_check_cells(notebook: &Path, texts: &[&str]) {
    let text = fs::read_to_string(notebook).unwrap().replace(
        "path = \\\"../../crate\\\"",
        &format!("path = \\\"{}\\\"", root().join("crate").display()),
    );
    let mut nb: Value = serde_json::from_str(&text).unwrap();
    let mut checks = 0;
    for cell in nb["cells"].as_array_mut().unwrap() {
        if cell["metadata"]["blitz"]["check"].is_string() {
            cell["metadata"]["blitz"]["expect"] = serde_json::json!(texts);
            checks += 1;
        }
    }
    assert!(checks > 0, "{} has no check cell", notebook.display());
    fs::write(notebook, serde_json::to_string(&nb).unwrap()).unwrap();
}
