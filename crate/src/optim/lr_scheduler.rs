//! Learning-rate schedules (PyTorch's `torch.optim.lr_scheduler`): big steps at first, small ones at the end.
//!
//! A schedule does not hold the optimizer (the training loop needs it for `step()`); its `step` is given the
//! optimizer and sets its learning rate for what comes next, usually once per epoch.

use super::Optimizer;

/// Lowers the learning rate along half a cosine, from the optimizer's to `eta_min` over `t_max` steps of the
/// schedule (PyTorch's `CosineAnnealingLR`): `eta_min + (base - eta_min) * (1 + cos(pi * t / t_max)) / 2`.
#[derive(Clone, Debug, PartialEq)]
pub struct CosineAnnealingLR {
    base_lr: f64,
    eta_min: f64,
    t_max: usize,
    t: usize,
}

impl CosineAnnealingLR {
    /// A schedule from `optimizer`'s learning rate down to 0 over `t_max` calls of [`CosineAnnealingLR::step`]
    /// (for example the number of epochs).
    pub fn new<O: Optimizer + ?Sized>(optimizer: &O, t_max: usize) -> CosineAnnealingLR {
        CosineAnnealingLR {
            base_lr: optimizer.lr(),
            eta_min: 0.0,
            t_max: t_max.max(1),
            t: 0,
        }
    }

    /// The same schedule ending at `eta_min` instead of 0.
    pub fn eta_min(mut self, eta_min: f64) -> CosineAnnealingLR {
        self.eta_min = eta_min;
        self
    }

    /// The learning rate after `t` steps of the schedule (it stays at `eta_min` after `t_max`).
    pub fn lr_at(&self, t: usize) -> f64 {
        let progress = t.min(self.t_max) as f64 / self.t_max as f64;
        self.eta_min
            + (self.base_lr - self.eta_min) * (1.0 + (std::f64::consts::PI * progress).cos()) / 2.0
    }

    /// Moves the schedule on by one and gives `optimizer` the new learning rate.
    pub fn step<O: Optimizer + ?Sized>(&mut self, optimizer: &mut O) {
        self.t += 1;
        optimizer.set_lr(self.lr_at(self.t));
    }

    /// The learning rate the schedule gives now.
    pub fn lr(&self) -> f64 {
        self.lr_at(self.t)
    }
}

/// Multiplies the learning rate by `gamma` every `step_size` steps of the schedule (PyTorch's `StepLR`).
#[derive(Clone, Debug, PartialEq)]
pub struct StepLR {
    base_lr: f64,
    step_size: usize,
    gamma: f64,
    t: usize,
}

impl StepLR {
    /// A schedule that multiplies `optimizer`'s learning rate by `gamma` (e.g. 0.1) every `step_size` calls of
    /// [`StepLR::step`].
    pub fn new<O: Optimizer + ?Sized>(optimizer: &O, step_size: usize, gamma: f64) -> StepLR {
        StepLR {
            base_lr: optimizer.lr(),
            step_size: step_size.max(1),
            gamma,
            t: 0,
        }
    }

    /// The learning rate after `t` steps of the schedule.
    pub fn lr_at(&self, t: usize) -> f64 {
        self.base_lr * self.gamma.powi((t / self.step_size) as i32)
    }

    /// Moves the schedule on by one and gives `optimizer` the new learning rate.
    pub fn step<O: Optimizer + ?Sized>(&mut self, optimizer: &mut O) {
        self.t += 1;
        optimizer.set_lr(self.lr_at(self.t));
    }

    /// The learning rate the schedule gives now.
    pub fn lr(&self) -> f64 {
        self.lr_at(self.t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::SGD;

    #[test]
    fn cosine_goes_from_the_optimizers_rate_to_eta_min() {
        let mut sgd = SGD::new(vec![], 0.1);
        let mut schedule = CosineAnnealingLR::new(&sgd, 4).eta_min(0.01);
        assert_eq!(schedule.lr(), 0.1);
        schedule.step(&mut sgd);
        schedule.step(&mut sgd);
        assert!((sgd.lr() - 0.055).abs() < 1e-12, "{}", sgd.lr());
        schedule.step(&mut sgd);
        schedule.step(&mut sgd);
        schedule.step(&mut sgd);
        assert!((sgd.lr() - 0.01).abs() < 1e-12);
    }

    #[test]
    fn step_lr_multiplies_every_step_size() {
        let mut sgd = SGD::new(vec![], 1.0);
        let mut schedule = StepLR::new(&sgd, 2, 0.5);
        let mut rates = Vec::new();
        for _ in 0..5 {
            schedule.step(&mut sgd);
            rates.push(sgd.lr());
        }
        assert_eq!(rates, [1.0, 0.5, 0.5, 0.25, 0.25]);
    }
}
