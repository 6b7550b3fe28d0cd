//! Optimizers: rules that update the parameters from their gradients (PyTorch's `torch.optim`).
//!
//! Each keeps the parameters it was given; `zero_grad()` clears their gradients and `step()` updates them.
//! Parameters without a gradient are left as they are. The updates run on the parameters' values, outside
//! the graph, as PyTorch's do under `no_grad`.

mod adam;
mod rmsprop;
mod sgd;

pub use adam::Adam;
pub use rmsprop::RMSprop;
pub use sgd::SGD;

use crate::{Result, Tensor};

/// What every optimizer does.
pub trait Optimizer {
    /// Updates every parameter that has a gradient, once.
    fn step(&mut self) -> Result<()>;

    /// The parameters this optimizer updates.
    fn params(&self) -> &[Tensor];

    /// Clears the gradients of its parameters (sets them to `None`).
    fn zero_grad(&self) {
        for p in self.params() {
            p.zero_grad();
        }
    }
}

/// The gradient of `p` as a candle tensor, if it has one.
fn grad_of(p: &Tensor) -> Option<candle_core::Tensor> {
    p.grad().map(|g| g.candle())
}

/// Writes new values into a parameter.
fn write(p: &Tensor, value: candle_core::Tensor) -> Result<()> {
    p.set_data(&Tensor::from_candle(value)?)
}
