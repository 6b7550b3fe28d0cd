//! Stochastic gradient descent, with optional momentum and Nesterov momentum.

use super::{grad_of, write, Optimizer};
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
        }
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

    /// The learning rate.
    pub fn lr(&self) -> f64 {
        self.lr
    }
}

impl Optimizer for SGD {
    fn step(&mut self) -> Result<()> {
        for (p, buf) in self.params.iter().zip(self.buffers.iter_mut()) {
            let Some(mut g) = grad_of(p) else { continue };
            let w = p.candle();
            if self.weight_decay != 0.0 {
                g = (g + w.affine(self.weight_decay, 0.)?)?;
            }
            if self.momentum != 0.0 {
                let b = match buf.take() {
                    None => g.clone(),
                    Some(b) => (b.affine(self.momentum, 0.)? + &g)?,
                };
                g = if self.nesterov {
                    (g + b.affine(self.momentum, 0.)?)?
                } else {
                    b.clone()
                };
                *buf = Some(b);
            }
            write(p, (w - g.affine(self.lr, 0.)?)?)?;
        }
        Ok(())
    }

    fn params(&self) -> &[Tensor] {
        &self.params
    }
}
