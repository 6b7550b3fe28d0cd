//! blitz's random number generator: one per thread, re-seedable for reproducible lessons.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use std::cell::RefCell;

thread_local! {
    static RNG: RefCell<StdRng> = RefCell::new(StdRng::from_os_rng());
}

/// Seeds blitz's generator (PyTorch's `torch.manual_seed`): the same seed gives the same weights and inputs.
///
/// The numbers differ from PyTorch's for the same seed (another generator); load PyTorch's weights to compare.
pub fn manual_seed(seed: u64) {
    RNG.with(|r| *r.borrow_mut() = StdRng::seed_from_u64(seed));
}

/// `n` values from the standard normal distribution.
pub(crate) fn normal_vec(n: usize) -> Vec<f32> {
    RNG.with(|r| {
        let mut r = r.borrow_mut();
        (0..n).map(|_| r.sample::<f32, _>(StandardNormal)).collect()
    })
}

/// `n` values uniform in `[-bound, bound)`.
pub(crate) fn uniform_vec(n: usize, bound: f32) -> Vec<f32> {
    RNG.with(|r| {
        let mut r = r.borrow_mut();
        (0..n).map(|_| r.random_range(-bound..bound)).collect()
    })
}
