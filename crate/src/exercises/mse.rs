//! Exercise `mse`: the mean squared error written by hand, whose gradient must match autograd's through
//! [`crate::loss::MSELoss`] (lesson 1, "Loss function").

use super::same_loss::same_loss;
use super::verdict::{run, OrProblem};
use super::Verdict;
use crate::loss::MSELoss;
use crate::{Result, Tensor};

/// Checks `answer(output, target)`: its value and the gradient `backward()` brings to `output` must equal
/// `MSELoss`'s, on a few shapes.
pub fn check(answer: impl Fn(&Tensor, &Tensor) -> Result<Tensor>) -> Verdict {
    run("mse", || {
        for shape in [&[1, 10][..], &[4, 3], &[2, 3, 5]] {
            let values = Tensor::randn(shape).or_problem()?.to_vec().or_problem()?;
            let target = Tensor::randn(shape).or_problem()?;
            same_loss(
                "MSELoss",
                &values,
                shape,
                |output| MSELoss::new().forward(output, &target),
                |output| answer(output, &target),
            )?;
        }
        Ok(())
    })
}
