//! Stochastic gradient descent, with optional momentum and Nesterov momentum.

use super::{commit, AccumulationCheck, Optimizer};
use crate::{Result, Tensor};
use candle_core::Tensor as CTensor;

/// SGD as PyTorch defines it: `w = w - lr * g`, where with momentum `buf = momentum * buf + g` and
/// `g = buf` (or `g + momentum * buf` with Nesterov).
pub struct SGD {
    params: Vec<Tensor>,
    lr: f64,
    momentum: f64,
    nesterov: bool,
    weight_decay: f64,
    buffers: Vec<Option<CTensor>>,
    accumulation: AccumulationCheck,
}

impl SGD {
    /// Plain SGD over `params` with learning rate `lr`.
    pub fn new(params: Vec<Tensor>, lr: f64) -> SGD {
        let buffers = vec![None; params.len()];
        SGD {
            params,
            lr,
            momentum: 0.0,
            nesterov: false,
            weight_decay: 0.0,
            buffers,
            accumulation: AccumulationCheck::default(),
        }
    }

    /// The same optimizer, printing a warning (once) when a step uses gradients that several backward passes
    /// added up, the usual sign of a forgotten `zero_grad()`.
    pub fn warn_accumulated_grads(mut self) -> SGD {
        self.accumulation.enabled = true;
        self
    }

    /// The same optimizer with momentum (e.g. 0.9).
    pub fn momentum(mut self, momentum: f64) -> SGD {
        self.momentum = momentum;
        self
    }

    /// The same optimizer using Nesterov momentum (needs a momentum above 0 to have an effect).
    pub fn nesterov(mut self, nesterov: bool) -> SGD {
        self.nesterov = nesterov;
        self
    }

    /// The same optimizer adding `weight_decay * w` to each gradient (L2 regularisation).
    pub fn weight_decay(mut self, weight_decay: f64) -> SGD {
        self.weight_decay = weight_decay;
        self
    }
}

impl Optimizer for SGD {
    fn step(&mut self) -> Result<()> {
        self.accumulation.before_step(&self.params);
        let mut updates = Vec::new();
        let mut buffers = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            let Some(mut g) = p.grad_candle() else {
                continue;
            };
            let w = p.candle();
            if self.weight_decay != 0.0 {
                g = (g + w.affine(self.weight_decay, 0.)?)?;
            }
            if self.momentum != 0.0 {
                let b = match &self.buffers[i] {
                    None => g.clone(),
                    Some(b) => (b.affine(self.momentum, 0.)? + &g)?,
                };
                g = if self.nesterov {
                    (g + b.affine(self.momentum, 0.)?)?
                } else {
                    b.clone()
                };
                buffers.push((i, b));
            }
            updates.push((p, (w - g.affine(self.lr, 0.)?)?));
        }
        commit(updates, self.lr)?;
        for (i, b) in buffers {
            self.buffers[i] = Some(b);
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
