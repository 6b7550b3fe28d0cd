//! Exercise `lenet_3x3`: the lesson's LeNet written again with 3x3 kernels, so fc1 takes 16·6·6 = 576 values
//! (lesson 1, "Side note: 3x3 kernels").

use super::verdict::{close, run, same, same_parameters, what, OrProblem};
use super::Verdict;
use crate::nn::{Module, ModuleExt, Net};
use crate::{Result, Tensor};

/// The parameters' names and shapes LeNet with 3x3 kernels must have, in order.
pub fn expected_parameters() -> Vec<(String, Vec<usize>)> {
    [
        ("conv1.weight", vec![6, 1, 3, 3]),
        ("conv1.bias", vec![6]),
        ("conv2.weight", vec![16, 6, 3, 3]),
        ("conv2.bias", vec![16]),
        ("fc1.weight", vec![120, 576]),
        ("fc1.bias", vec![120]),
        ("fc2.weight", vec![84, 120]),
        ("fc2.bias", vec![84]),
        ("fc3.weight", vec![10, 84]),
        ("fc3.bias", vec![10]),
    ]
    .into_iter()
    .map(|(name, shape)| (name.to_string(), shape))
    .collect()
}

/// Checks `make()`: the parameters, their count (81,194), the output shape, and the same outputs as blitz's
/// `Net::with_kernel_size(3)` given the learner's weights.
pub fn check<M: Module>(make: impl Fn() -> Result<M>) -> Verdict {
    run("lenet_3x3", || {
        let net = make().or_problem()?;
        same_parameters(expected_parameters(), &net)?;
        same(
            what("check-parameter-count", &[]),
            81_194,
            net.num_parameters(),
        )?;
        let input = Tensor::randn(&[2, 1, 32, 32]).or_problem()?;
        let out = net.forward(&input).or_problem()?;
        same(
            what("check-output-shape", &[("shape", "[2, 1, 32, 32]".into())]),
            vec![2, 10],
            out.shape(),
        )?;
        let reference = Net::with_kernel_size(3).or_problem()?;
        for ((_, mine), (_, theirs)) in reference
            .named_parameters()
            .iter()
            .zip(net.named_parameters())
        {
            mine.set_data(&theirs.data()).or_problem()?;
        }
        let expected = reference.forward(&input).or_problem()?;
        close(
            what(
                "check-forward-like",
                &[("reference", "Net::with_kernel_size(3)".into())],
            ),
            &expected,
            &out,
        )
    })
}
