//! Layers without parameters: `ReLU`, `MaxPool2d`, `Flatten`.

use super::{summary, Module};
use crate::{functional, Error, Result, Tensor};

/// max(0, x) as a layer (PyTorch's `nn.ReLU`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReLU;

impl Module for ReLU {
    fn forward(&self, input: &Tensor) -> Result<Tensor> {
        let out = functional::relu(input)?;
        summary::record("ReLU", &out, 0);
        Ok(out)
    }

    fn type_name(&self) -> String {
        "ReLU".into()
    }
}

/// 2-D max pooling as a layer (PyTorch's `nn.MaxPool2d`), stride equal to the window by default.
#[derive(Clone, Copy, Debug)]
pub struct MaxPool2d {
    kernel_size: usize,
    stride: usize,
}

impl MaxPool2d {
    /// Windows of `kernel_size`x`kernel_size`, moving by the same amount; `kernel_size` must be at least 1.
    pub fn new(kernel_size: usize) -> Result<MaxPool2d> {
        if kernel_size == 0 {
            return Err(Error::ZeroArgument {
                call: "MaxPool2d::new".into(),
                argument: "kernel_size".into(),
                example: "MaxPool2d::new(2)?".into(),
            });
        }
        Ok(MaxPool2d {
            kernel_size,
            stride: kernel_size,
        })
    }

    /// The same pooling moving by `stride`, which must be at least 1.
    pub fn stride(mut self, stride: usize) -> Result<MaxPool2d> {
        if stride == 0 {
            return Err(Error::ZeroArgument {
                call: "MaxPool2d::stride".into(),
                argument: "stride".into(),
                example: "MaxPool2d::new(3)?.stride(2)?".into(),
            });
        }
        self.stride = stride;
        Ok(self)
    }
}

impl Module for MaxPool2d {
    fn forward(&self, input: &Tensor) -> Result<Tensor> {
        let out = functional::max_pool2d(input, self.kernel_size, self.stride)?;
        summary::record("MaxPool2d", &out, 0);
        Ok(out)
    }

    fn type_name(&self) -> String {
        "MaxPool2d".into()
    }

    fn extra_repr(&self) -> String {
        format!(
            "kernel_size={}, stride={}, padding=0, dilation=1, ceil_mode=False",
            self.kernel_size, self.stride
        )
    }
}

/// Flattens each sample into one row (PyTorch's `nn.Flatten`, start_dim 1).
#[derive(Clone, Copy, Debug, Default)]
pub struct Flatten;

impl Module for Flatten {
    fn forward(&self, input: &Tensor) -> Result<Tensor> {
        let out = functional::flatten(input, 1)?;
        summary::record("Flatten", &out, 0);
        Ok(out)
    }

    fn type_name(&self) -> String {
        "Flatten".into()
    }

    fn extra_repr(&self) -> String {
        "start_dim=1, end_dim=-1".into()
    }
}
