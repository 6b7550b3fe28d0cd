//! blitz's random number generator, re-seedable for reproducible lessons.
//!
//! The generator (ChaCha12, one per thread, so tests running in parallel do not disturb each other's seeded
//! streams) lives in blitz's process-wide state (`crate/src/state.rs`): in a notebook, `manual_seed(0)` in one cell
//! fixes the numbers drawn in every later cell, also by layers and functions of earlier cells, and no number is
//! drawn twice.

use crate::state;

/// Seeds blitz's generator (PyTorch's `torch.manual_seed`): the same seed gives the same weights and inputs.
///
/// The numbers differ from PyTorch's for the same seed (another generator); load PyTorch's weights to compare.
/// The generator is per thread: seed it on the thread that draws.
pub fn manual_seed(seed: u64) {
    state::manual_seed(seed)
}

/// Fills `values` from the standard normal distribution.
pub(crate) fn fill_normal(values: &mut [f32]) {
    state::fill_normal(values)
}

/// Fills `values` uniformly from `[-bound, bound)`.
pub(crate) fn fill_uniform(values: &mut [f32], bound: f32) {
    state::fill_uniform(values, bound)
}
