//! Exercise `num_flat_features`: how many values one sample has once flattened (lesson 1, "Define the network").

use super::verdict::{run, same, what};
use super::Verdict;
use crate::Tensor;

/// Checks `answer(x)` on tensors of several shapes: the product of every dimension but the first (the batch).
pub fn check(answer: impl Fn(&Tensor) -> usize) -> Verdict {
    run("num_flat_features", || {
        for shape in [
            &[1, 16, 5, 5][..],
            &[4, 16, 6, 6],
            &[2, 10],
            &[3, 2, 4, 4, 2],
            &[7],
        ] {
            let x = Tensor::zeros(shape).map_err(super::Problem::Failed)?;
            let expected: usize = shape.iter().skip(1).product();
            same(
                what("check-flat-features", &[("shape", format!("{shape:?}"))]),
                expected,
                answer(&x),
            )?;
        }
        Ok(())
    })
}
