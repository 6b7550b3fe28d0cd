//! Optimizers: rules that update the parameters from their gradients (PyTorch's `torch.optim`).
//!
//! Each keeps the parameters it was given; `zero_grad()` clears their gradients and `step()` updates them.
//! Parameters without a gradient are left as they are. The updates run on the parameters' values, outside
//! the graph, as PyTorch's do under `no_grad`.

mod adam;
pub mod lr_scheduler;
mod rmsprop;
mod sgd;

pub use adam::Adam;
pub use lr_scheduler::{CosineAnnealingLR, StepLR};
pub use rmsprop::RMSprop;
pub use sgd::SGD;

use crate::functional::cpu::{all_finite, with_values};
use crate::messages::{self, render, Language};
use crate::{Error, Result, Tensor};

/// What every optimizer does.
pub trait Optimizer {
    /// Updates every parameter that has a gradient, once.
    fn step(&mut self) -> Result<()>;

    /// The parameters this optimizer updates.
    fn params(&self) -> &[Tensor];

    /// The learning rate the next step uses.
    fn lr(&self) -> f64;

    /// Changes the learning rate from the next step on (what a learning-rate schedule does between steps,
    /// PyTorch's `param_group["lr"] = lr`). What the optimizer has accumulated (momentum, averages) is kept.
    fn set_lr(&mut self, lr: f64);

    /// Clears the gradients of its parameters (sets them to `None`).
    fn zero_grad(&self) {
        for p in self.params() {
            p.zero_grad();
        }
    }
}

/// Writes a step's new values into the parameters, all or none: if any new value is NaN or infinite, nothing
/// is written and the error names that parameter and the learning rate.
fn commit(updates: Vec<(&Tensor, candle_core::Tensor)>, lr: f64) -> Result<()> {
    for (i, (p, value)) in updates.iter().enumerate() {
        let finite = with_values(value, all_finite)?;
        if !finite {
            let param = p.name().unwrap_or_else(|| format!("#{i} {:?}", p.shape()));
            return Err(Error::NonFiniteParameter { param, lr });
        }
    }
    for (p, value) in updates {
        p.set_data(&Tensor::from_candle(value)?)?;
    }
    Ok(())
}

/// The warning for a step over gradients that several backward passes added up, in `language`; `None` when
/// every gradient comes from one backward (or none).
pub fn accumulated_warning(params: &[Tensor], language: Language) -> Option<String> {
    // The first parameter with the most backward passes (`max_by_key` would give the last).
    let (count, p) = params
        .iter()
        .rev()
        .map(|p| (p.grad_accumulations(), p))
        .max_by_key(|(count, _)| *count)?;
    (count > 1).then(|| {
        let param = p.name().unwrap_or_else(|| format!("{:?}", p.shape()));
        render(
            language,
            "accumulated-gradients",
            &[("count", count.to_string()), ("param", param)],
        )
    })
}

/// The opt-in warning an optimizer prints, once, when it steps on gradients summed over several backwards.
#[derive(Debug, Default)]
struct AccumulationCheck {
    enabled: bool,
    warned: bool,
}

impl AccumulationCheck {
    fn before_step(&mut self, params: &[Tensor]) {
        if self.enabled && !self.warned {
            if let Some(warning) = accumulated_warning(params, messages::language()) {
                eprintln!("{warning}");
                self.warned = true;
            }
        }
    }
}
