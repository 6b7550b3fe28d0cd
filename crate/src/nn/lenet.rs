//! The lesson's network: LeNet for 32x32 grey images and 10 classes.

use super::{Conv2d, Linear, Module, ModuleExt};
use crate::{Error, Hint, Result, Tensor};

/// LeNet as the lesson defines it: conv1 1→6, conv2 6→16, then fully connected 16·s·s→120→84→10,
/// with ReLU and 2x2 max-pooling after each convolution.
///
/// `Net::new()` uses 5x5 kernels (fc1 takes 16·5·5 = 400 values); `Net::with_kernel_size(3)` is the
/// variant with 3x3 kernels (fc1 takes 16·6·6 = 576).
#[derive(Clone, Debug)]
pub struct Net {
    /// 1 input channel (grey) → 6 feature maps.
    pub conv1: Conv2d,
    /// 6 → 16 feature maps.
    pub conv2: Conv2d,
    /// 16·s·s → 120.
    pub fc1: Linear,
    /// 120 → 84.
    pub fc2: Linear,
    /// 84 → 10 class scores.
    pub fc3: Linear,
}

impl Net {
    /// LeNet with 5x5 kernels, freshly initialised.
    pub fn new() -> Result<Net> {
        Net::with_kernel_size(5)
    }

    /// LeNet with `k`x`k` kernels; fc1's input size follows from a 32x32 image.
    ///
    /// `k` goes from 1 to 10: larger kernels leave no feature map for fc1 ([`Error::LeNetKernelSize`]).
    pub fn with_kernel_size(k: usize) -> Result<Net> {
        if k == 0 {
            return Err(Error::ZeroArgument {
                call: "Net::with_kernel_size".into(),
                argument: "k".into(),
                example: "Net::with_kernel_size(3)?".into(),
            });
        }
        let side = Net::feature_side(k);
        if side == 0 {
            return Err(Error::LeNetKernelSize { k });
        }
        let net = Net {
            conv1: Conv2d::new(1, 6, k)?,
            conv2: Conv2d::new(6, 16, k)?,
            fc1: Linear::new(16 * side * side, 120)?,
            fc2: Linear::new(120, 84)?,
            fc3: Linear::new(84, 10)?,
        };
        // Listing the parameters names each one (`conv1.bias`), so messages about it can say which.
        net.named_parameters();
        Ok(net)
    }

    /// The side of each of the 16 feature maps that reach fc1 for a 32x32 image and `k`x`k` kernels:
    /// conv (32-k+1), pool (÷2), conv (-k+1), pool (÷2). 5 for k = 5, 6 for k = 3; 0 when nothing is left
    /// (k above 10).
    pub fn feature_side(k: usize) -> usize {
        let conv1 = 33usize.saturating_sub(k);
        let conv2 = (conv1 / 2 + 1).saturating_sub(k);
        conv2 / 2
    }

    /// The number of values per sample after flattening: every dimension but the batch one, multiplied.
    pub fn num_flat_features(x: &Tensor) -> usize {
        x.shape().iter().skip(1).product()
    }
}

impl Module for Net {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let input_side: Vec<usize> = x.shape().iter().rev().take(2).rev().copied().collect();
        let x = self.conv1.forward(x).map_err(|e| e.at_layer("conv1"))?;
        let x = x.relu()?.max_pool2d(2)?;
        let x = self.conv2.forward(&x).map_err(|e| e.at_layer("conv2"))?;
        let x = x.relu()?.max_pool2d(2)?;
        let flat = Net::num_flat_features(&x);
        let x = x.view(&[-1, flat as i64])?;
        let x = self
            .fc1
            .forward(&x)
            .map_err(|e| fc1_error(e, self, flat, &input_side))?;
        let x = x.relu()?;
        let x = self
            .fc2
            .forward(&x)
            .map_err(|e| e.at_layer("fc2"))?
            .relu()?;
        self.fc3.forward(&x).map_err(|e| e.at_layer("fc3"))
    }

    fn children(&self) -> Vec<(String, &dyn Module)> {
        vec![
            ("conv1".into(), &self.conv1 as &dyn Module),
            ("conv2".into(), &self.conv2),
            ("fc1".into(), &self.fc1),
            ("fc2".into(), &self.fc2),
            ("fc3".into(), &self.fc3),
        ]
    }
}

/// fc1's error, explaining where the flattened size comes from: images of another size than 32x32 (MNIST's
/// 28x28, say), or convolutions that do not match fc1.
fn fc1_error(e: Error, net: &Net, flat: usize, input_side: &[usize]) -> Error {
    let e = e.at_layer("fc1");
    match e {
        Error::ShapeMismatch {
            layer,
            expected,
            got,
            ..
        } => {
            let hint = match input_side {
                &[height, width] if (height, width) != (32, 32) => {
                    Hint::ImageSize { height, width }
                }
                _ => Hint::Fc1 {
                    flat,
                    made_for: net.fc1.in_features(),
                    kernel: net.conv2.kernel_size(),
                },
            };
            Error::ShapeMismatch {
                layer,
                expected,
                got,
                hint,
            }
        }
        other => other,
    }
}
