//! The operations a network is built from, each with its forward (on candle) and its backward rule.
//!
//! Like `torch.nn.functional`: layers in [`crate::nn`] call these, and a learner can too.

mod activation;
mod arith;
mod conv;
pub(crate) mod cpu;
mod im2col;
mod linear;
mod loss;
mod pool;
mod shape;

pub use activation::{log_softmax, relu};
pub use conv::conv2d;
pub use linear::{addmm, linear, t};
pub use loss::{cross_entropy, mse_loss, nll_loss};
pub use pool::max_pool2d;
pub use shape::{flatten, reshape, unsqueeze};
