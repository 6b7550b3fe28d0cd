//! Activations: ReLU, and log-softmax for classification.

use super::cpu::with_values;
use crate::autograd::Backward;
use crate::{Result, Tensor};
use candle_core::{Device, Tensor as CTensor, D};

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
                y.iter()
                    .zip(g)
                    .map(|(&y, &g)| if y > 0.0 { g } else { 0.0 })
                    .collect::<Vec<f32>>()
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
    let output = input.candle().relu()?;
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
    let output = candle_nn::ops::log_softmax(&input.candle(), D::Minus1)?;
    Ok(Tensor::from_op(
        output.clone(),
        "LogSoftmaxBackward0",
        &[input],
        LogSoftmaxBackward { output },
    ))
}
