//! Process-wide settings blitz fixes once, before its first tensor: how many threads the CPU work uses, and how
//! the system allocator keeps large buffers. A setting you made yourself (an environment variable) is kept. The
//! state blitz keeps while it runs (language, grad mode, generator, summaries) is in `crate/src/state.rs`.

use std::sync::Once;

/// Applies both settings on first use; later calls cost one atomic load.
pub(crate) fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        fix_thread_count();
        keep_large_buffers();
    });
}

/// blitz's kernels run on rayon's global pool. rayon would start one thread per logical CPU; blitz starts it with
/// the number candle itself chooses for its own kernels (physical cores), unless
/// `RAYON_NUM_THREADS` is set (rayon then follows it) or the pool was already started. Nothing is written to the
/// environment (see `crate/src/state.rs`). Where a notebook's cells each have their own copy of blitz (stock
/// evcxr), each copy has its own rayon and starts its pool this same way when it first runs a kernel.
///
/// candle's own matmul still reads `RAYON_NUM_THREADS` (or `/proc/cpuinfo`, on every call, when it is unset):
/// blitz does not use it, and a program that does, such as the `train_speed` example's candle baseline, sets the
/// variable for itself when it starts.
fn fix_thread_count() {
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let threads = candle_core::utils::get_num_threads();
        // An error means the pool is already running (someone started it before blitz's first tensor): keep it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
}

/// The largest buffer glibc's malloc may serve from its heap instead of a fresh `mmap` (its own upper bound).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 32 << 20;
/// How much free memory glibc's heap may hold before giving it back to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: libc::c_int = 128 << 20;

/// A training step allocates and frees the same megabyte-sized buffers (activations, window matrices,
/// gradients) again and again. By default glibc serves each from a fresh `mmap` and returns it to the system on
/// `free`, so every step pays page faults and TLB flushes for all of them: measured on LeNet at batch 64, 250,000
/// page faults in 300 steps and steps 1.5x slower, against 5,000 faults with these thresholds. So blitz raises
/// the thresholds, as PyTorch's caching allocator keeps its blocks, unless you tuned malloc yourself
/// (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_` or `GLIBC_TUNABLES`). Other allocators are left alone.
fn keep_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let tuned = [
            "MALLOC_MMAP_THRESHOLD_",
            "MALLOC_TRIM_THRESHOLD_",
            "GLIBC_TUNABLES",
        ]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
        if !tuned {
            // SAFETY: mallopt only changes two of malloc's thresholds; it is safe to call at any time, and a
            // value it refuses leaves the default in place (its return value says so, and either is fine).
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
                libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
            }
        }
    }
}
