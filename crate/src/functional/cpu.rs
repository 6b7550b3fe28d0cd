//! What blitz's own CPU kernels share: matrix products and value access over plain slices, and when to use
//! threads.
//!
//! The products run on the gemm crate, the one candle's CPU matmul uses, called directly so that a kernel can
//! multiply per sample inside its own parallel loop, accumulate into a buffer and read a transposed operand
//! without copying it; candle's matmul allocates a new tensor and decides its own threading on every call.

use candle_core::{Storage, Tensor as CTensor};

/// Whether `items` pieces of `work_each` multiply-adds are worth spreading over threads: handing work to rayon's
/// pool costs tens of microseconds, more than a batch-1 LeNet layer takes.
pub(crate) fn worth_threads(items: usize, work_each: usize) -> bool {
    items > 1 && items * work_each >= 200_000
}

/// Whether one `m x k` by `k x n` product is worth splitting over threads by gemm itself. Higher than
/// [`worth_threads`]'s bar: gemm's split has its own costs on top of waking the threads, and LeNet's fc1 at batch
/// 32 (1.5 million multiply-adds) trained faster on one thread (measured on 2 cores).
pub(crate) fn worth_threaded_product(m: usize, n: usize, k: usize) -> bool {
    m.saturating_mul(n).saturating_mul(k) >= 4_000_000
}

/// The sum of `values`, in 8 running sums: one running sum waits for each addition to finish before the next
/// (4 cycles each), 8 of them fill the vector unit. The order differs from a plain left-to-right sum by rounding.
pub(crate) fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let mut chunks = values.chunks_exact(8);
    for chunk in &mut chunks {
        lanes.iter_mut().zip(chunk).for_each(|(l, v)| *l += v);
    }
    let rest: f32 = chunks.remainder().iter().sum();
    lanes.iter().sum::<f32>() + rest
}

/// Whether every value is finite, in one pass the compiler vectorises (no early exit).
pub(crate) fn all_finite(values: &[f32]) -> bool {
    values.iter().fold(true, |ok, v| ok & v.is_finite())
}

/// How an operand is stored, row-major: as the matrix itself, or as its transpose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Stored {
    /// `rows x cols` as it is.
    AsIs,
    /// The transpose is stored: a `rows x cols` operand is held as `cols x rows`.
    Transposed,
}

impl Stored {
    /// How the transpose of an operand stored this way is stored.
    pub(crate) fn flipped(self) -> Stored {
        match self {
            Stored::AsIs => Stored::Transposed,
            Stored::Transposed => Stored::AsIs,
        }
    }
}

/// `out` (`m x n`, row-major) = `a` (`m x k`) · `b` (`k x n`), added to `out`'s values when `accumulate`; on
/// rayon's threads when `threads` (for one large product, not for one product per sample inside a parallel loop).
///
/// # Panics
/// If a slice is shorter than its matrix: a bug in the calling kernel.
#[allow(clippy::too_many_arguments)]
pub(crate) fn matmul(
    out: &mut [f32],
    a: &[f32],
    a_stored: Stored,
    b: &[f32],
    b_stored: Stored,
    (m, n, k): (usize, usize, usize),
    accumulate: bool,
    threads: bool,
) {
    assert!(
        out.len() >= m * n && a.len() >= m * k && b.len() >= k * n,
        "matmul: a slice is too short"
    );
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            out[..m * n].fill(0.0);
        }
        return;
    }
    // (column stride, row stride) of each operand, in elements.
    let (a_cs, a_rs) = match a_stored {
        Stored::AsIs => (1, k as isize),
        Stored::Transposed => (m as isize, 1),
    };
    let (b_cs, b_rs) = match b_stored {
        Stored::AsIs => (1, n as isize),
        Stored::Transposed => (k as isize, 1),
    };
    // SAFETY: the assert above keeps every element gemm reads or writes inside the slices: with these strides the
    // largest offsets are (m-1)·k + (k-1) < m·k in `a`, (k-1)·n + (n-1) < k·n in `b` and (m-1)·n + (n-1) < m·n in
    // `out`, for both storage orders; `out` is borrowed mutably, so nothing else reads it meanwhile.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            out.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            a.as_ptr(),
            a_cs,
            a_rs,
            b.as_ptr(),
            b_cs,
            b_rs,
            1.0,
            1.0,
            false,
            false,
            false,
            if threads {
                gemm::Parallelism::Rayon(0)
            } else {
                gemm::Parallelism::None
            },
        );
    }
}

/// A matrix's values in row-major order and how they are stored: a transposed view of a contiguous matrix (such
/// as `weight.t()`) is read in place as [`Stored::Transposed`] instead of being copied.
pub(crate) fn with_matrix<R>(
    t: &CTensor,
    f: impl FnOnce(&[f32], Stored) -> R,
) -> candle_core::Result<R> {
    if !t.is_contiguous() && t.rank() == 2 {
        let stored = t.t()?;
        if stored.is_contiguous() {
            return with_values(&stored, |v| f(v, Stored::Transposed));
        }
    }
    with_values(t, |v| f(v, Stored::AsIs))
}

/// Runs `f` on the values of an f32 tensor on the CPU, row-major, without copying them when they are already
/// contiguous.
pub(crate) fn with_values<R>(t: &CTensor, f: impl FnOnce(&[f32]) -> R) -> candle_core::Result<R> {
    let t = t.contiguous()?;
    let (storage, layout) = t.storage_and_layout();
    let Storage::Cpu(cpu) = &*storage else {
        return Err(candle_core::Error::Msg(
            "blitz computes on the CPU only".into(),
        ));
    };
    let (start, end) = layout
        .contiguous_offsets()
        .ok_or_else(|| candle_core::Error::Msg("a contiguous tensor has offsets".into()))?;
    Ok(f(&cpu.as_slice::<f32>()?[start..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_finiteness() {
        let values: Vec<f32> = (1..=21).map(|i| i as f32).collect();
        assert_eq!(sum(&values), 231.0);
        assert_eq!(sum(&values[..5]), 15.0);
        assert_eq!(sum(&[]), 0.0);
        assert!(all_finite(&values));
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let mut v = values.clone();
            v[17] = bad;
            assert!(!all_finite(&v));
            assert!(!sum(&v).is_finite());
        }
    }

    #[test]
    fn products_in_both_storage_orders() {
        // a = [[1, 2, 3], [4, 5, 6]] (2x3), b = [[1, 0], [0, 1], [1, 1]] (3x2): a·b = [[4, 5], [10, 11]].
        let a = [1., 2., 3., 4., 5., 6.];
        let a_t = [1., 4., 2., 5., 3., 6.];
        let b = [1., 0., 0., 1., 1., 1.];
        let b_t = [1., 0., 1., 0., 1., 1.];
        for (a, sa) in [(&a, Stored::AsIs), (&a_t, Stored::Transposed)] {
            for (b, sb) in [(&b, Stored::AsIs), (&b_t, Stored::Transposed)] {
                let mut out = [0f32; 4];
                matmul(&mut out, a, sa, b, sb, (2, 2, 3), false, false);
                assert_eq!(out, [4., 5., 10., 11.]);
                matmul(&mut out, a, sa, b, sb, (2, 2, 3), true, false);
                assert_eq!(out, [8., 10., 20., 22.]);
            }
        }
    }
}
