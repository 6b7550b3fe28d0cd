//! 2-D convolution (`ConvolutionBackward0`), computed per sample as im2col and matrix products.
//!
//! For each sample the input's windows are laid out as a matrix (im2col, `cols`: `[c·k·k, oh·ow]`). Then
//! - the output is `W · cols` (`[o, oh·ow]`, already in `[N, C, H, W]` order), plus the bias;
//! - the weight's gradient is the sum over samples of `dOut · colsᵀ`;
//! - the input's gradient is `Wᵀ · dOut` folded back onto the image (col2im).
//!
//! Samples run in parallel; each product is one call of the gemm crate. candle's own CPU convolution backward
//! (a transposed convolution, and a convolution with batch and channels swapped) was the slowest part of training.

use super::cpu::{matmul, with_values, worth_threads, Stored};
use super::im2col::{self, Geometry};
use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor};
use rayon::prelude::*;

struct ConvolutionBackward {
    /// Every sample's window matrix, `[n, c·k·k, oh·ow]`, kept for the weight's gradient.
    cols: Vec<f32>,
    /// The weight, `[o, c, k, k]`.
    weight: CTensor,
    geometry: Geometry,
}

impl Backward for ConvolutionBackward {
    fn backward(
        &self,
        grad: &CTensor,
        needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let g = self.geometry;
        let (o, window, positions) = (self.weight.dim(0)?, g.window(), g.positions());
        let image = g.c * g.h * g.w;
        with_values(grad, |dy| {
            with_values(&self.weight, |w| {
                let threads = worth_threads(g.n, o * positions * window);
                let grad_input = needs[0].then(|| {
                    let mut dx = vec![0f32; g.n * image];
                    let sample = |windows: &mut Vec<f32>, (dx, dy): (&mut [f32], &[f32])| {
                        // dCols [c·k·k, oh·ow] = Wᵀ · dOut
                        matmul(
                            windows,
                            w,
                            Stored::Transposed,
                            dy,
                            Stored::AsIs,
                            (window, positions, o),
                            false,
                            false,
                        );
                        im2col::col2im(windows, &g, dx);
                    };
                    if threads {
                        dx.par_chunks_mut(image)
                            .zip(dy.par_chunks(o * positions))
                            .for_each_init(|| vec![0f32; positions * window], sample);
                    } else {
                        let mut windows = vec![0f32; positions * window];
                        dx.chunks_mut(image)
                            .zip(dy.chunks(o * positions))
                            .for_each(|pair| sample(&mut windows, pair));
                    }
                    dx
                });
                let grad_weight = needs[1].then(|| {
                    // dW [o, c·k·k] = Σ over samples of dOut · colsᵀ
                    let add = |mut dw: Vec<f32>, (dy, cols): (&[f32], &[f32])| {
                        matmul(
                            &mut dw,
                            dy,
                            Stored::AsIs,
                            cols,
                            Stored::Transposed,
                            (o, window, positions),
                            true,
                            false,
                        );
                        dw
                    };
                    let zero = || vec![0f32; o * window];
                    if threads {
                        dy.par_chunks(o * positions)
                            .zip(self.cols.par_chunks(positions * window))
                            .fold(zero, add)
                            .reduce(zero, |mut a, b| {
                                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                                a
                            })
                    } else {
                        dy.chunks(o * positions)
                            .zip(self.cols.chunks(positions * window))
                            .fold(zero(), add)
                    }
                });
                let grad_bias = (needs.get(2) == Some(&true)).then(|| {
                    let mut db = vec![0f32; o];
                    for sample in dy.chunks(o * positions) {
                        for (db, plane) in db.iter_mut().zip(sample.chunks(positions)) {
                            *db += plane.iter().sum::<f32>();
                        }
                    }
                    db
                });
                (grad_input, grad_weight, grad_bias)
            })
        })
        .and_then(|inner| inner)
        .and_then(|(dx, dw, db)| {
            Ok(vec![
                dx.map(|dx| CTensor::from_vec(dx, (g.n, g.c, g.h, g.w), &Device::Cpu))
                    .transpose()?,
                dw.map(|dw| CTensor::from_vec(dw, (o, g.c, g.k_h, g.k_w), &Device::Cpu))
                    .transpose()?,
                db.map(|db| CTensor::from_vec(db, o, &Device::Cpu))
                    .transpose()?,
            ])
        })
    }
}

/// Convolves a mini-batch `[N, C, H, W]` with `weight` `[O, C, k, k]`, adds `bias` `[O]`.
pub fn conv2d(
    input: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    stride: usize,
    padding: usize,
) -> Result<Tensor> {
    let shape = input.shape();
    let w = weight.shape();
    let (out_channels, channels, k_h, k_w) = (w[0], w[1], w[2], w[3]);
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
    let fits = shape.len() == 4
        && shape[1] == channels
        && shape[2] + 2 * padding >= k_h
        && shape[3] + 2 * padding >= k_w;
    if !fits {
        return Err(Error::ShapeMismatch {
            layer: "conv2d".into(),
            expected: format!("[N, {channels}, H, W] with H, W >= {k_h} (the kernel size)"),
            got: shape,
            hint: Hint::None,
        });
    }
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
    // The windows are kept for the backward pass only when it will run; otherwise one buffer per thread is reused.
    let recorded = crate::autograd::is_grad_enabled()
        && (input.requires_grad()
            || weight.requires_grad()
            || bias.is_some_and(Tensor::requires_grad));
    let mut cols = vec![
        0f32;
        if recorded {
            g.n * positions * window
        } else {
            0
        }
    ];
    let mut out = vec![0f32; g.n * out_channels * positions];
    let sample = |cols: &mut [f32], out: &mut [f32], x: &[f32], w: &[f32]| {
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
    };
    let threads = worth_threads(g.n, out_channels * positions * window);
    with_values(&input.candle(), |x| {
        with_values(&kernel, |w| match (recorded, threads) {
            (true, true) => cols
                .par_chunks_mut(positions * window)
                .zip(out.par_chunks_mut(out_channels * positions))
                .zip(x.par_chunks(image))
                .for_each(|((cols, out), x)| sample(cols, out, x, w)),
            (true, false) => cols
                .chunks_mut(positions * window)
                .zip(out.chunks_mut(out_channels * positions))
                .zip(x.chunks(image))
                .for_each(|((cols, out), x)| sample(cols, out, x, w)),
            (false, true) => out
                .par_chunks_mut(out_channels * positions)
                .zip(x.par_chunks(image))
                .for_each_init(
                    || vec![0f32; positions * window],
                    |cols, (out, x)| sample(cols, out, x, w),
                ),
            (false, false) => {
                let mut scratch = vec![0f32; positions * window];
                out.chunks_mut(out_channels * positions)
                    .zip(x.chunks(image))
                    .for_each(|(out, x)| sample(&mut scratch, out, x, w));
            }
        })
    })??;
    let out = CTensor::from_vec(out, (g.n, out_channels, g.oh, g.ow), &Device::Cpu)?;
    let op = ConvolutionBackward {
        cols,
        weight: kernel,
        geometry: g,
    };
    let inputs: Vec<&Tensor> = match bias {
        Some(b) => vec![input, weight, b],
        None => vec![input, weight],
    };
    Ok(Tensor::from_op(out, "ConvolutionBackward0", &inputs, op))
}
