//! Activations: ReLU, and log-softmax for classification.

use super::cpu::{with_values, worth_threads};
use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor, D};
use rayon::prelude::*;

/// Elements per piece when an element-wise pass is split over threads.
const PIECE: usize = 16 * 1024;

/// `f` applied to each pair of `a` and `b`, on rayon's threads when the tensors are large.
///
/// Written here rather than with candle's element-wise ops: above 64k elements those run on candle's own thread
/// pool, whose workers spin after each job and, on a 2-core machine, take turns away from rayon's (measured: a
/// sixth of a LeNet training step's CPU time spent spinning).
fn zip_map(a: &[f32], b: &[f32], f: impl Fn(f32, f32) -> f32 + Sync) -> Vec<f32> {
    // Collected straight into a new vector: zeroing it first cost as much as the pass itself.
    if worth_threads(a.len().div_ceil(PIECE), PIECE) {
        let mut out = Vec::new();
        a.par_iter()
            .zip(b)
            .with_min_len(PIECE)
            .map(|(&a, &b)| f(a, b))
            .collect_into_vec(&mut out);
        out
    } else {
        a.iter().zip(b).map(|(&a, &b)| f(a, b)).collect()
    }
}

struct ReluBackward {
    output: CTensor,
}

impl Backward for ReluBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        // PyTorch's threshold_backward: the gradient passes where the output is positive. One pass over both
        // (candle's compare, convert and multiply would make three, with two temporary tensors).
        let passed = with_values(&self.output, |y| {
            with_values(grad, |g| {
                zip_map(y, g, |y, g| if y > 0.0 { g } else { 0.0 })
            })
        })??;
        Ok(vec![Some(CTensor::from_vec(
            passed,
            self.output.shape(),
            &Device::Cpu,
        )?)])
    }
}

/// max(0, x), element by element (`ReluBackward0`).
pub fn relu(input: &Tensor) -> Result<Tensor> {
    let x = input.candle();
    // max(x, 0) would turn a NaN into 0; PyTorch's relu keeps it, and so does this comparison.
    let values = with_values(&x, |x| zip_map(x, x, |x, _| if x < 0.0 { 0.0 } else { x }))?;
    let output = CTensor::from_vec(values, x.shape(), &Device::Cpu)?;
    Ok(Tensor::from_op(
        output.clone(),
        "ReluBackward0",
        &[input],
        ReluBackward { output },
    ))
}

struct LogSoftmaxBackward {
    output: CTensor,
}

impl Backward for LogSoftmaxBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        // d/dx log_softmax: grad - softmax * sum(grad)
        let softmax = self.output.exp()?;
        let sum = grad.sum_keepdim(D::Minus1)?;
        Ok(vec![Some(
            grad.broadcast_sub(&softmax.broadcast_mul(&sum)?)?,
        )])
    }
}

/// log(softmax(x)) over the last dimension, computed stably (`LogSoftmaxBackward0`).
pub fn log_softmax(input: &Tensor) -> Result<Tensor> {
    if input.dim() == 0 {
        return Err(Error::ShapeMismatch {
            layer: "log_softmax".into(),
            expected: "[..., classes] (at least one dimension)".into(),
            got: input.shape(),
            hint: Hint::None,
        });
    }
    let output = candle_nn::ops::log_softmax(&input.candle(), D::Minus1)?;
    Ok(Tensor::from_op(
        output.clone(),
        "LogSoftmaxBackward0",
        &[input],
        LogSoftmaxBackward { output },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_keeps_nan_and_passes_gradient_where_positive() {
        let x = Tensor::from_vec(vec![-1.0, 0.0, 2.0, f32::NAN], &[4])
            .unwrap()
            .requires_grad_(true);
        let y = relu(&x).unwrap();
        let values = y.to_vec().unwrap();
        assert_eq!(&values[..3], &[0.0, 0.0, 2.0]);
        assert!(values[3].is_nan());
        y.backward_with(&Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[4]).unwrap())
            .unwrap();
        assert_eq!(x.grad().unwrap().to_vec().unwrap(), [0.0, 0.0, 3.0, 0.0]);
    }

    #[test]
    fn relu_split_over_threads_equals_candles() {
        // Large enough for the threaded path, with a length that does not divide into whole pieces.
        let n = 5 * PIECE + 123;
        let values: Vec<f32> = (0..n).map(|i| ((i * 7919) % 1000) as f32 - 500.0).collect();
        let x = Tensor::from_vec(values.clone(), &[n]).unwrap();
        let expected = CTensor::from_vec(values, n, &Device::Cpu)
            .unwrap()
            .relu()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert_eq!(relu(&x).unwrap().to_vec().unwrap(), expected);
    }
}
