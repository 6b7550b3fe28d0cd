//! RMSprop: divides each gradient by a running average of its recent size.

use super::{commit, AccumulationCheck, Optimizer};
use crate::{Result, Tensor};
use candle_core::Tensor as CTensor;

/// RMSprop as PyTorch defines it (alpha 0.99, eps 1e-8): `v = α v + (1-α) g²`, `w = w - lr g / (√v + eps)`.
pub struct RMSprop {
    params: Vec<Tensor>,
    lr: f64,
    alpha: f64,
    eps: f64,
    squares: Vec<Option<CTensor>>,
    accumulation: AccumulationCheck,
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
            accumulation: AccumulationCheck::default(),
        }
    }

    /// The same optimizer, printing a warning (once) when a step uses gradients that several backward passes
    /// added up, the usual sign of a forgotten `zero_grad()`.
    pub fn warn_accumulated_grads(mut self) -> RMSprop {
        self.accumulation.enabled = true;
        self
    }

    /// The same optimizer with another smoothing constant.
    pub fn alpha(mut self, alpha: f64) -> RMSprop {
        self.alpha = alpha;
        self
    }
}

impl Optimizer for RMSprop {
    fn step(&mut self) -> Result<()> {
        self.accumulation.before_step(&self.params);
        let mut updates = Vec::new();
        let mut squares = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            let Some(g) = p.grad_candle() else { continue };
            let v = match &self.squares[i] {
                Some(v) => v.clone(),
                None => g.zeros_like()?,
            };
            let v = (v.affine(self.alpha, 0.)? + g.sqr()?.affine(1.0 - self.alpha, 0.)?)?;
            let denom = v.sqrt()?.affine(1.0, self.eps)?;
            let update = g.div(&denom)?.affine(self.lr, 0.)?;
            updates.push((p, (p.candle() - update)?));
            squares.push((i, v));
        }
        commit(updates, self.lr)?;
        for (i, v) in squares {
            self.squares[i] = Some(v);
        }
        Ok(())
    }

    fn params(&self) -> &[Tensor] {
        &self.params
    }

    fn lr(&self) -> f64 {
        self.lr
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }
}
