//! Turning graph recording off (PyTorch's `torch.no_grad()`).
//!
//! The flag is per thread, and lives in blitz's process-wide state (`crate/src/state.rs`), so a `no_grad` in one
//! notebook cell also holds for layers built in an earlier one.

use crate::state;

/// Whether operations record the graph now (on this thread).
pub fn is_grad_enabled() -> bool {
    state::grad_enabled()
}

/// Runs `f` without recording a graph: what it computes has no `grad_fn` and cannot be back-propagated.
///
/// Use it for evaluation and for updating weights by hand. It holds for the thread that calls it, like PyTorch's.
pub fn no_grad<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            state::set_grad_enabled(self.0);
        }
    }
    let _restore = Restore(state::set_grad_enabled(false));
    f()
}
