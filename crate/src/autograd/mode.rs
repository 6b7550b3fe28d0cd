//! Turning graph recording off (PyTorch's `torch.no_grad()`).

use std::cell::Cell;

thread_local! {
    static ENABLED: Cell<bool> = const { Cell::new(true) };
}

/// Whether operations record the graph now.
pub fn is_grad_enabled() -> bool {
    ENABLED.with(|e| e.get())
}

/// Runs `f` without recording a graph: what it computes has no `grad_fn` and cannot be back-propagated.
///
/// Use it for evaluation and for updating weights by hand.
pub fn no_grad<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ENABLED.with(|e| e.set(self.0));
        }
    }
    let _restore = Restore(ENABLED.with(|e| e.replace(false)));
    f()
}
