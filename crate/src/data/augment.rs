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
    for y in 0..rows {
        let source_row = clamp(y as i64 - dy, rows) * cols;
        for x in 0..cols {
            out[y * cols + x] = image[source_row + clamp(x as i64 - dx, cols)];
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
    }
}
