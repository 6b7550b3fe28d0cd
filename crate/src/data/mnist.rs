//! MNIST as it is distributed: a folder with a training set and a test set, four IDX files.

use super::idx::data_error;
use super::Digits;
use crate::{DataProblem, Error, Result};
use std::path::{Path, PathBuf};

/// MNIST's four file names, without `.gz`.
pub(crate) const TRAIN_IMAGES: &str = "train-images-idx3-ubyte";
pub(crate) const TRAIN_LABELS: &str = "train-labels-idx1-ubyte";
pub(crate) const TEST_IMAGES: &str = "t10k-images-idx3-ubyte";
pub(crate) const TEST_LABELS: &str = "t10k-labels-idx1-ubyte";

/// A training set and a held-out test set of handwritten digits, as MNIST comes.
///
/// The course ships 4,000 training and 1,000 held-out real MNIST digits ([`crate::data::digits`]); the full
/// MNIST (60,000 / 10,000) loads the same way from a folder holding its four files: `Mnist::load("mnist")?`.
#[derive(Clone, Debug)]
pub struct Mnist {
    /// The digits to train on (`train-*` files).
    pub train: Digits,
    /// The digits held out to measure the network on, never trained on (`t10k-*` files).
    pub test: Digits,
}

impl Mnist {
    /// Loads the four files of a folder: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
    /// `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each gzip-compressed (`.gz`) or not.
    pub fn load(dir: impl AsRef<Path>) -> Result<Mnist> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(Error::Io {
                file: dir.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
            });
        }
        let file = |name: &str| {
            find_file(dir, name).ok_or_else(|| {
                data_error(
                    dir,
                    DataProblem::MissingFile {
                        name: name.to_string(),
                    },
                )
            })
        };
        Ok(Mnist {
            train: Digits::load(file(TRAIN_IMAGES)?, file(TRAIN_LABELS)?)?,
            test: Digits::load(file(TEST_IMAGES)?, file(TEST_LABELS)?)?,
        })
    }
}

/// The file `name` in `dir`: as it is, gzip-compressed (`name.gz`), or with a dot before `idx` as some copies of
/// MNIST name it (`train-images.idx3-ubyte`).
pub(crate) fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let dotted = name.replacen("-idx", ".idx", 1);
    [
        name.to_string(),
        format!("{name}.gz"),
        dotted.clone(),
        format!("{dotted}.gz"),
    ]
    .into_iter()
    .map(|n| dir.join(n))
    .find(|p| p.is_file())
}
