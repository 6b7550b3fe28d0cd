//! Data sets as a learner sees them: a one-line summary in text, and in a notebook the summary with a picture of
//! the first digits.

use super::digit_grid::{base64, png};
use crate::data::{DataLoader, Dataset, Digits, Mnist};
use crate::nn::summary::thousands;
use std::fmt;

/// How many digits a notebook shows of a set.
const SHOWN: usize = 20;

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let per_class: Vec<String> = self
            .count_per_class()
            .iter()
            .enumerate()
            .map(|(digit, n)| format!("{digit}: {}", thousands(*n)))
            .collect();
        write!(
            f,
            "{} digits of {}x{} pixels (per digit {})",
            thousands(self.len()),
            self.rows(),
            self.cols(),
            per_class.join(", ")
        )
    }
}

impl Digits {
    /// The summary and the first digits as HTML (the picture inline as a PNG `data:` URL).
    fn html(&self) -> String {
        let picture = png(&self.grid(SHOWN).to_image())
            .map(|bytes| format!("\n<img src=\"data:image/png;base64,{}\">", base64(&bytes)))
            .unwrap_or_default();
        // One block per line, so that a Markdown renderer (the book) keeps each as it is.
        format!("<p>{}</p>{picture}", super::html::escape(&self.to_string()))
    }

    /// Shows the summary in a notebook with a picture of the first 20 digits and their labels.
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.html()
        );
    }
}

impl fmt::Display for Mnist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "train: {}", self.train)?;
        write!(f, "test:  {}", self.test)
    }
}

impl Mnist {
    /// Shows both sets in a notebook, with a picture of the first training digits.
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n<p><b>train</b></p>\n{}\n<p><b>test</b>: {}</p>\nEVCXR_END_CONTENT",
            self.train.html(),
            super::html::escape(&self.test.to_string())
        );
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [c, h, w] = self.image_shape();
        write!(
            f,
            "Dataset: images [{}, {c}, {h}, {w}], {} labels",
            self.len(),
            thousands(self.labels().len())
        )
    }
}

impl Dataset {
    /// Shows the dataset's shape in a notebook.
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}

impl fmt::Display for DataLoader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DataLoader: {} images in {} batches of {}, ",
            thousands(self.dataset().len()),
            self.len(),
            self.batch_size()
        )?;
        match self.shuffle_seed() {
            Some(seed) => write!(f, "shuffled every epoch (seed {seed})")?,
            None => write!(f, "in order")?,
        }
        if self.max_shift() > 0 {
            write!(f, ", each image moved by up to {} pixels", self.max_shift())?;
        }
        Ok(())
    }
}

impl DataLoader {
    /// Shows the loader's batches in a notebook.
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}
