//! Exercise `accumulated_grad`: predict a gradient after two backward passes without `zero_grad` (lesson 1,
//! "Updating the weights").
//!
//! The setup: `w = [1, 2, 3]` (requires a gradient), `x = [4, 5, 6]`, `loss = (w * w * x).sum()`; the forward
//! pass and `loss.backward()` run twice, with no `zero_grad` in between.

use super::verdict::{run, same, what, OrProblem};
use super::Verdict;
use crate::Tensor;

/// `w.grad` as blitz computes it for the exercise's setup.
fn actual() -> crate::Result<Vec<f32>> {
    let w = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3])?.requires_grad_(true);
    let x = Tensor::from_vec(vec![4.0, 5.0, 6.0], &[3])?;
    for _ in 0..2 {
        w.mul(&w)?.mul(&x)?.sum()?.backward()?;
    }
    match w.grad().into_option() {
        Some(grad) => grad.to_vec(),
        None => Ok(Vec::new()),
    }
}

/// Checks the learner's prediction of `w.grad` against what backward really leaves there.
pub fn check(answer: impl Fn() -> Vec<f32>) -> Verdict {
    run("accumulated_grad", || {
        let expected = actual().or_problem()?;
        let predicted = answer();
        let close = predicted.len() == expected.len()
            && predicted
                .iter()
                .zip(&expected)
                .all(|(p, e)| (p - e).abs() < 1e-3);
        if close {
            Ok(())
        } else {
            same(what("check-predicted-grad", &[]), expected, predicted)
        }
    })
}
