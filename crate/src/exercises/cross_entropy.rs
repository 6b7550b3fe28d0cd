//! Exercise `cross_entropy`: the cross-entropy loss written by hand from `log_softmax`, whose value and gradient
//! must match [`crate::loss::CrossEntropyLoss`]'s (lesson 2, "Network, loss and optimizer").

use super::same_loss::same_loss;
use super::verdict::{run, OrProblem};
use super::Verdict;
use crate::loss::CrossEntropyLoss;
use crate::{Result, Tensor};

/// Checks `answer(scores, labels)` on a few batches: the value and the gradient in `scores` equal
/// `CrossEntropyLoss`'s.
pub fn check(answer: impl Fn(&Tensor, &[usize]) -> Result<Tensor>) -> Verdict {
    run("cross_entropy", || {
        for labels in [vec![3], vec![0, 9, 2, 2], vec![5, 1, 7, 0, 8, 4]] {
            let shape = [labels.len(), 10];
            let values = Tensor::randn(&shape).or_problem()?.to_vec().or_problem()?;
            same_loss(
                "CrossEntropyLoss",
                &values,
                &shape,
                |scores| CrossEntropyLoss::new().forward(scores, &labels),
                |scores| answer(scores, &labels),
            )?;
        }
        Ok(())
    })
}
