//! How many threads candle's matrix products use: decided once per process.
//!
//! candle asks for its thread count on every matrix product, and unless `RAYON_NUM_THREADS` is set it finds the
//! answer by reading `/proc/cpuinfo` again each time (measured: 32,000 reads in a 6-second LeNet benchmark, a
//! tenth of the time). So blitz sets `RAYON_NUM_THREADS` once, to the number candle itself would choose, when
//! the variable is not already set (a value you set is kept).

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
