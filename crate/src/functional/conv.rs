//! 2-D convolution (`ConvolutionBackward0`).

use super::im2col::{self, Geometry};
use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor};

struct ConvolutionBackward {
    /// The input's windows, `[n·oh·ow, c·k·k]` (im2col), kept for the weight's gradient.
    rows: CTensor,
    /// The weight as a matrix, `[o, c·k·k]`.
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
        let o = self.weight.dim(0)?;
        // The output's gradient with one row per output position, like `rows`: [n·oh·ow, o].
        let grad_rows = grad
            .reshape((g.n, o, g.positions()))?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((g.n * g.positions(), o))?;
        let grad_input = if needs[0] {
            let windows = grad_rows
                .matmul(&self.weight)?
                .flatten_all()?
                .to_vec1::<f32>()?;
            let image = im2col::col2im(&windows, &g);
            Some(CTensor::from_vec(
                image,
                (g.n, g.c, g.h, g.w),
                &Device::Cpu,
            )?)
        } else {
            None
        };
        let grad_weight = if needs[1] {
            let dw = grad_rows.t()?.matmul(&self.rows)?;
            Some(dw.reshape((o, g.c, g.k_h, g.k_w))?)
        } else {
            None
        };
        let grad_bias = if needs.get(2) == Some(&true) {
            Some(grad_rows.sum(0)?)
        } else {
            None
        };
        Ok(vec![grad_input, grad_weight, grad_bias])
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
    // im2col, then one matrix product: [n·oh·ow, c·k·k] · [c·k·k, o] gives every output value.
    let g = Geometry::new(
        [shape[0], shape[1], shape[2], shape[3]],
        k_h,
        k_w,
        stride,
        padding,
    );
    let rows = im2col::im2col(&input.to_vec()?, &g);
    let rows = CTensor::from_vec(rows, (g.n * g.positions(), g.window()), &Device::Cpu)?;
    let kernel = weight.candle().reshape((out_channels, g.window()))?;
    let mut out = rows
        .matmul(&kernel.t()?)?
        .reshape((g.n, g.positions(), out_channels))?
        .transpose(1, 2)?
        .contiguous()?
        .reshape((g.n, out_channels, g.oh, g.ow))?;
    if let Some(b) = bias {
        out = out.broadcast_add(&b.candle().reshape((1, out_channels, 1, 1))?)?;
    }
    let op = ConvolutionBackward {
        rows,
        weight: kernel,
        geometry: g,
    };
    let inputs: Vec<&Tensor> = match bias {
        Some(b) => vec![input, weight, b],
        None => vec![input, weight],
    };
    Ok(Tensor::from_op(out, "ConvolutionBackward0", &inputs, op))
}
