//! Exercise `sgd_step`: one step of plain gradient descent written by hand, `w ← w − lr·grad`, which must move
//! every parameter exactly as [`crate::optim::SGD`] does and leave a parameter without a gradient alone
//! (lesson 1, "Updating the weights").

use super::verdict::{close, run, what, OrProblem};
use super::Verdict;
use crate::loss::MSELoss;
use crate::optim::{Optimizer, SGD};
use crate::{functional as F, Result, Tensor};

/// Three parameters with the given values; the first two get gradients from a small loss, the third none.
fn parameters(values: &[Vec<f32>]) -> crate::Result<Vec<Tensor>> {
    let shapes: [&[usize]; 3] = [&[2, 3], &[2], &[4]];
    let params = values
        .iter()
        .zip(shapes)
        .map(|(v, shape)| Ok(Tensor::from_vec(v.clone(), shape)?.requires_grad_(true)))
        .collect::<crate::Result<Vec<_>>>()?;
    let x = Tensor::from_vec(vec![0.5, -1.0, 2.0, 1.5, 0.0, -0.5], &[2, 3])?;
    let target = Tensor::from_vec(vec![1.0, 0.0, -1.0, 2.0], &[2, 2])?;
    let out = F::linear(&x, &params[0], &params[1])?;
    MSELoss::new().forward(&out, &target)?.backward()?;
    Ok(params)
}

/// Checks `answer(params, lr)` against `SGD::new(params, lr).step()` on the same parameters and gradients.
pub fn check(answer: impl Fn(&[Tensor], f64) -> Result<()>) -> Verdict {
    run("sgd_step", || {
        let lr = 0.1;
        let start: Vec<Vec<f32>> = [6, 2, 4]
            .iter()
            .map(|&n| Tensor::randn(&[n])?.to_vec())
            .collect::<crate::Result<_>>()
            .or_problem()?;
        let reference = parameters(&start).or_problem()?;
        SGD::new(reference.clone(), lr).step().or_problem()?;
        let learner = parameters(&start).or_problem()?;
        answer(&learner, lr).or_problem()?;
        let names = ["weight", "bias", "frozen"];
        for ((name, expected), found) in names.iter().zip(&reference).zip(&learner) {
            close(
                what(
                    "check-sgd-parameter",
                    &[("name", name.to_string()), ("lr", lr.to_string())],
                ),
                &expected.data(),
                &found.data(),
            )?;
        }
        Ok(())
    })
}
