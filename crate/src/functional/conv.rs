//! 2-D convolution (`ConvolutionBackward0`).

use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::Tensor as CTensor;

struct ConvolutionBackward {
    input: CTensor,
    weight: CTensor,
    stride: usize,
    padding: usize,
}

impl Backward for ConvolutionBackward {
    fn backward(
        &self,
        grad: &CTensor,
        needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let (stride, padding) = (self.stride, self.padding);
        let grad_input = if needs[0] {
            // The transposed convolution spreads each output gradient back over the window it came from;
            // `out_padding` restores the rows/columns a strided convolution skipped.
            let (_, _, k_h, _) = self.weight.dims4()?;
            let out_size = (grad.dim(2)? - 1) * stride + k_h - 2 * padding;
            let out_padding = self.input.dim(2)? - out_size;
            Some(grad.conv_transpose2d(&self.weight, padding, out_padding, stride, 1)?)
        } else {
            None
        };
        let grad_weight = if needs[1] {
            // dW[o, c] = sum over batch and positions of input windows times the output gradient:
            // a convolution of the input (channels as batch) by the gradient (dilated by the stride).
            let (_, _, k_h, k_w) = self.weight.dims4()?;
            let g = self
                .input
                .transpose(0, 1)?
                .conv2d(&grad.transpose(0, 1)?, padding, 1, stride, 1)?
                .transpose(0, 1)?;
            Some(g.narrow(2, 0, k_h)?.narrow(3, 0, k_w)?.contiguous()?)
        } else {
            None
        };
        let grad_bias = if needs.get(2) == Some(&true) {
            Some(grad.sum(3)?.sum(2)?.sum(0)?)
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
    let (x, kernel) = (input.candle(), weight.candle());
    let mut out = x.conv2d(&kernel, padding, stride, 1, 1)?;
    if let Some(b) = bias {
        out = out.broadcast_add(&b.candle().reshape((1, out_channels, 1, 1))?)?;
    }
    let op = ConvolutionBackward {
        input: x,
        weight: kernel,
        stride,
        padding,
    };
    let inputs: Vec<&Tensor> = match bias {
        Some(b) => vec![input, weight, b],
        None => vec![input, weight],
    };
    Ok(Tensor::from_op(out, "ConvolutionBackward0", &inputs, op))
}
