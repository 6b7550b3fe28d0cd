//! The one error type of the crate: every failure a learner can meet, with a message that says what to do.

use std::path::PathBuf;

/// Everything that can go wrong in blitz. Match on the variant (its kind); show the message to a person.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A layer got an input without a batch dimension.
    #[error(
        "{layer} expects a mini-batch of shape [N, {channels}, H, W], but got {got:?} (no batch dimension).\n\
         Networks only take mini-batches. To pass one sample, add a fake batch dimension of size 1:\n\
         \x20   let input = input.unsqueeze(0)?;   // {got:?} -> {fixed:?}"
    )]
    NeedsBatch {
        /// The layer that refused the input, e.g. `conv1 (Conv2d)`.
        layer: String,
        /// The number of channels the layer expects.
        channels: usize,
        /// The shape that arrived.
        got: Vec<usize>,
        /// The shape after `unsqueeze(0)`.
        fixed: Vec<usize>,
    },
    /// A layer got an input whose shape it cannot take.
    #[error("{layer}: expected an input of shape {expected}, but got {got:?}.{hint}")]
    ShapeMismatch {
        /// The layer (or operation) that refused the input.
        layer: String,
        /// What the layer takes, in words such as `[N, 400]`.
        expected: String,
        /// The shape that arrived.
        got: Vec<usize>,
        /// Extra help: where the wrong number comes from and how to fix it (may be empty).
        hint: String,
    },
    /// A loss got a target whose shape differs from the network's output.
    #[error(
        "{loss}: the target has shape {target:?} but the output has shape {output:?}; a loss compares them value by value, \
         so they must have the same shape.\n\
         Reshape the target to the output's shape: `let target = target.view(&{output:?})?;`"
    )]
    TargetShape {
        /// The loss, e.g. `MSELoss`.
        loss: String,
        /// The output's shape.
        output: Vec<usize>,
        /// The target's shape.
        target: Vec<usize>,
    },
    /// `backward()` was called on a tensor with more than one element.
    #[error(
        "backward() without a gradient only works on a single number (a loss), but this tensor has shape {shape:?}.\n\
         Either compute a loss first (e.g. `let loss = MSELoss::new().forward(&out, &target)?; loss.backward()?`),\n\
         or pass the gradient of the output yourself: `out.backward_with(&Tensor::randn(&{shape:?})?)?`."
    )]
    BackwardNeedsGradient {
        /// The shape of the tensor `backward()` was called on.
        shape: Vec<usize>,
    },
    /// `backward()` was called on a tensor that no parameter contributed to.
    #[error(
        "this tensor has no grad_fn: nothing that requires a gradient was used to compute it, so backward() has \
         nothing to do. Gradients flow back to parameters (tensors made with `requires_grad`)."
    )]
    NoGraph,
    /// The graph behind this tensor was already used by a `backward` and its saved values were freed.
    #[error(
        "the graph of {node} was already back-propagated once and its saved values are freed.\n\
         Run the forward pass again (each forward builds a new graph), or call `backward_retain_graph` the first time."
    )]
    GraphFreed {
        /// The node whose saved values are gone.
        node: String,
    },
    /// A gradient passed to `backward_with` does not have the output's shape.
    #[error("the gradient passed to backward_with has shape {got:?}, but the output has shape {expected:?}: they must match")]
    GradientShape {
        /// The output's shape.
        expected: Vec<usize>,
        /// The gradient's shape.
        got: Vec<usize>,
    },
    /// A weight file lacks a tensor the network needs.
    #[error("{file}: no tensor named `{key}`. The file has: {available}")]
    MissingTensor {
        /// The file read.
        file: PathBuf,
        /// The missing name.
        key: String,
        /// The names the file does have (shortened).
        available: String,
    },
    /// A tensor in a weight file has the wrong shape for the network.
    #[error("{file}: `{key}` has shape {got:?}, but the network needs {expected:?}. Was it saved from a different network (e.g. 3x3 instead of 5x5 kernels)?")]
    WrongTensorShape {
        /// The file read.
        file: PathBuf,
        /// The tensor's name.
        key: String,
        /// The shape the network needs.
        expected: Vec<usize>,
        /// The shape in the file.
        got: Vec<usize>,
    },
    /// Reading or writing a file failed.
    #[error("{file}: {source}")]
    Io {
        /// The file involved.
        file: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// An error from candle itself.
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
}

/// The result type of blitz.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The same error, naming the layer it happened in: `conv2d` becomes `conv1 (conv2d)`, then `features.conv1 (conv2d)`.
    pub fn at_layer(mut self, name: &str) -> Error {
        if let Error::NeedsBatch { layer, .. } | Error::ShapeMismatch { layer, .. } = &mut self {
            *layer = if layer.contains(" (") {
                format!("{name}.{layer}")
            } else {
                format!("{name} ({layer})")
            };
        }
        self
    }
}
