//! Adam: SGD with per-value step sizes from running averages of the gradient and its square.

use super::{commit, AccumulationCheck, Optimizer};
use crate::functional::cpu::with_values;
use crate::{Result, Tensor};
use candle_core::{Device, Tensor as CTensor};

/// Adam as PyTorch defines it (betas 0.9/0.999, eps 1e-8 by default), with bias correction.
pub struct Adam {
    params: Vec<Tensor>,
    lr: f64,
    betas: (f64, f64),
    eps: f64,
    step: i32,
    /// Each parameter's running averages of the gradient and of its square, once it had a gradient.
    moments: Vec<Option<(Vec<f32>, Vec<f32>)>>,
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
        // The rule's constants in f32, the type the values are computed in.
        let (b1, keep1, b2, keep2) = (b1 as f32, (1.0 - b1) as f32, b2 as f32, (1.0 - b2) as f32);
        let (scale2, eps) = ((1.0 / correction2_sqrt) as f32, self.eps as f32);
        let step_size = (self.lr / correction1) as f32;
        let mut updates = Vec::new();
        let mut moments = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            let Some(g) = p.grad_candle() else { continue };
            let n = g.elem_count();
            let zeros;
            let (m, v) = match &self.moments[i] {
                Some((m, v)) => (m.as_slice(), v.as_slice()),
                None => {
                    zeros = vec![0f32; n];
                    (zeros.as_slice(), zeros.as_slice())
                }
            };
            // Each collected straight into a new vector (the old averages stay until the step is committed).
            let (m, v, value) = with_values(&g, |g| {
                with_values(&p.candle(), |x| {
                    let m: Vec<f32> = m.iter().zip(g).map(|(&m, &g)| m * b1 + g * keep1).collect();
                    let v: Vec<f32> = v
                        .iter()
                        .zip(g)
                        .map(|(&v, &g)| v * b2 + g * g * keep2)
                        .collect();
                    let value: Vec<f32> = x
                        .iter()
                        .zip(&m)
                        .zip(&v)
                        .map(|((&x, &m), &v)| x - m / (v.sqrt() * scale2 + eps) * step_size)
                        .collect();
                    (m, v, value)
                })
            })??;
            updates.push((p, CTensor::from_vec(value, g.shape(), &Device::Cpu)?));
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
