//! blitz's random number generator, re-seedable for reproducible lessons.
//!
//! In a notebook, evcxr compiles every cell into its own library with its own copy of blitz, so a `static` or
//! `thread_local` set in one cell is not seen by the next. The generator's state is therefore also kept in the
//! process environment (`BLITZ_RNG_STATE`), which every copy shares: each copy starts from it and writes back
//! where it stopped, so `manual_seed(0)` in the first cell fixes every later cell's numbers. Within one copy the
//! generator is per thread, so tests running in parallel do not disturb each other's seeded streams.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha12Rng;
use rand_distr::StandardNormal;
use std::cell::RefCell;

/// The environment variable that carries the generator's state between copies of blitz in one process.
const STATE_VAR: &str = "BLITZ_RNG_STATE";

thread_local! {
    static RNG: RefCell<Option<ChaCha12Rng>> = const { RefCell::new(None) };
}

/// Seeds blitz's generator (PyTorch's `torch.manual_seed`): the same seed gives the same weights and inputs.
///
/// The numbers differ from PyTorch's for the same seed (another generator); load PyTorch's weights to compare.
pub fn manual_seed(seed: u64) {
    let rng = ChaCha12Rng::seed_from_u64(seed);
    save(&rng);
    RNG.with(|r| *r.borrow_mut() = Some(rng));
}

/// Runs `f` with this thread's generator, resuming from the shared state and saving it afterwards.
fn with_rng<T>(f: impl FnOnce(&mut ChaCha12Rng) -> T) -> T {
    RNG.with(|cell| {
        let mut slot = cell.borrow_mut();
        let rng = slot.get_or_insert_with(|| restore().unwrap_or_else(ChaCha12Rng::from_os_rng));
        let out = f(rng);
        save(rng);
        out
    })
}

/// The state as text: the 32-byte seed in hex, the stream and the position in it.
fn save(rng: &ChaCha12Rng) {
    let seed: String = rng.get_seed().iter().map(|b| format!("{b:02x}")).collect();
    let state = format!("{seed}:{}:{}", rng.get_stream(), rng.get_word_pos());
    std::env::set_var(STATE_VAR, state);
}

/// The generator saved by [`save`], if the environment holds a valid one.
fn restore() -> Option<ChaCha12Rng> {
    let state = std::env::var(STATE_VAR).ok()?;
    let mut parts = state.split(':');
    let hex = parts.next()?;
    let stream: u64 = parts.next()?.parse().ok()?;
    let word_pos: u128 = parts.next()?.parse().ok()?;
    if hex.len() != 64 {
        return None;
    }
    let mut seed = [0u8; 32];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    let mut rng = ChaCha12Rng::from_seed(seed);
    rng.set_stream(stream);
    rng.set_word_pos(word_pos);
    Some(rng)
}

/// Fills `values` from the standard normal distribution.
pub(crate) fn fill_normal(values: &mut [f32]) {
    with_rng(|r| values.fill_with(|| r.sample::<f32, _>(StandardNormal)))
}

/// Fills `values` uniformly from `[-bound, bound)`.
pub(crate) fn fill_uniform(values: &mut [f32], bound: f32) {
    with_rng(|r| values.fill_with(|| r.random_range(-bound..bound)))
}

#[cfg(test)]
fn normal_vec(n: usize) -> Vec<f32> {
    let mut values = vec![0.0; n];
    fill_normal(&mut values);
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_copy_resumes_where_the_last_one_stopped() {
        manual_seed(11);
        let first = normal_vec(3);
        let expected_next = normal_vec(4);
        // A new copy of blitz (the next notebook cell) has an empty generator and resumes from the environment.
        manual_seed(11);
        let again = normal_vec(3);
        RNG.with(|r| *r.borrow_mut() = None);
        assert_eq!(first, again);
        assert_eq!(normal_vec(4), expected_next);
    }
}
