//! The 2-D convolution layer.

use super::{init, summary, Module};
use crate::{functional, Error, Result, Tensor};

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
    ///
    /// Each of the three must be at least 1 ([`Error::ZeroArgument`] otherwise).
    pub fn new(in_channels: usize, out_channels: usize, kernel_size: usize) -> Result<Conv2d> {
        for (argument, value) in [
            ("in_channels", in_channels),
            ("out_channels", out_channels),
            ("kernel_size", kernel_size),
        ] {
            if value == 0 {
                return Err(Error::ZeroArgument {
                    call: "Conv2d::new".into(),
                    argument: argument.into(),
                    example: "Conv2d::new(1, 6, 5)?".into(),
                });
            }
        }
        let fan_in = in_channels
            .saturating_mul(kernel_size)
            .saturating_mul(kernel_size);
        Ok(Conv2d {
            weight: init::kaiming_uniform(
                "Conv2d::new",
                &[out_channels, in_channels, kernel_size, kernel_size],
                fan_in,
            )?,
            bias: init::bias_uniform("Conv2d::new", &[out_channels], fan_in)?,
            stride: 1,
            padding: 0,
        })
    }

    /// The same layer moving its kernel by `stride` pixels; `stride` must be at least 1.
    pub fn stride(mut self, stride: usize) -> Result<Conv2d> {
        if stride == 0 {
            return Err(Error::ZeroArgument {
                call: "Conv2d::stride".into(),
                argument: "stride".into(),
                example: "Conv2d::new(3, 64, 11)?.stride(4)?".into(),
            });
        }
        self.stride = stride;
        Ok(self)
    }

    /// The same layer with `padding` zeros added on every side of the input.
    pub fn padding(mut self, padding: usize) -> Conv2d {
        self.padding = padding;
        self
    }

    /// The number of input channels (0 if `weight` was replaced by a tensor that is not `[O, C, k, k]`).
    pub fn in_channels(&self) -> usize {
        dim_or_zero(&self.weight, 1)
    }

    /// The number of output channels.
    pub fn out_channels(&self) -> usize {
        dim_or_zero(&self.weight, 0)
    }

    /// The side of the square kernel.
    pub fn kernel_size(&self) -> usize {
        dim_or_zero(&self.weight, 2)
    }
}

/// Size `i` of a parameter's shape, 0 when it has fewer dimensions (the fields are public, so a learner may
/// have replaced the parameter; `forward` then says what is wrong).
pub(crate) fn dim_or_zero(t: &Tensor, i: usize) -> usize {
    t.shape().get(i).copied().unwrap_or(0)
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
