//! `cargo xtask grade-bench`: how long a class takes to grade. A class of learners' notebooks is made from the
//! English lessons with the reference solutions, a few answers broken the way learners break them (a wrong
//! number, a compile error, a panic, an unfinished `todo!()`); it is graded once to build blitz for the grader,
//! then again, timed, and the figure is printed per notebook and for the class.

use super::{grade, Options};
use crate::{exercises, layout};
use anyhow::{Context, Result};
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::time::Instant;

/// What a learner's answer may look like: the solution, or one of the usual mistakes.
fn answer(learner: usize, id: &str, solution: &str) -> String {
    // Learners alternate between the two lessons: the mistakes go round every other learner of each.
    match ((learner / 2) % 6, id) {
        (1, "num_flat_features") => {
            "fn num_flat_features(x: &Tensor) -> usize {\n    x.shape().iter().product()\n}".into()
        }
        (2, "mse") => "fn mse(output: &Tensor, target: &Tensor) -> Result<Tensor> {\n    output.sub(target)\n}"
            .into(),
        (3, "sgd_step") => "fn sgd_step(params: &[Tensor], lr: f64) -> Result<()> {\n    params[0].grad().unwrap();\n    Ok(())\n}"
            .into(),
        (4, "alexnet") => solution.replace("256 * 6 * 6", "256 * 5 * 5"),
        (5, "cross_entropy") => solution.replace("-1.0 / rows as f64", "-1.0"),
        (5, "training_loop") => {
            "fn train(net: &Net, input: &Tensor, target: &Tensor, steps: usize) -> Result<Vec<f32>> {\n    todo!()\n}"
                .into()
        }
        _ => solution.into(),
    }
}

/// Writes `count` learners' notebooks of every English lesson into `dir`.
fn make_class(dir: &Path, count: usize) -> Result<usize> {
    let root = layout::repo_root();
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir)?;
    let lessons: Vec<_> = crate::notebooks::english()?;
    let mut made = 0;
    for learner in 0..count {
        let lesson = &lessons[learner % lessons.len()];
        let mut nb: Value = serde_json::from_str(&fs::read_to_string(lesson)?)
            .with_context(|| format!("{} is not JSON", lesson.display()))?;
        for cell in nb["cells"].as_array_mut().context("cells")? {
            if let Some(id) = cell["metadata"]["blitz"]["exercise"]
                .as_str()
                .map(str::to_string)
            {
                let solution = exercises::read(&exercises::solution_path(&root, &id))?;
                cell["source"] = Value::String(answer(learner, &id, &solution));
            }
        }
        fs::write(
            dir.join(format!("learner-{learner:02}.ipynb")),
            serde_json::to_string(&nb)?,
        )?;
        made += 1;
    }
    Ok(made)
}

/// Grades a made-up class of `count` notebooks twice and prints the second run's figures.
pub fn run(count: usize) -> Result<()> {
    let dir = layout::cache_dir().join("grade").join("bench-class");
    let made = make_class(&dir, count)?;
    let options = Options::default();
    eprintln!("==> warm-up: one notebook (builds blitz for the grader the first time)");
    let one = fs::read_dir(&dir)?
        .next()
        .context("the class is empty")??
        .path();
    let start = Instant::now();
    grade(&[one], &options)?;
    let single = start.elapsed().as_secs_f64();
    eprintln!("==> the class: {made} notebooks");
    let start = Instant::now();
    let report = grade(std::slice::from_ref(&dir), &options)?;
    let class = start.elapsed().as_secs_f64();
    let answers: usize = report.learners.iter().map(|l| l.max).sum();
    let passed: usize = report.learners.iter().map(|l| l.score).sum();
    println!(
        "grading: {made} notebooks, {answers} answers ({passed} passing), {} jobs at once",
        options.jobs
    );
    println!("  one notebook:   {single:6.1} s");
    println!(
        "  whole class:    {class:6.1} s  ({:.2} s per notebook; {:.1}x the time of one notebook for {made}x the \
         notebooks; target: at most 120 s)",
        class / made as f64,
        class / single
    );
    Ok(())
}
