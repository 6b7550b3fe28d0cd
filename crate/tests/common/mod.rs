//! Helpers shared by the integration tests: the PyTorch reference files and a tolerant comparison.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

/// A reference file copied from `../shared/fixtures/pytorch/` into `tests/fixtures/pytorch/`.
///
/// The folder is found when the test runs (cargo sets `CARGO_MANIFEST_DIR`), not when it was compiled: test
/// binaries in the shared target directory may be reused by another clone.
pub fn fixture(name: &str) -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("tests/fixtures/pytorch")
        .join(name)
}

/// Every tensor of a reference file.
pub fn load(name: &str) -> HashMap<String, candle_core::Tensor> {
    candle_core::safetensors::load(fixture(name), &candle_core::Device::Cpu)
        .expect("the fixture loads")
}

/// Values of a candle tensor, flattened.
pub fn values(t: &candle_core::Tensor) -> Vec<f32> {
    t.flatten_all().unwrap().to_vec1::<f32>().unwrap()
}

/// Asserts that each value agrees within 1e-5, absolute or relative.
pub fn assert_close(what: &str, got: &[f32], want: &[f32]) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: {} values, PyTorch has {}",
        got.len(),
        want.len()
    );
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let diff = (g - w).abs();
        assert!(
            diff <= 1e-5 || diff <= 1e-5 * w.abs(),
            "{what}[{i}]: blitz {g}, PyTorch {w} (difference {diff:e})"
        );
    }
}
