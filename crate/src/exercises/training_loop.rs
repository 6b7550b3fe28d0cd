//! Exercise `training_loop`: a loop that trains the lesson's `Net` on one fixed batch until the loss falls
//! (lesson 1, "Updating the weights").

use super::verdict::{run, same, what, OrProblem, Problem};
use super::Verdict;
use crate::loss::MSELoss;
use crate::nn::{Module, Net};
use crate::{Result, Tensor};

/// How many steps the check asks for.
const STEPS: usize = 200;

/// Checks `answer(net, input, target, steps)`: it returns one loss per step, and afterwards the network's loss
/// on the batch is at least 10% below what it was before training.
pub fn check(answer: impl Fn(&Net, &Tensor, &Tensor, usize) -> Result<Vec<f32>>) -> Verdict {
    run("training_loop", || {
        let net = Net::new().or_problem()?;
        let input = Tensor::randn(&[4, 1, 32, 32]).or_problem()?;
        let target = Tensor::randn(&[4, 10]).or_problem()?;
        let loss_now = |net: &Net| -> Result<f32> {
            crate::no_grad(|| {
                MSELoss::new()
                    .forward(&net.forward(&input)?, &target)?
                    .item()
            })
        };
        let before = loss_now(&net).or_problem()?;
        let losses = answer(&net, &input, &target, STEPS).or_problem()?;
        same(what("check-losses-len", &[]), STEPS, losses.len())?;
        let after = loss_now(&net).or_problem()?;
        if !(after.is_finite() && after < before * 0.9) {
            return Err(Problem::Wrong {
                what: what("check-loss-decrease", &[("steps", STEPS.to_string())]),
                expected: format!("< {:.4}", before * 0.9),
                found: format!("{after:.4}"),
            });
        }
        Ok(())
    })
}
