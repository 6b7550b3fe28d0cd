//! What the two "loss by hand" exercises share: the learner's loss and blitz's, on the same input, must give the
//! same value and bring the same gradient back to that input.

use super::verdict::{close, what, OrProblem, Problem};
use crate::{Result, Tensor};

/// Runs `reference` and `answer` on two copies of the input `values` (of `shape`, requiring a gradient),
/// back-propagates both and compares the values, then the gradients that reached the input.
pub(crate) fn same_loss(
    reference_name: &str,
    values: &[f32],
    shape: &[usize],
    reference: impl Fn(&Tensor) -> Result<Tensor>,
    answer: impl Fn(&Tensor) -> Result<Tensor>,
) -> std::result::Result<(), Problem> {
    let input = || -> std::result::Result<Tensor, Problem> {
        Ok(Tensor::from_vec(values.to_vec(), shape)
            .or_problem()?
            .requires_grad_(true))
    };
    let name = [("reference", reference_name.to_string())];
    let reference_input = input()?;
    let expected = reference(&reference_input).or_problem()?;
    expected.backward().or_problem()?;
    let learner_input = input()?;
    let found = answer(&learner_input).or_problem()?;
    close(what("check-loss-value", &name), &expected, &found)?;
    found.backward().or_problem()?;
    match (
        reference_input.grad().into_option(),
        learner_input.grad().into_option(),
    ) {
        (Some(e), Some(f)) => close(what("check-loss-gradient", &name), &e, &f),
        (Some(_), None) => Err(Problem::Wrong {
            what: what("check-loss-gradient", &name),
            expected: what("check-a-gradient", &[]),
            found: "None".into(),
        }),
        _ => Ok(()),
    }
}
