//! The CPU kernels behind blitz's 2-D convolution: im2col and its inverse, col2im.
//!
//! A convolution is one matrix product once the input's windows are laid out as a matrix ("im2col"): one row
//! per window value `(c, ky, kx)`, one column per output position `(oy, ox)`. The forward pass is then
//! `W · cols`, the weight's gradient `dOut · colsᵀ`, and the input's gradient `Wᵀ · dOut` folded back onto the
//! image (col2im). Written here because no crate offers im2col over plain slices.

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

    /// Rows of the window matrix: values per window.
    pub fn window(&self) -> usize {
        self.c * self.k_h * self.k_w
    }

    /// Columns of the window matrix: output positions per sample.
    pub fn positions(&self) -> usize {
        self.oh * self.ow
    }

    /// Whether the window matrix can be laid out wide ([`im2col_wide`]): stride 1 and no padding, LeNet's
    /// convolutions.
    pub fn has_wide_layout(&self) -> bool {
        self.stride == 1 && self.padding == 0
    }

    /// Columns of the wide window matrix: output positions numbered `oy·w + ox` over the input's whole width,
    /// up to the last real one. The `w - ow` positions at the end of each row but the last are not outputs.
    pub fn wide_positions(&self) -> usize {
        (self.oh - 1) * self.w + self.ow
    }
}

/// The `ow` values one output row reads from input row `row` at kernel column `kx`, into `out` (zero where the
/// window hangs over the padding). With stride 1 they are one contiguous run of the input row.
#[inline]
fn gather_row(row: &[f32], g: &Geometry, kx: usize, out: &mut [f32]) {
    let shift = kx as isize - g.padding as isize;
    if g.stride == 1 {
        // Output column ox reads input column ox + shift: valid for ox in lo..hi.
        let lo = ((-shift).max(0) as usize).min(out.len());
        let hi = ((row.len() as isize - shift).max(0) as usize)
            .min(out.len())
            .max(lo);
        out[..lo].fill(0.0);
        out[hi..].fill(0.0);
        // With a padding wider than the row, an output row may read nothing but padding (lo == hi).
        if lo < hi {
            let start = (lo as isize + shift) as usize;
            out[lo..hi].copy_from_slice(&row[start..start + hi - lo]);
        }
    } else {
        for (ox, value) in out.iter_mut().enumerate() {
            let x = (ox * g.stride) as isize + shift;
            *value = if x >= 0 && (x as usize) < row.len() {
                row[x as usize]
            } else {
                0.0
            };
        }
    }
}

/// The reverse of [`gather_row`] for gradients: adds `values` back onto input row `row`.
#[inline]
fn scatter_row(values: &[f32], g: &Geometry, kx: usize, row: &mut [f32]) {
    let shift = kx as isize - g.padding as isize;
    if g.stride == 1 {
        let lo = ((-shift).max(0) as usize).min(values.len());
        let hi = ((row.len() as isize - shift).max(0) as usize)
            .min(values.len())
            .max(lo);
        if lo < hi {
            let start = (lo as isize + shift) as usize;
            for (r, v) in row[start..start + hi - lo].iter_mut().zip(&values[lo..hi]) {
                *r += v;
            }
        }
    } else {
        for (ox, value) in values.iter().enumerate() {
            let x = (ox * g.stride) as isize + shift;
            if x >= 0 && (x as usize) < row.len() {
                row[x as usize] += value;
            }
        }
    }
}

/// The input row that output row `oy` reads at kernel row `ky`, or `None` in the zero padding.
#[inline]
fn source_row(g: &Geometry, oy: usize, ky: usize) -> Option<usize> {
    let y = (oy * g.stride + ky).checked_sub(g.padding)?;
    (y < g.h).then_some(y)
}

/// One sample's window matrix, one row per window value: writes `cols` (`[c·k_h·k_w, oh·ow]`) from `image`
/// (`[c, h, w]`); padding reads as zero. Each output row's values are copied as one run of an input row.
pub(crate) fn im2col(image: &[f32], g: &Geometry, cols: &mut [f32]) {
    let positions = g.positions();
    for c in 0..g.c {
        let plane = &image[c * g.h * g.w..][..g.h * g.w];
        for ky in 0..g.k_h {
            for kx in 0..g.k_w {
                let col = &mut cols[((c * g.k_h + ky) * g.k_w + kx) * positions..][..positions];
                for (oy, out) in col.chunks_mut(g.ow).enumerate() {
                    match source_row(g, oy, ky) {
                        Some(y) => gather_row(&plane[y * g.w..][..g.w], g, kx, out),
                        None => out.fill(0.0),
                    }
                }
            }
        }
    }
}

/// One sample's window matrix laid out wide, for stride 1 without padding: `cols` (`[c·k_h·k_w,
/// wide_positions]`) from `image` (`[c, h, w]`).
///
/// Wide, the output position `(oy, ox)` is column `oy·w + ox`, so that each row of the matrix, the value
/// `(c, ky, kx)` of every window, is one run of the image starting at `(c, ky, kx)`: one copy per row, where
/// [`im2col`] copies `oh` runs of `ow` values (LeNet's conv2: 150 copies instead of 1,500 of 10 values). The
/// columns `oy·w + ox` with `ox >= ow` read the next image row's values: a product over them is thrown away
/// ([`narrow`]) or meets a zero gradient ([`widen`]).
pub(crate) fn im2col_wide(image: &[f32], g: &Geometry, cols: &mut [f32]) {
    let wide = g.wide_positions();
    for c in 0..g.c {
        for ky in 0..g.k_h {
            for kx in 0..g.k_w {
                let row = (c * g.k_h + ky) * g.k_w + kx;
                // Ends at most at (c, h - 1, w): oh + k_h - 1 = h and ow + k_w - 1 = w.
                let start = (c * g.h + ky) * g.w + kx;
                cols[row * wide..][..wide].copy_from_slice(&image[start..][..wide]);
            }
        }
    }
}

/// The inverse of [`im2col_wide`] for gradients, for one sample: adds each row of `cols` back onto the run of
/// `image` it was read from. The columns that are not outputs must hold zeros (they do when `cols` is a
/// product with a gradient from [`widen`]).
pub(crate) fn col2im_wide(cols: &[f32], g: &Geometry, image: &mut [f32]) {
    let wide = g.wide_positions();
    for c in 0..g.c {
        for ky in 0..g.k_h {
            for kx in 0..g.k_w {
                let row = (c * g.k_h + ky) * g.k_w + kx;
                let start = (c * g.h + ky) * g.w + kx;
                for (i, v) in image[start..][..wide]
                    .iter_mut()
                    .zip(&cols[row * wide..][..wide])
                {
                    *i += v;
                }
            }
        }
    }
}

/// From wide to plain: `out` (`[o, oh, ow]`) gets the output columns of `wide` (`[o, wide_positions]`), plus
/// each channel's bias.
pub(crate) fn narrow(wide: &[f32], g: &Geometry, bias: Option<&[f32]>, out: &mut [f32]) {
    let (positions, wide_len) = (g.positions(), g.wide_positions());
    for (o, (out, wide)) in out
        .chunks_exact_mut(positions)
        .zip(wide.chunks_exact(wide_len))
        .enumerate()
    {
        for (out, wide) in out.chunks_exact_mut(g.ow).zip(wide.chunks(g.w)) {
            match bias {
                Some(b) => out
                    .iter_mut()
                    .zip(wide)
                    .for_each(|(out, wide)| *out = wide + b[o]),
                None => out.copy_from_slice(&wide[..g.ow]),
            }
        }
    }
}

/// From plain to wide: `wide` (`[o, wide_positions]`) gets `plain` (`[o, oh, ow]`), with zeros in the columns
/// that are not outputs.
pub(crate) fn widen(plain: &[f32], g: &Geometry, wide: &mut [f32]) {
    let (positions, wide_len) = (g.positions(), g.wide_positions());
    for (plain, wide) in plain
        .chunks_exact(positions)
        .zip(wide.chunks_exact_mut(wide_len))
    {
        for (plain, wide) in plain.chunks_exact(g.ow).zip(wide.chunks_mut(g.w)) {
            wide[..g.ow].copy_from_slice(plain);
            wide[g.ow..].fill(0.0);
        }
    }
}

/// The inverse of [`im2col`] for gradients, for one sample: each window value's gradient is added to the image
/// value it was read from (`image`, `[c, h, w]`, is added to, not overwritten).
pub(crate) fn col2im(cols: &[f32], g: &Geometry, image: &mut [f32]) {
    let positions = g.positions();
    for c in 0..g.c {
        let plane = &mut image[c * g.h * g.w..][..g.h * g.w];
        for ky in 0..g.k_h {
            for kx in 0..g.k_w {
                let col = &cols[((c * g.k_h + ky) * g.k_w + kx) * positions..][..positions];
                for (oy, values) in col.chunks(g.ow).enumerate() {
                    if let Some(y) = source_row(g, oy, ky) {
                        scatter_row(values, g, kx, &mut plane[y * g.w..][..g.w]);
                    }
                }
            }
        }
    }
}
