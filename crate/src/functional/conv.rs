//! 2-D convolution (`ConvolutionBackward0`), computed per sample as im2col and matrix products.
//!
//! For each sample the input's windows are laid out as a matrix (im2col, `cols`: `[c·k·k, oh·ow]`). Then
//! - the output is `W · cols` (`[o, oh·ow]`, already in `[N, C, H, W]` order), plus the bias;
//! - the weight's gradient is the sum over samples of `dOut · colsᵀ`;
//! - the input's gradient is `Wᵀ · dOut` folded back onto the image (col2im).
//!
//! Samples run in parallel; each product is one call of the gemm crate. candle's own CPU convolution backward
//! (a transposed convolution, and a convolution with batch and channels swapped) was the slowest part of training.
//!
//! With stride 1 and no padding (LeNet's convolutions) the window matrix is laid out wide: one column per
//! position `oy·w + ox` over the input's whole width, so that each of its rows is one run of the image, copied
//! at once (LeNet's conv2 copies 150 runs of 136 values per sample instead of 1,500 of 10). The few columns that
//! are not outputs cost some extra multiply-adds; the output's gradient is widened with zeros there.
//!
//! The window matrices are not kept for the backward pass: each thread rebuilds one sample's matrix at a time in
//! a buffer that stays in its cache. Keeping them all (25 copies of each input value for a 5x5 kernel: 5 MB for
//! LeNet's conv1 at batch 64) made the backward pass read them back from main memory, and took 4x longer than
//! rebuilding them (measured: conv1's backward 0.67 ms kept, against its matrix products' 0.13 ms).

use super::cpu::{matmul, sum, with_values, worth_threads, Stored};
use super::im2col::{self, Geometry};
use crate::autograd::Backward;
use crate::tensor::{memory_for, value_count, values_or_error};
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor};
use rayon::prelude::*;
use std::cell::RefCell;

struct ConvolutionBackward {
    /// The input, `[n, c, h, w]`, contiguous: the window matrices are rebuilt from it.
    input: CTensor,
    /// The weight, `[o, c, k, k]`, contiguous.
    weight: CTensor,
    geometry: Geometry,
}

/// One thread's working buffers, one sample at a time. Each thread keeps its own from call to call
/// ([`Scratch::with`]): allocating and zeroing them for every sample, or for every piece rayon splits a batch
/// into, cost more than filling them.
#[derive(Default)]
struct Scratch {
    /// The sample's window matrix, `[c·k·k, oh·ow]` (or wide: `[c·k·k, wide positions]`).
    cols: Vec<f32>,
    /// The gradient of the window matrix, the same shape.
    grad_cols: Vec<f32>,
    /// In the wide layout: the output (forward) or the output's gradient (backward), `[o, wide positions]`.
    wide: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Scratch {
    /// Runs `f` on this thread's buffers. `f` must not start rayon work: a thread waiting for it could pick up
    /// another sample and borrow the buffers twice.
    fn with<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
        SCRATCH.with(|scratch| f(&mut scratch.borrow_mut()))
    }
}

/// The first `len` values of `buffer`, grown (never shrunk) as needed; they hold whatever was there before.
fn sized(buffer: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if buffer.len() < len {
        buffer.resize(len, 0.0);
    }
    &mut buffer[..len]
}

/// One sample's slices in the backward pass: its part of the input's gradient (when that is needed), its input,
/// and its output's gradient.
type SampleSlices<'a, 'b> = ((&'a mut Option<&'b mut [f32]>, &'a [f32]), &'a [f32]);

impl Backward for ConvolutionBackward {
    fn backward(
        &self,
        grad: &CTensor,
        needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let g = self.geometry;
        let (o, window, positions) = (self.weight.dim(0)?, g.window(), g.positions());
        let image = g.c * g.h * g.w;
        let (needs_input, needs_weight) = (needs[0], needs[1]);
        let (dx, dw, db) = with_values(grad, |dy| {
            with_values(&self.input, |x| {
                with_values(&self.weight, |w| {
                    // One sample: dW += dOut · colsᵀ, and dx = col2im(Wᵀ · dOut).
                    let sample = |mut dw: Vec<f32>, ((dx, x), dy): SampleSlices| {
                        Scratch::with(|scratch| {
                            let Scratch {
                                cols,
                                grad_cols,
                                wide,
                            } = scratch;
                            // In the wide layout the output's gradient is widened first, with zeros in the
                            // columns that are not outputs, and the products run over the wide positions.
                            let (cols_len, dy) = if g.has_wide_layout() {
                                let wide = sized(wide, o * g.wide_positions());
                                im2col::widen(dy, &g, wide);
                                (g.wide_positions(), &wide[..])
                            } else {
                                (positions, dy)
                            };
                            if needs_weight {
                                let cols = sized(cols, window * cols_len);
                                if g.has_wide_layout() {
                                    im2col::im2col_wide(x, &g, cols);
                                } else {
                                    im2col::im2col(x, &g, cols);
                                }
                                matmul(
                                    &mut dw,
                                    dy,
                                    Stored::AsIs,
                                    cols,
                                    Stored::Transposed,
                                    (o, window, cols_len),
                                    true,
                                    false,
                                );
                            }
                            if let Some(dx) = dx {
                                let grad_cols = sized(grad_cols, window * cols_len);
                                matmul(
                                    grad_cols,
                                    w,
                                    Stored::Transposed,
                                    dy,
                                    Stored::AsIs,
                                    (window, cols_len, o),
                                    false,
                                    false,
                                );
                                if g.has_wide_layout() {
                                    im2col::col2im_wide(grad_cols, &g, dx);
                                } else {
                                    im2col::col2im(grad_cols, &g, dx);
                                }
                            }
                        });
                        dw
                    };
                    let start = || vec![0f32; if needs_weight { o * window } else { 0 }];
                    let mut dx = needs_input.then(|| vec![0f32; g.n * image]);
                    // Each sample's slice of dx, or None for every sample when dx is not needed.
                    let mut dx_parts: Vec<Option<&mut [f32]>> = match &mut dx {
                        Some(dx) => dx.chunks_mut(image).map(Some).collect(),
                        None => (0..g.n).map(|_| None).collect(),
                    };
                    let work =
                        (needs_weight as usize + needs_input as usize) * o * positions * window;
                    let dw = if worth_threads(g.n, work) {
                        dx_parts
                            .par_iter_mut()
                            .zip(x.par_chunks(image))
                            .zip(dy.par_chunks(o * positions))
                            .fold(start, sample)
                            .reduce_with(|mut a, b| {
                                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                                a
                            })
                            .unwrap_or_else(start)
                    } else {
                        dx_parts
                            .iter_mut()
                            .zip(x.chunks(image))
                            .zip(dy.chunks(o * positions))
                            .fold(start(), sample)
                    };
                    drop(dx_parts);
                    let db = (needs.get(2) == Some(&true)).then(|| {
                        let mut db = vec![0f32; o];
                        for sample in dy.chunks(o * positions) {
                            for (db, plane) in db.iter_mut().zip(sample.chunks(positions)) {
                                *db += sum(plane);
                            }
                        }
                        db
                    });
                    (dx, needs_weight.then_some(dw), db)
                })
            })
        })???;
        Ok(vec![
            dx.map(|dx| CTensor::from_vec(dx, (g.n, g.c, g.h, g.w), &Device::Cpu))
                .transpose()?,
            dw.map(|dw| CTensor::from_vec(dw, (o, g.c, g.k_h, g.k_w), &Device::Cpu))
                .transpose()?,
            db.map(|db| CTensor::from_vec(db, o, &Device::Cpu))
                .transpose()?,
        ])
    }
}

/// Convolves a mini-batch `[N, C, H, W]` with `weight` `[O, C, kH, kW]`, adds `bias` `[O]`.
///
/// Refused with an error naming the argument: a weight that is not 4-D, a bias that is not `[O]`, a stride of 0,
/// an input without a batch dimension or with another number of channels, and a kernel larger than the padded
/// images.
pub fn conv2d(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    stride: usize,
    padding: usize,
) -> Result<Tensor> {
    let shape = input.shape();
    let [out_channels, channels, k_h, k_w] = match weight.shape()[..] {
        [o, c, kh, kw] => [o, c, kh, kw],
        _ => {
            let channels = match shape[..] {
                [_, c, _, _] | [c, _, _] => c.to_string(),
                _ => "in_channels".to_string(),
            };
            let example_channels = shape.get(shape.len().wrapping_sub(3)).copied().unwrap_or(1);
            return Err(Error::WeightShape {
                layer: "conv2d".into(),
                expected: format!("[out_channels, {channels}, kernel_size, kernel_size]"),
                got: weight.shape(),
                example: format!("Tensor::randn(&[6, {example_channels}, 5, 5])?"),
            });
        }
    };
    if let Some(bias) = bias {
        if bias.shape() != [out_channels] {
            return Err(Error::BiasShape {
                layer: "conv2d".into(),
                outputs: out_channels,
                got: bias.shape(),
            });
        }
    }
    if stride == 0 {
        return Err(Error::ZeroArgument {
            call: "conv2d".into(),
            argument: "stride".into(),
            example: "F::conv2d(&input, &weight, Some(&bias), 1, 0)?".into(),
        });
    }
    if shape.len() == 3 && shape[0] == channels {
        let mut fixed = vec![1];
        fixed.extend(&shape);
        return Err(Error::NeedsBatch {
            layer: "conv2d".into(),
            channels,
            got: shape,
            fixed,
        });
    }
    if shape.len() != 4 || shape[1] != channels {
        return Err(Error::ShapeMismatch {
            layer: "conv2d".into(),
            expected: format!("[N, {channels}, H, W]"),
            got: shape,
            hint: Hint::None,
        });
    }
    let padded = |side: usize| padding.checked_mul(2).and_then(|p| p.checked_add(side));
    let (padded_h, padded_w) = (padded(shape[2]), padded(shape[3]));
    let fits = |padded: Option<usize>, k: usize| padded.map_or(true, |p| p >= k);
    if !fits(padded_h, k_h) || !fits(padded_w, k_w) {
        return Err(Error::ConvKernelTooLarge {
            layer: "conv2d".into(),
            kernel: (k_h, k_w),
            padding,
            got: shape,
        });
    }
    // The output, and one sample's window matrix, must fit in memory.
    let too_large = |what: String| Error::TensorTooLarge {
        call: "conv2d".into(),
        shape: what,
    };
    let (Some(padded_h), Some(padded_w)) = (padded_h, padded_w) else {
        return Err(too_large(format!(
            "[{}, {out_channels}, ...] (padding {padding})",
            shape[0]
        )));
    };
    let (oh, ow) = ((padded_h - k_h) / stride + 1, (padded_w - k_w) / stride + 1);
    let out_shape = [shape[0], out_channels, oh, ow];
    let out_count = value_count("conv2d", &out_shape)?;
    let window = channels * k_h * k_w;
    let cols_shape = [window, oh, ow];
    let cols_count =
        value_count("conv2d", &cols_shape).map_err(|_| too_large(format!("{out_shape:?}")))?;
    memory_for("conv2d", &out_shape, cols_count)?;
    let mut out = values_or_error("conv2d", &out_shape, out_count, 0.0)?;
    let g = Geometry::new(
        [shape[0], shape[1], shape[2], shape[3]],
        k_h,
        k_w,
        stride,
        padding,
    );
    let (window, positions, image) = (g.window(), g.positions(), g.c * g.h * g.w);
    let bias_values = bias.map(Tensor::to_vec).transpose()?;
    let kernel = weight.candle().contiguous()?;
    let x = input.candle().contiguous()?;
    let sample = |(out, x): (&mut [f32], &[f32]), w: &[f32]| {
        Scratch::with(|scratch| {
            if g.has_wide_layout() {
                // wide [o, wide positions] = W · cols, then the output columns, plus the bias.
                let wide_len = g.wide_positions();
                let cols = sized(&mut scratch.cols, window * wide_len);
                im2col::im2col_wide(x, &g, cols);
                let wide = sized(&mut scratch.wide, out_channels * wide_len);
                matmul(
                    wide,
                    w,
                    Stored::AsIs,
                    cols,
                    Stored::AsIs,
                    (out_channels, wide_len, window),
                    false,
                    false,
                );
                im2col::narrow(wide, &g, bias_values.as_deref(), out);
                return;
            }
            let cols = sized(&mut scratch.cols, window * positions);
            im2col::im2col(x, &g, cols);
            // out [o, oh·ow] = W · cols
            matmul(
                out,
                w,
                Stored::AsIs,
                cols,
                Stored::AsIs,
                (out_channels, positions, window),
                false,
                false,
            );
            if let Some(b) = &bias_values {
                for (plane, b) in out.chunks_mut(positions).zip(b) {
                    plane.iter_mut().for_each(|v| *v += b);
                }
            }
        })
    };
    with_values(&x, |x| {
        with_values(&kernel, |w| {
            if worth_threads(g.n, out_channels * positions * window) {
                out.par_chunks_mut(out_channels * positions)
                    .zip(x.par_chunks(image))
                    .for_each(|pair| sample(pair, w));
            } else {
                out.chunks_mut(out_channels * positions)
                    .zip(x.chunks(image))
                    .for_each(|pair| sample(pair, w));
            }
        })
    })??;
    let out = CTensor::from_vec(out, (g.n, out_channels, g.oh, g.ow), &Device::Cpu)?;
    let op = ConvolutionBackward {
        input: x,
        weight: kernel,
        geometry: g,
    };
    let inputs: Vec<&Tensor> = match bias {
        Some(b) => vec![input, weight, b],
        None => vec![input, weight],
    };
    Ok(Tensor::from_op(out, "ConvolutionBackward0", &inputs, op))
}
