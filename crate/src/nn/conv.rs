//! The 2-D convolution layer.

use super::{init, summary, Module};
use crate::{functional, Result, Tensor};

/// A 2-D convolution with square kernels (PyTorch's `nn.Conv2d`), initialised as PyTorch does.
#[derive(Clone, Debug)]
pub struct Conv2d {
    /// Kernels, `[out_channels, in_channels, k, k]`.
    pub weight: Tensor,
    /// One bias per output channel, `[out_channels]`.
    pub bias: Tensor,
    stride: usize,
    padding: usize,
}

impl Conv2d {
    /// `in_channels` → `out_channels` with `kernel_size`x`kernel_size` kernels, stride 1, no padding.
    pub fn new(in_channels: usize, out_channels: usize, kernel_size: usize) -> Result<Conv2d> {
        let fan_in = in_channels * kernel_size * kernel_size;
        Ok(Conv2d {
            weight: init::kaiming_uniform(
                &[out_channels, in_channels, kernel_size, kernel_size],
                fan_in,
            )?,
            bias: init::bias_uniform(&[out_channels], fan_in)?,
            stride: 1,
            padding: 0,
        })
    }

    /// The same layer moving its kernel by `stride` pixels.
    pub fn stride(mut self, stride: usize) -> Conv2d {
        self.stride = stride.max(1);
        self
    }

    /// The same layer with `padding` zeros added on every side of the input.
    pub fn padding(mut self, padding: usize) -> Conv2d {
        self.padding = padding;
        self
    }

    /// The number of input channels.
    pub fn in_channels(&self) -> usize {
        self.weight.shape()[1]
    }

    /// The number of output channels.
    pub fn out_channels(&self) -> usize {
        self.weight.shape()[0]
    }

    /// The side of the square kernel.
    pub fn kernel_size(&self) -> usize {
        self.weight.shape()[2]
    }
}

impl Module for Conv2d {
    fn forward(&self, input: &Tensor) -> Result<Tensor> {
        let out = functional::conv2d(
            input,
            &self.weight,
            Some(&self.bias),
            self.stride,
            self.padding,
        )?;
        summary::record(
            "Conv2d",
            &out,
            self.weight.elem_count() + self.bias.elem_count(),
        );
        Ok(out)
    }

    fn type_name(&self) -> String {
        "Conv2d".into()
    }

    fn extra_repr(&self) -> String {
        let k = self.kernel_size();
        let s = self.stride;
        let mut text = format!(
            "{}, {}, kernel_size=({k}, {k}), stride=({s}, {s})",
            self.in_channels(),
            self.out_channels()
        );
        if self.padding != 0 {
            text.push_str(&format!(", padding=({0}, {0})", self.padding));
        }
        text
    }

    fn own_parameters(&self) -> Vec<(String, Tensor)> {
        vec![
            ("weight".into(), self.weight.clone()),
            ("bias".into(), self.bias.clone()),
        ]
    }
}
