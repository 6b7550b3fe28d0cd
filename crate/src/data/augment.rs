//! Data augmentation: showing the network each image moved a little, a new way every epoch, so that it learns
//! the shapes of digits rather than where their pixels happen to sit.

/// Writes into `out` the image `image` (`rows` x `cols` values, one channel) moved `dx` pixels right and `dy`
/// down (negative: left, up). Pixels that come in from outside repeat the nearest edge pixel (PyTorch's
/// `padding_mode="edge"`), which for a digit on a plain background is the background, however it was normalised.
pub(crate) fn shift_image(
    image: &[f32],
    (rows, cols): (usize, usize),
    (dx, dy): (i64, i64),
    out: &mut [f32],
) {
    let clamp = |v: i64, len: usize| v.clamp(0, len as i64 - 1) as usize;
    for (y, out) in out.chunks_exact_mut(cols).take(rows).enumerate() {
        let source = &image[clamp(y as i64 - dy, rows) * cols..][..cols];
        // Output column x reads column clamp(x - dx): the edge value, then one run of the row, then the other
        // edge value (a copy instead of a clamp per pixel).
        let shift = dx.unsigned_abs().min(cols as u64) as usize;
        if dx >= 0 {
            out[..shift].fill(source[0]);
            out[shift..].copy_from_slice(&source[..cols - shift]);
        } else {
            out[..cols - shift].copy_from_slice(&source[shift..]);
            out[cols - shift..].fill(source[cols - 1]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_moves_the_ink_and_repeats_the_edge() {
        // 3x3 with ink in the centre, on a background of -1.
        let image = [-1., -1., -1., -1., 5., -1., -1., -1., -1.];
        let mut out = [0.; 9];
        shift_image(&image, (3, 3), (1, -1), &mut out);
        assert_eq!(out, [-1., -1., 5., -1., -1., -1., -1., -1., -1.]);
        shift_image(&image, (3, 3), (0, 0), &mut out);
        assert_eq!(out, image);
        // Shifts as wide as the image repeat the edge everywhere.
        let ramp = [1., 2., 3., 4., 5., 6., 7., 8., 9.];
        shift_image(&ramp, (3, 3), (-3, 5), &mut out);
        assert_eq!(out, [3., 3., 3., 3., 3., 3., 3., 3., 3.]);
        shift_image(&ramp, (3, 3), (4, -1), &mut out);
        assert_eq!(out, [4., 4., 4., 7., 7., 7., 7., 7., 7.]);
        shift_image(&ramp, (3, 3), (-1, 0), &mut out);
        assert_eq!(out, [2., 3., 3., 5., 6., 6., 8., 9., 9.]);
    }
}
