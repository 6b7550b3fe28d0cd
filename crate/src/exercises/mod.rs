//! The course's exercises, checked where the learner works: in a notebook cell, by `cargo test` on the files in
//! `exercises/`, and by the teacher's grader.
//!
//! Each exercise has a module with a `check` function that takes the learner's answer (a function, or a
//! constructor of their network) and returns a [`Verdict`]: passed, or what was expected and what was found, with
//! the exercise's hint, in the learner's language ([`crate::messages::language`]). A check never panics: a
//! `todo!()` still in the answer, a panic or an error in it are verdicts too.
//!
//! ```no_run
//! use blitz::prelude::*;
//! fn num_flat_features(x: &Tensor) -> usize {
//!     x.shape().iter().skip(1).product()
//! }
//! blitz::exercises::num_flat_features::check(num_flat_features).assert();
//! ```

pub mod accumulated_grad;
pub mod alexnet;
pub mod cross_entropy;
pub mod lenet_3x3;
pub mod mse;
pub mod num_flat_features;
pub mod own_module;
mod same_loss;
pub mod sgd_step;
pub mod training_loop;
mod verdict;

pub use verdict::{Problem, Verdict};

/// The hint of exercise `id` in the current language, or `None` for an unknown id.
///
/// The list of exercises, their order and lessons live in the course's `exercises/info.toml`.
pub fn hint(id: &str) -> Option<String> {
    let key = format!("hint-ex-{id}");
    crate::messages::english()
        .iter()
        .any(|(k, _)| *k == key)
        .then(|| crate::messages::render(crate::messages::language(), &key, &[]))
}
