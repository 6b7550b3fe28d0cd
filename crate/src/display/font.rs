//! A tiny bitmap font for the captions of digit pictures: the digits and the few signs captions use.
//!
//! Written by hand because no font file can be assumed on the learner's machine (a fresh container has none),
//! and the `image` crate draws no text at all; a font-rendering crate would need a font file to render.
//! Each glyph is 5 pixels wide and 7 high, one `u8` per row, the low 5 bits left to right.

/// Width of a glyph in font pixels.
pub const GLYPH_WIDTH: usize = 5;
/// Height of a glyph in font pixels.
pub const GLYPH_HEIGHT: usize = 7;
/// Font pixels between two glyphs.
pub const GLYPH_SPACING: usize = 1;

/// The rows of `c`'s glyph; a character without one is drawn as a box.
fn glyph(c: char) -> [u8; GLYPH_HEIGHT] {
    match c {
        '0' => [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
        '1' => [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
        '2' => [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
        '3' => [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
        '4' => [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
        '5' => [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
        '6' => [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
        '7' => [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
        '9' => [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
        '→' => [0x00, 0x04, 0x02, 0x1f, 0x02, 0x04, 0x00],
        '?' => [0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04],
        ' ' => [0; GLYPH_HEIGHT],
        _ => [0x1f, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1f],
    }
}

/// The width of `text` in font pixels.
pub fn text_width(text: &str) -> usize {
    let n = text.chars().count();
    (n * (GLYPH_WIDTH + GLYPH_SPACING)).saturating_sub(GLYPH_SPACING)
}

/// The font pixels of `text` that are inked, as `(x, y)` from its top-left corner.
pub fn inked_pixels(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    text.chars().enumerate().flat_map(|(i, c)| {
        let left = i * (GLYPH_WIDTH + GLYPH_SPACING);
        let rows = glyph(c);
        (0..GLYPH_HEIGHT).flat_map(move |y| {
            (0..GLYPH_WIDTH)
                .filter(move |x| rows[y] & (0x10 >> x) != 0)
                .map(move |x| (left + x, y))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The glyph of `c` as text, `#` for ink.
    fn picture(c: char) -> Vec<String> {
        let ink: Vec<(usize, usize)> = inked_pixels(&c.to_string()).collect();
        (0..GLYPH_HEIGHT)
            .map(|y| {
                (0..GLYPH_WIDTH)
                    .map(|x| if ink.contains(&(x, y)) { '#' } else { '.' })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn glyphs_look_like_their_characters() {
        assert_eq!(
            picture('7'),
            ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."]
        );
        assert_eq!(
            picture('→'),
            [".....", "..#..", "...#.", "#####", "...#.", "..#..", "....."]
        );
        assert_eq!(text_width("1→7"), 17);
    }
}
