//! Loss functions as objects, with the lesson's names (`MSELoss`, `CrossEntropyLoss`).

use crate::{functional, Error, Result, Tensor};

/// Mean squared error between an output and a target of the same shape (PyTorch's `nn.MSELoss`).
#[derive(Clone, Copy, Debug, Default)]
pub struct MSELoss;

impl MSELoss {
    /// The criterion.
    pub fn new() -> MSELoss {
        MSELoss
    }

    /// The loss: a single number with `grad_fn=<MseLossBackward0>`.
    ///
    /// A NaN or infinite loss is an error ([`Error::NonFiniteLoss`]): training cannot go on from it.
    pub fn forward(&self, output: &Tensor, target: &Tensor) -> Result<Tensor> {
        finite("MSELoss", functional::mse_loss(output, target)?)
    }
}

/// Cross-entropy between class scores `[N, classes]` and class indices (PyTorch's `nn.CrossEntropyLoss`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CrossEntropyLoss;

impl CrossEntropyLoss {
    /// The criterion.
    pub fn new() -> CrossEntropyLoss {
        CrossEntropyLoss
    }

    /// The mean over the batch of `-log softmax(scores)[target]`.
    ///
    /// A NaN or infinite loss is an error ([`Error::NonFiniteLoss`]): training cannot go on from it.
    pub fn forward(&self, scores: &Tensor, targets: &[usize]) -> Result<Tensor> {
        finite(
            "CrossEntropyLoss",
            functional::cross_entropy(scores, targets)?,
        )
    }
}

/// The loss itself, or an error when it is NaN or infinite.
fn finite(name: &str, loss: Tensor) -> Result<Tensor> {
    let value = loss.item()?;
    if value.is_finite() {
        Ok(loss)
    } else {
        Err(Error::NonFiniteLoss {
            loss: name.to_string(),
            value,
        })
    }
}
