//! RMSprop: divides each gradient by a running average of its recent size.

use super::{grad_of, write, Optimizer};
use crate::{Result, Tensor};
use candle_core::Tensor as CTensor;

/// RMSprop as PyTorch defines it (alpha 0.99, eps 1e-8): `v = α v + (1-α) g²`, `w = w - lr g / (√v + eps)`.
pub struct RMSprop {
    params: Vec<Tensor>,
    lr: f64,
    alpha: f64,
    eps: f64,
    squares: Vec<Option<CTensor>>,
}

impl RMSprop {
    /// RMSprop over `params` with learning rate `lr` (PyTorch's default is 1e-2).
    pub fn new(params: Vec<Tensor>, lr: f64) -> RMSprop {
        let squares = vec![None; params.len()];
        RMSprop {
            params,
            lr,
            alpha: 0.99,
            eps: 1e-8,
            squares,
        }
    }

    /// The same optimizer with another smoothing constant.
    pub fn alpha(mut self, alpha: f64) -> RMSprop {
        self.alpha = alpha;
        self
    }
}

impl Optimizer for RMSprop {
    fn step(&mut self) -> Result<()> {
        for (p, state) in self.params.iter().zip(self.squares.iter_mut()) {
            let Some(g) = grad_of(p) else { continue };
            let v = match state.take() {
                Some(v) => v,
                None => g.zeros_like()?,
            };
            let v = (v.affine(self.alpha, 0.)? + g.sqr()?.affine(1.0 - self.alpha, 0.)?)?;
            let denom = v.sqrt()?.affine(1.0, self.eps)?;
            let update = g.div(&denom)?.affine(self.lr, 0.)?;
            write(p, (p.candle() - update)?)?;
            *state = Some(v);
        }
        Ok(())
    }

    fn params(&self) -> &[Tensor] {
        &self.params
    }
}
