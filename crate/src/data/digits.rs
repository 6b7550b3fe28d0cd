//! A set of handwritten digits as they are stored: grey pixels from 0 to 255 and one label per image.

use super::idx::{self, data_error};
use super::Dataset;
use crate::{DataProblem, Error, Hint, Result, Tensor};
use image::imageops::{self, FilterType};
use image::{GrayImage, Luma};
use std::fmt;
use std::path::Path;

/// The mean of MNIST's training pixels scaled to [0, 1]: what [`Digits::to_dataset`] subtracts.
pub const MNIST_MEAN: f32 = 0.1307;
/// The standard deviation of MNIST's training pixels scaled to [0, 1]: what [`Digits::to_dataset`] divides by.
pub const MNIST_STD: f32 = 0.3081;

/// Handwritten digits: `len()` grey images of `rows` x `cols` pixels (0 is the background, 255 full ink) and the
/// digit each one shows (its label, 0 to 9).
///
/// Load them with [`crate::data::digits`] or [`crate::data::Mnist::load`]; look at them with
/// [`Digits::grid`]; turn them into the network's input with [`Digits::resize`] and [`Digits::to_dataset`].
#[derive(Clone, PartialEq)]
pub struct Digits {
    pixels: Vec<u8>,
    labels: Vec<u8>,
    rows: usize,
    cols: usize,
}

impl Digits {
    /// Digits from their pixels (all images one after the other, row by row) and labels.
    ///
    /// `pixels` must hold `labels.len()` images of `rows` x `cols` (neither 0), and every label must be a digit
    /// (0 to 9).
    pub fn new(pixels: Vec<u8>, labels: Vec<u8>, rows: usize, cols: usize) -> Result<Digits> {
        let wanted = labels.len().saturating_mul(rows).saturating_mul(cols);
        if pixels.len() != wanted || rows == 0 || cols == 0 || labels.iter().any(|&l| l > 9) {
            return Err(Error::ShapeMismatch {
                layer: "Digits::new".into(),
                expected: format!(
                    "{wanted} pixel values ({} images of {rows}x{cols}) and labels from 0 to 9",
                    labels.len()
                ),
                got: vec![pixels.len()],
                hint: Hint::None,
            });
        }
        Ok(Digits {
            pixels,
            labels,
            rows,
            cols,
        })
    }

    /// Reads an IDX images file and its IDX labels file (MNIST's format, gzip-compressed or not).
    pub fn load(images_file: impl AsRef<Path>, labels_file: impl AsRef<Path>) -> Result<Digits> {
        let (images_file, labels_file) = (images_file.as_ref(), labels_file.as_ref());
        let images = idx::read_images(images_file)?;
        let labels = idx::read_labels(labels_file)?;
        if images.count != labels.len() {
            return Err(data_error(
                images_file,
                DataProblem::CountMismatch {
                    images: images.count,
                    labels: labels.len(),
                    labels_file: labels_file.to_path_buf(),
                },
            ));
        }
        Ok(Digits {
            pixels: images.pixels,
            labels,
            rows: images.rows,
            cols: images.cols,
        })
    }

    /// The number of digits.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no digits.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Pixel rows per image (28 in MNIST).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Pixel columns per image (28 in MNIST).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The pixels of image `i`, row by row; `None` past the last image.
    pub fn image(&self, i: usize) -> Option<&[u8]> {
        let size = self.rows * self.cols;
        (i < self.len()).then(|| &self.pixels[i * size..(i + 1) * size])
    }

    /// The label of image `i` (the digit it shows); `None` past the last image.
    pub fn label(&self, i: usize) -> Option<u8> {
        self.labels.get(i).copied()
    }

    /// Every label, in order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Every pixel of every image, image after image, row by row.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// How many images show each digit: `[count of 0s, count of 1s, ..., count of 9s]`.
    pub fn count_per_class(&self) -> [usize; 10] {
        let mut counts = [0; 10];
        for &l in &self.labels {
            counts[l as usize] += 1;
        }
        counts
    }

    /// The same digits resized to `side` x `side` pixels, smoothly (bilinear: the `image` crate's `Triangle`
    /// filter), as PyTorch's `transforms.Resize(side)` does. LeNet takes 32x32 images; MNIST's are 28x28.
    ///
    /// A digit centred in its image stays centred: the whole image is scaled, margins included. A `side` of 0
    /// is taken as 1.
    pub fn resize(&self, side: usize) -> Digits {
        let side = side.max(1);
        let size = self.rows * self.cols;
        let pixels = if size == 0 {
            // Images without pixels (an IDX file may say so) become blank ones.
            vec![0; self.len() * side * side]
        } else {
            self.pixels
                .chunks_exact(size)
                .flat_map(|image| resize_image(image, (self.rows, self.cols), side))
                .collect()
        };
        Digits {
            pixels,
            labels: self.labels.clone(),
            rows: side,
            cols: side,
        }
    }

    /// The digits as the network's input: images `[N, 1, rows, cols]` whose pixels are scaled to [0, 1] and then
    /// normalised with MNIST's mean and standard deviation (`(p / 255 - 0.1307) / 0.3081`), and the labels as
    /// class indices for `CrossEntropyLoss`. PyTorch's `transforms.ToTensor()` then
    /// `transforms.Normalize((0.1307,), (0.3081,))`.
    pub fn to_dataset(&self) -> Result<Dataset> {
        let values: Vec<f32> = self
            .pixels
            .iter()
            .map(|&p| (p as f32 / 255.0 - MNIST_MEAN) / MNIST_STD)
            .collect();
        let images = Tensor::from_vec(values, &[self.len(), 1, self.rows, self.cols])?;
        Dataset::new(&images, self.labels.iter().map(|&l| l as usize).collect())
    }
}

/// One image of `rows` x `cols` pixels (neither 0) resized to `side` x `side`, bilinearly.
fn resize_image(image: &[u8], (rows, cols): (usize, usize), side: usize) -> Vec<u8> {
    let source = GrayImage::from_fn(cols as u32, rows as u32, |x, y| {
        Luma([image[y as usize * cols + x as usize]])
    });
    imageops::resize(&source, side as u32, side as u32, FilterType::Triangle).into_raw()
}

impl fmt::Debug for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Digits")
            .field("len", &self.len())
            .field("rows", &self.rows)
            .field("cols", &self.cols)
            .finish_non_exhaustive()
    }
}
