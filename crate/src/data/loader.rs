//! Mini-batches of a dataset, in order or shuffled from a seed (PyTorch's `DataLoader`).

use super::Dataset;
use crate::Tensor;
use rand::seq::SliceRandom;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::cell::Cell;
use std::fmt;

/// Cuts a [`Dataset`] into mini-batches of `batch_size` images (the last one may be smaller), like PyTorch's
/// `DataLoader(dataset, batch_size, shuffle)`.
///
/// Each pass over it (`for (images, labels) in &loader { ... }`) is one epoch. With [`DataLoader::shuffle`]
/// every epoch visits the images in a new order, drawn from the seed and the epoch's number, so a run can be
/// repeated exactly. With [`DataLoader::random_shift`] every image is moved a few pixels, a new way each epoch.
pub struct DataLoader {
    dataset: Dataset,
    batch_size: usize,
    seed: Option<u64>,
    max_shift: usize,
    epochs_started: Cell<u64>,
}

impl DataLoader {
    /// Mini-batches of `batch_size` images (at least 1), in the dataset's order.
    pub fn new(dataset: &Dataset, batch_size: usize) -> DataLoader {
        DataLoader {
            dataset: dataset.clone(),
            batch_size: batch_size.max(1),
            seed: None,
            max_shift: 0,
            epochs_started: Cell::new(0),
        }
    }

    /// The same loader, visiting the images in a new shuffled order every epoch, drawn from `seed`.
    pub fn shuffle(mut self, seed: u64) -> DataLoader {
        self.seed = Some(seed);
        self
    }

    /// The same loader, moving each image of each batch by a random whole number of pixels, from `-max_pixels`
    /// to `max_pixels`, across and down (data augmentation, like PyTorch's
    /// `RandomAffine(0, translate=...)`): every epoch the network sees each digit in a slightly different place,
    /// which helps it recognise digits it has not seen. Drawn from the shuffle seed (0 when not shuffled) and the
    /// epoch's number. Use it for training only: held-out images are measured as they are.
    pub fn random_shift(mut self, max_pixels: usize) -> DataLoader {
        self.max_shift = max_pixels;
        self
    }

    /// The largest shift [`DataLoader::random_shift`] applies, in pixels (0: images as they are).
    pub fn max_shift(&self) -> usize {
        self.max_shift
    }

    /// The seed the order is shuffled from, `None` when the images come in order.
    pub fn shuffle_seed(&self) -> Option<u64> {
        self.seed
    }

    /// The number of images per batch (the last batch may hold fewer).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// The number of batches in one epoch.
    pub fn len(&self) -> usize {
        self.dataset.len().div_ceil(self.batch_size)
    }

    /// Whether an epoch has no batch at all (the dataset is empty).
    pub fn is_empty(&self) -> bool {
        self.dataset.is_empty()
    }

    /// The dataset the batches come from.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The number of epochs begun so far (each [`DataLoader::iter`] begins one).
    pub fn epochs_started(&self) -> u64 {
        self.epochs_started.get()
    }

    /// The next epoch's batches: `(images [B, C, H, W], labels)` pairs.
    pub fn iter(&self) -> Batches<'_> {
        let epoch = self.epochs_started.get();
        self.epochs_started.set(epoch + 1);
        // One stream of the generator per epoch: epoch e's order and shifts depend only on the seed and e.
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed.unwrap_or(0));
        rng.set_stream(epoch);
        let mut order: Vec<usize> = (0..self.dataset.len()).collect();
        if self.seed.is_some() {
            order.shuffle(&mut rng);
        }
        Batches {
            loader: self,
            order,
            next: 0,
            rng,
        }
    }
}

impl<'a> IntoIterator for &'a DataLoader {
    type Item = (Tensor, Vec<usize>);
    type IntoIter = Batches<'a>;

    fn into_iter(self) -> Batches<'a> {
        self.iter()
    }
}

impl fmt::Debug for DataLoader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataLoader")
            .field("images", &self.dataset.len())
            .field("batch_size", &self.batch_size)
            .field("batches", &self.len())
            .field("shuffle_seed", &self.seed)
            .field("max_shift", &self.max_shift)
            .finish()
    }
}

/// One epoch of a [`DataLoader`]: its batches, one at a time.
pub struct Batches<'a> {
    loader: &'a DataLoader,
    order: Vec<usize>,
    next: usize,
    rng: ChaCha8Rng,
}

impl Iterator for Batches<'_> {
    type Item = (Tensor, Vec<usize>);

    fn next(&mut self) -> Option<(Tensor, Vec<usize>)> {
        if self.next >= self.order.len() {
            return None;
        }
        let end = (self.next + self.loader.batch_size).min(self.order.len());
        let indices = &self.order[self.next..end];
        self.next = end;
        let max = self.loader.max_shift as i64;
        if max == 0 {
            return Some(self.loader.dataset.batch_unchecked(indices));
        }
        let shifts: Vec<(i64, i64)> = indices
            .iter()
            .map(|_| {
                (
                    self.rng.random_range(-max..=max),
                    self.rng.random_range(-max..=max),
                )
            })
            .collect();
        Some(self.loader.dataset.shifted_batch(indices, &shifts))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.order.len() - self.next).div_ceil(self.loader.batch_size);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Batches<'_> {}
