//! Autograd as the lesson teaches it: the graph recorded by the forward pass, and backward through it.
//!
//! Why blitz records its own graph instead of using candle's: candle's `backward` hides the graph
//! (`Tensor::op` is crate-private), returns fresh gradients instead of accumulating them on the parameters, and
//! also differentiates the image and the target. Here every operation records a [`GradFn`] node holding its
//! own backward rule over plain candle tensors, so the graph a learner walks is exactly the graph whose
//! backward runs, and only inputs that need a gradient get one.

mod engine;
pub mod graph;
mod mode;
mod node;

pub(crate) use engine::run_backward;
pub use graph::Graph;
pub use mode::{is_grad_enabled, no_grad};
pub use node::GradFn;
pub(crate) use node::{NodeInner, NodeKind};

use candle_core::Tensor as CTensor;

/// The backward rule of one operation: from the gradient of its output to the gradients of its inputs.
pub(crate) trait Backward {
    /// Gradients for each input, in order; only where `needs[i]` is true (others may be `None`).
    fn backward(&self, grad: &CTensor, needs: &[bool])
        -> candle_core::Result<Vec<Option<CTensor>>>;
}
