//! Data to train on: handwritten digits (MNIST's files), turned into tensors and cut into mini-batches.
//!
//! ```no_run
//! use blitz::prelude::*;
//! # fn main() -> blitz::Result<()> {
//! let mnist = blitz::data::digits()?;                  // 4,000 training and 1,000 held-out digits, 28x28
//! let train = mnist.train.resize(32).to_dataset()?;    // [4000, 1, 32, 32], normalised, for LeNet
//! let loader = DataLoader::new(&train, 64).shuffle(0);
//! for (images, labels) in &loader {
//!     // images: [64, 1, 32, 32], labels: 64 class indices (the last batch may be smaller)
//! }
//! # Ok(())
//! # }
//! ```

mod augment;
mod dataset;
mod digits;
pub mod idx;
mod loader;
mod mnist;

pub use dataset::Dataset;
pub use digits::{Digits, MNIST_MEAN, MNIST_STD};
pub use loader::{Batches, DataLoader};
pub use mnist::Mnist;

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The environment variable that names the folder of the course's digits (`data/digits` of a blitz clone), or
/// the `data` folder above it.
pub const DATA_VAR: &str = "BLITZ_DATA";

/// The digits that come with the course: 4,000 real MNIST digits to train on and 1,000 held out (400 and 100 of
/// each digit), 28x28, from `data/digits/` of the blitz repository (see its README for their origin).
///
/// The folder is found when the program runs, not when it was compiled (see [`digits_dir`]).
pub fn digits() -> Result<Mnist> {
    Mnist::load(digits_dir()?)
}

/// The folder of the course's digits: the one `BLITZ_DATA` names (it or its `digits` subfolder) if set; else
/// `data/digits` in the current folder or the nearest folder above it that has one (a notebook runs in
/// `notebooks/<lang>/`, two folders below); else `data/digits` of the clone blitz was built from.
pub fn digits_dir() -> Result<PathBuf> {
    let holds_digits = |dir: &Path| mnist::find_file(dir, mnist::TRAIN_IMAGES).is_some();
    let mut looked_in = Vec::new();
    if let Some(given) = std::env::var_os(DATA_VAR) {
        let given = PathBuf::from(given);
        for dir in [given.clone(), given.join("digits")] {
            if holds_digits(&dir) {
                return Ok(dir);
            }
            looked_in.push(dir);
        }
        // A folder named on purpose that does not hold them is an error, not a reason to look elsewhere.
        return Err(Error::DigitsNotFound { looked_in });
    }
    if let Ok(here) = std::env::current_dir() {
        for folder in here.ancestors() {
            let dir = folder.join("data/digits");
            if holds_digits(&dir) {
                return Ok(dir);
            }
            looked_in.push(dir);
        }
    }
    // The clone blitz was compiled from: right for `cargo run` in that clone, a last resort for a shared build.
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/digits");
    if holds_digits(&built_from) {
        return Ok(built_from);
    }
    looked_in.push(built_from);
    Err(Error::DigitsNotFound { looked_in })
}
