//! 2-D max pooling that remembers where each maximum came from (`MaxPool2DWithIndicesBackward0`).
//!
//! Written here rather than taken from candle: candle's max-pool backward splits the gradient among tied
//! values, while PyTorch sends it all to the first maximum of each window. Keeping the indices reproduces
//! PyTorch exactly and makes the backward a plain scatter. Both loops run over the image planes in parallel.

use super::cpu::{with_values, worth_threads};
use crate::autograd::Backward;
use crate::tensor::{memory_for, values_or_error};
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
///
/// Refused with an error naming the argument: a `kernel` or `stride` of 0, an input that is not `[N, C, H, W]`,
/// and a window larger than the images.
pub fn max_pool2d(input: &Tensor, kernel: usize, stride: usize) -> Result<Tensor> {
    for (argument, value) in [("kernel_size", kernel), ("stride", stride)] {
        if value == 0 {
            return Err(Error::ZeroArgument {
                call: "max_pool2d".into(),
                argument: argument.into(),
                example: "F::max_pool2d(&x, 2, 2)?".into(),
            });
        }
    }
    let shape = input.shape();
    if shape.len() != 4 {
        return Err(Error::ShapeMismatch {
            layer: "max_pool2d".into(),
            expected: "[N, C, H, W]".into(),
            got: shape,
            hint: Hint::None,
        });
    }
    if shape[2] < kernel || shape[3] < kernel {
        return Err(Error::PoolWindowTooLarge {
            layer: "max_pool2d".into(),
            kernel,
            got: shape,
        });
    }
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3]);
    // Each maximum's place in its plane is kept as a u32.
    if h.checked_mul(w)
        .map_or(true, |plane| plane > u32::MAX as usize)
    {
        return Err(Error::TensorTooLarge {
            call: "max_pool2d".into(),
            shape: format!("{shape:?}"),
        });
    }
    let (oh, ow) = ((h - kernel) / stride + 1, (w - kernel) / stride + 1);
    // Fewer values than the input: the count fits.
    let out_count = n * c * oh * ow;
    let mut values = values_or_error("max_pool2d", &[n, c, oh, ow], out_count, 0.0)?;
    memory_for("max_pool2d", &[n, c, oh, ow], out_count)?;
    let mut indices = vec![0u32; out_count];
    // One plane, exactly as PyTorch: the first maximum of each window wins, and a NaN beats any number.
    let exact = |values: &mut [f32], indices: &mut [u32], x: &[f32]| {
        for oy in 0..oh {
            for ox in 0..ow {
                let first = oy * stride * w + ox * stride;
                let (mut best, mut best_value) = (first, x[first]);
                for ky in 0..kernel {
                    for kx in 0..kernel {
                        let i = first + ky * w + kx;
                        if x[i] > best_value || x[i].is_nan() && !best_value.is_nan() {
                            best = i;
                            best_value = x[i];
                        }
                    }
                }
                values[oy * ow + ox] = best_value;
                indices[oy * ow + ox] = best as u32;
            }
        }
    };
    // 2x2 windows with stride 2 (LeNet's), without branches: the comparisons are coin tosses the CPU cannot
    // predict, and this form compiles to selects. A plane holding a NaN is redone exactly.
    let two_by_two = |values: &mut [f32], indices: &mut [u32], x: &[f32]| {
        let mut nan = false;
        for oy in 0..oh {
            let (top, bottom) = (&x[2 * oy * w..][..2 * ow], &x[(2 * oy + 1) * w..][..2 * ow]);
            let (row_values, row_indices) =
                (&mut values[oy * ow..][..ow], &mut indices[oy * ow..][..ow]);
            for (ox, ((value, index), (t, b))) in row_values
                .iter_mut()
                .zip(row_indices.iter_mut())
                .zip(top.chunks_exact(2).zip(bottom.chunks_exact(2)))
                .enumerate()
            {
                nan |= t[0].is_nan() | t[1].is_nan() | b[0].is_nan() | b[1].is_nan();
                let (mut m, mut at) = (t[0], 0usize);
                if t[1] > m {
                    (m, at) = (t[1], 1);
                }
                if b[0] > m {
                    (m, at) = (b[0], w);
                }
                if b[1] > m {
                    (m, at) = (b[1], w + 1);
                }
                *value = m;
                *index = (2 * oy * w + 2 * ox + at) as u32;
            }
        }
        if nan {
            exact(values, indices, x);
        }
    };
    let plane = |((values, indices), x): ((&mut [f32], &mut [u32]), &[f32])| {
        if kernel == 2 && stride == 2 {
            two_by_two(values, indices, x)
        } else {
            exact(values, indices, x)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The gradient of the sum of the pooled values: 1 where each window's chosen value sits.
    fn chosen(values: Vec<f32>, shape: &[usize], kernel: usize, stride: usize) -> Vec<f32> {
        let x = Tensor::from_vec(values, shape)
            .unwrap()
            .requires_grad_(true);
        let out = max_pool2d(&x, kernel, stride).unwrap();
        out.backward_with(&Tensor::from_vec(vec![1.0; out.elem_count()], &out.shape()).unwrap())
            .unwrap();
        x.grad().unwrap().to_vec().unwrap()
    }

    #[test]
    fn ties_go_to_the_first_maximum_and_nan_wins_in_both_kernels() {
        // One 4x4 plane: window 1 all equal (first wins), window 2 a tie in its second row, window 3 a NaN,
        // window 4 an ordinary maximum.
        let nan = f32::NAN;
        let plane = vec![
            1., 1., 0., 2., //
            1., 1., 2., 2., //
            5., nan, 0., 1., //
            9., 3., 4., 3., //
        ];
        let want = vec![
            1., 0., 0., 1., //
            0., 0., 0., 0., //
            0., 1., 0., 0., //
            0., 0., 1., 0., //
        ];
        // 2x2 stride 2 takes the fast path; kernel 2 stride 1 then 2 on a bigger plane takes the exact one.
        assert_eq!(chosen(plane.clone(), &[1, 1, 4, 4], 2, 2), want);
        let without_nan: Vec<f32> = plane
            .iter()
            .map(|v| if v.is_nan() { 0.5 } else { *v })
            .collect();
        let fast = chosen(without_nan.clone(), &[1, 1, 4, 4], 2, 2);
        assert_eq!(
            fast[12], 1.0,
            "9 is the maximum of window 3 once the NaN is gone"
        );
        let exact = chosen(without_nan, &[1, 1, 4, 4], 3, 1);
        assert_eq!(exact.iter().sum::<f32>(), 4.0);
    }
}
