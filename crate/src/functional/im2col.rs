//! The CPU kernels behind blitz's 2-D convolution: im2col and its inverse, col2im.
//!
//! A convolution is one matrix product once every input window is laid out as a row ("im2col"): the rows are the
//! output positions `(n, oy, ox)`, the columns the window's values `(c, ky, kx)`. The forward pass is then
//! `rows · Wᵀ`, the weight's gradient `dOutᵀ · rows`, and the input's gradient `dOut · W` folded back onto the
//! image (col2im). The products run in candle's matmul (the gemm crate); these two loops are written here because
//! candle's own convolution backward (a transposed convolution, and a convolution with batch and channels swapped)
//! is several times slower on the CPU, and no crate offers im2col over candle's tensors.

use rayon::prelude::*;

/// The sizes of one 2-D convolution: input `[n, c, h, w]`, kernel `k_h`x`k_w`, output `[n, o, oh, ow]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Geometry {
    pub n: usize,
    pub c: usize,
    pub h: usize,
    pub w: usize,
    pub k_h: usize,
    pub k_w: usize,
    pub stride: usize,
    pub padding: usize,
    pub oh: usize,
    pub ow: usize,
}

impl Geometry {
    /// The geometry of an input `[n, c, h, w]` convolved by a `k_h`x`k_w` kernel (the caller checked it fits).
    pub fn new(
        input: [usize; 4],
        k_h: usize,
        k_w: usize,
        stride: usize,
        padding: usize,
    ) -> Geometry {
        let [n, c, h, w] = input;
        Geometry {
            n,
            c,
            h,
            w,
            k_h,
            k_w,
            stride,
            padding,
            oh: (h + 2 * padding - k_h) / stride + 1,
            ow: (w + 2 * padding - k_w) / stride + 1,
        }
    }

    /// Columns of the window matrix: values per window.
    pub fn window(&self) -> usize {
        self.c * self.k_h * self.k_w
    }

    /// Rows of the window matrix per sample: output positions.
    pub fn positions(&self) -> usize {
        self.oh * self.ow
    }

    /// The input row and column a window value reads, or `None` in the zero padding.
    #[inline]
    fn source(&self, oy: usize, ox: usize, ky: usize, kx: usize) -> Option<(usize, usize)> {
        let y = (oy * self.stride + ky).checked_sub(self.padding)?;
        let x = (ox * self.stride + kx).checked_sub(self.padding)?;
        (y < self.h && x < self.w).then_some((y, x))
    }
}

/// The window matrix `[n·oh·ow, c·k_h·k_w]` of `input` (`[n, c, h, w]`, row-major); padding reads as zero.
pub(crate) fn im2col(input: &[f32], g: &Geometry) -> Vec<f32> {
    let (window, positions) = (g.window(), g.positions());
    let mut rows = vec![0f32; g.n * positions * window];
    rows.par_chunks_mut(positions * window)
        .enumerate()
        .for_each(|(n, sample)| {
            let image = &input[n * g.c * g.h * g.w..(n + 1) * g.c * g.h * g.w];
            for oy in 0..g.oh {
                for ox in 0..g.ow {
                    let row = &mut sample[(oy * g.ow + ox) * window..][..window];
                    for c in 0..g.c {
                        let plane = &image[c * g.h * g.w..][..g.h * g.w];
                        for ky in 0..g.k_h {
                            let out = &mut row[(c * g.k_h + ky) * g.k_w..][..g.k_w];
                            for (kx, value) in out.iter_mut().enumerate() {
                                if let Some((y, x)) = g.source(oy, ox, ky, kx) {
                                    *value = plane[y * g.w + x];
                                }
                            }
                        }
                    }
                }
            }
        });
    rows
}

/// The inverse of [`im2col`] for gradients: each window value's gradient is added back to the input value it was
/// read from. Returns the input's gradient, `[n, c, h, w]`.
pub(crate) fn col2im(rows: &[f32], g: &Geometry) -> Vec<f32> {
    let (window, positions) = (g.window(), g.positions());
    let mut image = vec![0f32; g.n * g.c * g.h * g.w];
    image
        .par_chunks_mut(g.c * g.h * g.w)
        .enumerate()
        .for_each(|(n, sample)| {
            let rows = &rows[n * positions * window..][..positions * window];
            for oy in 0..g.oh {
                for ox in 0..g.ow {
                    let row = &rows[(oy * g.ow + ox) * window..][..window];
                    for c in 0..g.c {
                        let plane = &mut sample[c * g.h * g.w..][..g.h * g.w];
                        for ky in 0..g.k_h {
                            let values = &row[(c * g.k_h + ky) * g.k_w..][..g.k_w];
                            for (kx, value) in values.iter().enumerate() {
                                if let Some((y, x)) = g.source(oy, ox, ky, kx) {
                                    plane[y * g.w + x] += value;
                                }
                            }
                        }
                    }
                }
            }
        });
    image
}
