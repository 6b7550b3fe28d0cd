//! PyTorch's default initialisation of layers, so a fresh blitz network starts like a fresh PyTorch one.

use crate::tensor::filled;
use crate::{random, Result, Tensor};

/// Weights uniform in ±1/√fan_in: PyTorch's `kaiming_uniform_(a=√5)`, whose bound
/// `gain·√(3/fan_in)` with `gain = √(2/(1+5))` simplifies to exactly this. `call` names the constructor in errors.
pub(crate) fn kaiming_uniform(call: &str, shape: &[usize], fan_in: usize) -> Result<Tensor> {
    uniform(call, shape, fan_in)
}

/// Biases uniform in ±1/√fan_in, as PyTorch's `Linear` and `Conv2d` do (fan_in = in_channels·k·k for a conv).
pub(crate) fn bias_uniform(call: &str, shape: &[usize], fan_in: usize) -> Result<Tensor> {
    uniform(call, shape, fan_in)
}

fn uniform(call: &str, shape: &[usize], fan_in: usize) -> Result<Tensor> {
    let bound = 1.0 / (fan_in.max(1) as f32).sqrt();
    let mut values = filled(call, shape, 0.0)?;
    random::fill_uniform(&mut values, bound);
    Ok(Tensor::from_vec(values, shape)?.requires_grad_(true))
}
