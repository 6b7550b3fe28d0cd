//! Exercise `alexnet`: AlexNet as a struct with named layers and a `num_classes` argument (lesson 1's last
//! section). The figures are PyTorch's (`../shared/fixtures/pytorch/alexnet.json`, checked in the crate's tests).

use super::verdict::{run, same, same_parameters, what, OrProblem};
use super::Verdict;
use crate::nn::{Module, ModuleExt, Summary};
use crate::Result;

/// The parameters' names and shapes AlexNet must have for `num_classes` classes, in order.
pub fn expected_parameters(num_classes: usize) -> Vec<(String, Vec<usize>)> {
    [
        ("conv1", vec![64, 3, 11, 11]),
        ("conv2", vec![192, 64, 5, 5]),
        ("conv3", vec![384, 192, 3, 3]),
        ("conv4", vec![256, 384, 3, 3]),
        ("conv5", vec![256, 256, 3, 3]),
        ("fc1", vec![4096, 9216]),
        ("fc2", vec![4096, 4096]),
        ("fc3", vec![num_classes, 4096]),
    ]
    .into_iter()
    .flat_map(|(layer, weight)| {
        let bias = vec![weight[0]];
        [
            (format!("{layer}.weight"), weight),
            (format!("{layer}.bias"), bias),
        ]
    })
    .collect()
}

/// The output shape of each convolution and fully connected layer for a 224x224 colour image (batch as -1).
pub fn expected_layer_outputs(num_classes: usize) -> Vec<Vec<i64>> {
    let n = num_classes as i64;
    vec![
        vec![-1, 64, 55, 55],
        vec![-1, 192, 27, 27],
        vec![-1, 384, 13, 13],
        vec![-1, 256, 13, 13],
        vec![-1, 256, 13, 13],
        vec![-1, 4096],
        vec![-1, 4096],
        vec![-1, n],
    ]
}

/// Checks `make(num_classes)` for 1000 and 10 classes: names and shapes of the parameters, their count
/// (61,100,840 for 1000 classes), and each layer's output shape for a 224x224 image.
pub fn check<M: Module>(make: impl Fn(usize) -> Result<M>) -> Verdict {
    run("alexnet", || {
        for (classes, count) in [(10, 57_044_810), (1000, 61_100_840)] {
            let net = make(classes).or_problem()?;
            same_parameters(expected_parameters(classes), &net)?;
            same(
                what("check-parameter-count", &[]),
                count,
                net.num_parameters(),
            )?;
            if classes == 10 {
                let summary = Summary::of(&net, &[3, 224, 224]).or_problem()?;
                let outputs: Vec<Vec<i64>> = summary
                    .rows
                    .iter()
                    .filter(|row| {
                        row.layer.starts_with("Conv2d") || row.layer.starts_with("Linear")
                    })
                    .map(|row| row.output_shape.clone())
                    .collect();
                same(
                    what("check-layer-outputs", &[]),
                    expected_layer_outputs(classes),
                    outputs,
                )?;
            }
        }
        Ok(())
    })
}
