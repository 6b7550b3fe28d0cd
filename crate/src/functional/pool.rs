//! 2-D max pooling that remembers where each maximum came from (`MaxPool2DWithIndicesBackward0`).
//!
//! Written here rather than taken from candle: candle's max-pool backward splits the gradient among tied
//! values, while PyTorch sends it all to the first maximum of each window. Keeping the indices reproduces
//! PyTorch exactly and makes the backward a plain scatter. Both loops run over the image planes in parallel.

use super::cpu::{with_values, worth_threads};
use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor};
use rayon::prelude::*;

struct MaxPoolBackward {
    input_shape: Vec<usize>,
    /// For each output value, the index within its plane of the input value it came from.
    indices: Vec<u32>,
}

impl Backward for MaxPoolBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let plane_in: usize = self.input_shape[2..].iter().product();
        let plane_out = self.indices.len() / (self.input_shape[0] * self.input_shape[1]).max(1);
        let mut out = vec![0f32; self.input_shape.iter().product()];
        let scatter = |((plane, grad), indices): ((&mut [f32], &[f32]), &[u32])| {
            for (g, &i) in grad.iter().zip(indices) {
                plane[i as usize] += g;
            }
        };
        let (plane_in, plane_out) = (plane_in.max(1), plane_out.max(1));
        with_values(grad, |grad| {
            if worth_threads(out.len() / plane_in, plane_in) {
                out.par_chunks_mut(plane_in)
                    .zip(grad.par_chunks(plane_out))
                    .zip(self.indices.par_chunks(plane_out))
                    .for_each(scatter);
            } else {
                out.chunks_mut(plane_in)
                    .zip(grad.chunks(plane_out))
                    .zip(self.indices.chunks(plane_out))
                    .for_each(scatter);
            }
        })?;
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
    let mut values = vec![0f32; n * c * oh * ow];
    let mut indices = vec![0u32; n * c * oh * ow];
    let plane = |((values, indices), x): ((&mut [f32], &mut [u32]), &[f32])| {
        for oy in 0..oh {
            for ox in 0..ow {
                let mut best = oy * stride * w + ox * stride;
                for ky in 0..kernel {
                    for kx in 0..kernel {
                        let i = (oy * stride + ky) * w + ox * stride + kx;
                        // NaN wins, as in PyTorch; otherwise the first maximum is kept.
                        if x[i] > x[best] || x[i].is_nan() && !x[best].is_nan() {
                            best = i;
                        }
                    }
                }
                values[oy * ow + ox] = x[best];
                indices[oy * ow + ox] = best as u32;
            }
        }
    };
    let (plane_in, plane_out) = ((h * w).max(1), (oh * ow).max(1));
    with_values(&input.candle(), |x| {
        if worth_threads(n * c, plane_in * kernel) {
            values
                .par_chunks_mut(plane_out)
                .zip(indices.par_chunks_mut(plane_out))
                .zip(x.par_chunks(plane_in))
                .for_each(plane);
        } else {
            values
                .chunks_mut(plane_out)
                .zip(indices.chunks_mut(plane_out))
                .zip(x.chunks(plane_in))
                .for_each(plane);
        }
    })?;
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
