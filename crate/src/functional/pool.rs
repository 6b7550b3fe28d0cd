//! 2-D max pooling that remembers where each maximum came from (`MaxPool2DWithIndicesBackward0`).
//!
//! Written here rather than taken from candle: candle's max-pool backward splits the gradient among tied
//! values, while PyTorch sends it all to the first maximum of each window. Keeping the indices reproduces
//! PyTorch exactly and makes the backward a plain scatter.

use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor};

struct MaxPoolBackward {
    input_shape: Vec<usize>,
    /// For each output value, the flat index of the input value it came from.
    indices: Vec<u32>,
}

impl Backward for MaxPoolBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let grad = grad.flatten_all()?.to_vec1::<f32>()?;
        let mut out = vec![0f32; self.input_shape.iter().product()];
        for (g, &i) in grad.iter().zip(&self.indices) {
            out[i as usize] += g;
        }
        let out = CTensor::from_vec(out, self.input_shape.as_slice(), &Device::Cpu)?;
        Ok(vec![Some(out)])
    }
}

/// Keeps the largest value of each `kernel`x`kernel` window, moving by `stride` (floor mode, no padding).
pub fn max_pool2d(input: &Tensor, kernel: usize, stride: usize) -> Result<Tensor> {
    let shape = input.shape();
    if shape.len() != 4 || shape[2] < kernel || shape[3] < kernel {
        return Err(Error::ShapeMismatch {
            layer: "max_pool2d".into(),
            expected: format!("[N, C, H, W] with H, W >= {kernel}"),
            got: shape,
            hint: Hint::None,
        });
    }
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3]);
    let (oh, ow) = ((h - kernel) / stride + 1, (w - kernel) / stride + 1);
    let x = input.to_vec()?;
    let mut values = Vec::with_capacity(n * c * oh * ow);
    let mut indices = Vec::with_capacity(n * c * oh * ow);
    for plane in 0..n * c {
        let base = plane * h * w;
        for oy in 0..oh {
            for ox in 0..ow {
                let mut best = base + oy * stride * w + ox * stride;
                for ky in 0..kernel {
                    for kx in 0..kernel {
                        let i = base + (oy * stride + ky) * w + ox * stride + kx;
                        // NaN wins, as in PyTorch; otherwise the first maximum is kept.
                        if x[i] > x[best] || x[i].is_nan() && !x[best].is_nan() {
                            best = i;
                        }
                    }
                }
                values.push(x[best]);
                indices.push(best as u32);
            }
        }
    }
    let value = CTensor::from_vec(values, (n, c, oh, ow), &Device::Cpu)?;
    Ok(Tensor::from_op(
        value,
        "MaxPool2DWithIndicesBackward0",
        &[input],
        MaxPoolBackward {
            input_shape: shape,
            indices,
        },
    ))
}
