//! How many threads the CPU work uses: decided once per process.
//!
//! blitz's kernels run on rayon's global pool, and candle's matrix products ask for their thread count on every
//! call, finding it (unless `RAYON_NUM_THREADS` is set) by reading `/proc/cpuinfo` again each time: measured,
//! 32,000 reads in a 6-second LeNet benchmark, a tenth of its time, back when blitz still used candle's matmul;
//! programs that mix plain candle with blitz, such as the `train_speed` baseline, still pay it. So blitz sets
//! `RAYON_NUM_THREADS` once, to the number candle itself would choose (physical cores), before rayon's pool
//! starts, when the variable is not already set (a value you set is kept). Both then use the same count.

use std::sync::Once;

/// Fixes `RAYON_NUM_THREADS` on first use; later calls cost one atomic load.
pub(crate) fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("RAYON_NUM_THREADS").is_none() {
            let threads = candle_core::utils::get_num_threads();
            std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
        }
    });
}
