//! Digits as one picture: a grid of images, each with its caption under it, shown inline in a notebook.
//!
//! A notebook cell shows one output per kind of content, so every digit goes into one PNG rather than one
//! picture each.

use super::font::{self, GLYPH_HEIGHT};
use crate::data::Digits;
use crate::metrics::same_length;
use crate::{Error, Result};
use base64::Engine as _;
use image::codecs::png::PngEncoder;
use image::imageops::{self, FilterType};
use image::{DynamicImage, ExtendedColorType, GrayImage, ImageEncoder, Luma, Rgb, RgbImage};
use std::fmt;

/// Ink for a right caption (near black) and for a wrong one (red).
const INK: Rgb<u8> = Rgb([20, 20, 20]);
const WRONG: Rgb<u8> = Rgb([200, 20, 20]);
const FRAME: Rgb<u8> = Rgb([200, 200, 200]);
/// Screen pixels between two cells, and around the grid.
const GAP: usize = 6;

/// One digit of a grid: its pixels and caption.
#[derive(Clone, Debug)]
struct Cell {
    pixels: Vec<u8>,
    caption: String,
    wrong: bool,
}

/// A picture of digits in a grid, each with a caption under it: its label, or for a network's guesses
/// `guess→true` in red when the guess is wrong. Shows inline in a notebook (PNG); [`DigitGrid::to_png`] gives
/// the file's bytes.
#[derive(Clone, Debug)]
pub struct DigitGrid {
    cells: Vec<Cell>,
    rows: usize,
    cols: usize,
    columns: usize,
    scale: usize,
}

impl DigitGrid {
    /// The digits at `indices` (those past the end are left out), each captioned with its label.
    pub fn new(digits: &Digits, indices: &[usize]) -> DigitGrid {
        let cells = indices
            .iter()
            .filter_map(|&i| {
                Some(Cell {
                    pixels: digits.image(i)?.to_vec(),
                    caption: digits.label(i)?.to_string(),
                    wrong: false,
                })
            })
            .collect();
        DigitGrid::of_cells(digits, cells)
    }

    /// The first `count` digits with the network's guesses (one guess per digit): the guess when it is right,
    /// `guess→true` in red when it is wrong.
    pub fn predictions(digits: &Digits, guesses: &[usize], count: usize) -> Result<DigitGrid> {
        let cells = guessed_cells(digits, guesses)?.take(count).collect();
        Ok(DigitGrid::of_cells(digits, cells))
    }

    /// The first `count` digits the network got wrong (one guess per digit), each captioned `guess→true`.
    pub fn mistakes(digits: &Digits, guesses: &[usize], count: usize) -> Result<DigitGrid> {
        let cells = guessed_cells(digits, guesses)?
            .filter(|c| c.wrong)
            .take(count)
            .collect();
        Ok(DigitGrid::of_cells(digits, cells))
    }

    fn of_cells(digits: &Digits, cells: Vec<Cell>) -> DigitGrid {
        DigitGrid {
            cells,
            rows: digits.rows(),
            cols: digits.cols(),
            columns: 10,
            scale: 2,
        }
    }

    /// The same grid with `columns` digits per row (10 unless set).
    pub fn columns(mut self, columns: usize) -> DigitGrid {
        self.columns = columns.max(1);
        self
    }

    /// The same grid drawn `scale` screen pixels per image pixel (2 unless set; captions grow with it).
    pub fn scale(mut self, scale: usize) -> DigitGrid {
        self.scale = scale.max(1);
        self
    }

    /// The number of digits shown.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether no digit is shown (for example, no mistakes).
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The captions, in order (`"7"`, or `"1→7"` for a wrong guess of 1 for a 7).
    pub fn captions(&self) -> Vec<&str> {
        self.cells.iter().map(|c| c.caption.as_str()).collect()
    }

    /// The width and height of the cell each digit and its caption take, in screen pixels.
    fn cell_size(&self) -> (usize, usize) {
        let s = self.scale;
        let widest = self
            .cells
            .iter()
            .map(|c| font::text_width(&c.caption) * s)
            .max()
            .unwrap_or(0);
        let caption_height = (GLYPH_HEIGHT + 4) * s;
        (
            (self.cols * s + 2).max(widest),
            self.rows * s + 2 + caption_height,
        )
    }

    /// The picture's width and height in pixels.
    pub fn size(&self) -> (usize, usize) {
        let (cell_w, cell_h) = self.cell_size();
        let columns = self.columns.min(self.cells.len()).max(1);
        let rows = self.cells.len().div_ceil(self.columns).max(1);
        (GAP + columns * (cell_w + GAP), GAP + rows * (cell_h + GAP))
    }

    /// The picture: dark ink on white, as the digits were written.
    pub fn to_image(&self) -> RgbImage {
        let (width, height) = self.size();
        let mut canvas = RgbImage::from_pixel(width as u32, height as u32, Rgb([255, 255, 255]));
        let (cell_w, _) = self.cell_size();
        let cell_h = self.cell_size().1;
        let s = self.scale;
        let (image_w, image_h) = (self.cols * s + 2, self.rows * s + 2);
        for (i, cell) in self.cells.iter().enumerate() {
            let left = GAP + (i % self.columns) * (cell_w + GAP);
            let top = GAP + (i / self.columns) * (cell_h + GAP);
            // The digit, inverted (MNIST stores ink as 255), scaled up with hard pixel edges, in a thin frame.
            let cols = self.cols;
            let digit = GrayImage::from_fn(self.cols as u32, self.rows as u32, |x, y| {
                Luma([255 - cell.pixels[y as usize * cols + x as usize]])
            });
            let digit = imageops::resize(
                &digit,
                (self.cols * s) as u32,
                (self.rows * s) as u32,
                FilterType::Nearest,
            );
            let image_left = left + (cell_w - image_w) / 2;
            for x in image_left..image_left + image_w {
                canvas.put_pixel(x as u32, top as u32, FRAME);
                canvas.put_pixel(x as u32, (top + image_h - 1) as u32, FRAME);
            }
            for y in top..top + image_h {
                canvas.put_pixel(image_left as u32, y as u32, FRAME);
                canvas.put_pixel((image_left + image_w - 1) as u32, y as u32, FRAME);
            }
            let digit = DynamicImage::ImageLuma8(digit).to_rgb8();
            imageops::overlay(&mut canvas, &digit, image_left as i64 + 1, top as i64 + 1);
            // The caption, centred under the digit, each font pixel a `scale` x `scale` square.
            let ink = if cell.wrong { WRONG } else { INK };
            let text_left = left + (cell_w - font::text_width(&cell.caption) * s) / 2;
            let text_top = top + image_h + 2 * s;
            for (fx, fy) in font::inked_pixels(&cell.caption) {
                for dy in 0..s {
                    for dx in 0..s {
                        let (x, y) = (text_left + fx * s + dx, text_top + fy * s + dy);
                        canvas.put_pixel(x as u32, y as u32, ink);
                    }
                }
            }
        }
        canvas
    }

    /// The picture as PNG bytes.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        png(&self.to_image())
    }

    /// Shows the grid in a notebook, as one PNG picture.
    pub fn evcxr_display(&self) {
        match self.to_png() {
            Ok(bytes) => println!(
                "EVCXR_BEGIN_CONTENT image/png\n{}\nEVCXR_END_CONTENT",
                base64(&bytes)
            ),
            Err(e) => println!("EVCXR_BEGIN_CONTENT text/plain\n{e}\nEVCXR_END_CONTENT"),
        }
    }
}

/// The cells of every digit with its guess: captioned with the guess, or `guess→true` when wrong.
fn guessed_cells<'a>(
    digits: &'a Digits,
    guesses: &'a [usize],
) -> Result<impl Iterator<Item = Cell> + 'a> {
    let labels: Vec<usize> = digits.labels().iter().map(|&l| l as usize).collect();
    same_length("DigitGrid", guesses, &labels)?;
    Ok(guesses.iter().enumerate().map(move |(i, &guess)| {
        let label = digits.labels()[i] as usize;
        let wrong = guess != label;
        Cell {
            pixels: digits.image(i).unwrap_or_default().to_vec(),
            caption: if wrong {
                format!("{guess}→{label}")
            } else {
                guess.to_string()
            },
            wrong,
        }
    }))
}

/// An RGB picture as PNG bytes.
pub(crate) fn png(image: &RgbImage) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .map_err(|e| Error::Io {
            file: "picture.png".into(),
            source: std::io::Error::other(e.to_string()),
        })?;
    Ok(bytes)
}

/// PNG bytes as base64, for a notebook or a `data:` URL.
pub(crate) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl Digits {
    /// The first `count` digits as a picture, each with its label under it.
    pub fn grid(&self, count: usize) -> DigitGrid {
        let indices: Vec<usize> = (0..count.min(self.len())).collect();
        DigitGrid::new(self, &indices)
    }
}

impl fmt::Display for DigitGrid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, h) = self.size();
        write!(
            f,
            "{} digits in a {w}x{h} picture: {}",
            self.cells.len(),
            self.captions().join(" ")
        )
    }
}
