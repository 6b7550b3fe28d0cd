//! Adam: SGD with per-value step sizes from running averages of the gradient and its square.

use super::{commit, AccumulationCheck, Optimizer};
use crate::{Result, Tensor};
use candle_core::Tensor as CTensor;

/// Adam as PyTorch defines it (betas 0.9/0.999, eps 1e-8 by default), with bias correction.
pub struct Adam {
    params: Vec<Tensor>,
    lr: f64,
    betas: (f64, f64),
    eps: f64,
    step: i32,
    moments: Vec<Option<(CTensor, CTensor)>>,
    accumulation: AccumulationCheck,
}

impl Adam {
    /// Adam over `params` with learning rate `lr` (PyTorch's default is 1e-3).
    pub fn new(params: Vec<Tensor>, lr: f64) -> Adam {
        let moments = vec![None; params.len()];
        Adam {
            params,
            lr,
            betas: (0.9, 0.999),
            eps: 1e-8,
            step: 0,
            moments,
            accumulation: AccumulationCheck::default(),
        }
    }

    /// The same optimizer, printing a warning (once) when a step uses gradients that several backward passes
    /// added up, the usual sign of a forgotten `zero_grad()`.
    pub fn warn_accumulated_grads(mut self) -> Adam {
        self.accumulation.enabled = true;
        self
    }

    /// The same optimizer with other decay rates for the two running averages.
    pub fn betas(mut self, beta1: f64, beta2: f64) -> Adam {
        self.betas = (beta1, beta2);
        self
    }

    /// The same optimizer with another `eps` (added to the denominator).
    pub fn eps(mut self, eps: f64) -> Adam {
        self.eps = eps;
        self
    }
}

impl Optimizer for Adam {
    fn step(&mut self) -> Result<()> {
        self.accumulation.before_step(&self.params);
        let step = self.step + 1;
        let (b1, b2) = self.betas;
        let correction1 = 1.0 - b1.powi(step);
        let correction2_sqrt = (1.0 - b2.powi(step)).sqrt();
        let mut updates = Vec::new();
        let mut moments = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            let Some(g) = p.grad_candle() else { continue };
            let (m, v) = match &self.moments[i] {
                Some(mv) => mv.clone(),
                None => (g.zeros_like()?, g.zeros_like()?),
            };
            let m = (m.affine(b1, 0.)? + g.affine(1.0 - b1, 0.)?)?;
            let v = (v.affine(b2, 0.)? + g.sqr()?.affine(1.0 - b2, 0.)?)?;
            let denom = v.sqrt()?.affine(1.0 / correction2_sqrt, self.eps)?;
            let update = m.div(&denom)?.affine(self.lr / correction1, 0.)?;
            updates.push((p, (p.candle() - update)?));
            moments.push((i, (m, v)));
        }
        commit(updates, self.lr)?;
        self.step = step;
        for (i, mv) in moments {
            self.moments[i] = Some(mv);
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
