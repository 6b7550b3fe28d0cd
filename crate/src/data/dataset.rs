//! Images and their labels, ready for the network: what a [`super::DataLoader`] cuts into mini-batches.

use super::augment::shift_image;
use crate::functional::cpu::with_values;
use crate::{Error, Hint, Result, Tensor};
use std::fmt;
use std::rc::Rc;

/// Images `[N, C, H, W]` with one class index per image (PyTorch's `TensorDataset(images, labels)`).
///
/// Made by [`super::Digits::to_dataset`], or by [`Dataset::new`] from your own tensor. Cloning is cheap: the
/// values are shared.
#[derive(Clone)]
pub struct Dataset {
    values: Rc<[f32]>,
    image_shape: [usize; 3],
    labels: Rc<[usize]>,
}

impl Dataset {
    /// A dataset of `images` (`[N, C, H, W]`) and `labels` (N class indices).
    pub fn new(images: &Tensor, labels: Vec<usize>) -> Result<Dataset> {
        let shape = images.shape();
        if shape.len() != 4 || shape[0] != labels.len() {
            return Err(Error::ShapeMismatch {
                layer: "Dataset::new".into(),
                expected: format!(
                    "images [N, C, H, W] with N = {} (one per label)",
                    labels.len()
                ),
                got: shape,
                hint: Hint::None,
            });
        }
        let values: Rc<[f32]> = with_values(&images.candle(), |v| Rc::from(v))?;
        Ok(Dataset {
            values,
            image_shape: [shape[1], shape[2], shape[3]],
            labels: labels.into(),
        })
    }

    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The shape of one image, `[C, H, W]` (`[1, 32, 32]` for LeNet's input).
    pub fn image_shape(&self) -> [usize; 3] {
        self.image_shape
    }

    /// Every label (class index), in order.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Every image as one tensor `[N, C, H, W]` (a copy).
    pub fn images(&self) -> Result<Tensor> {
        let [c, h, w] = self.image_shape;
        Tensor::from_vec(self.values.to_vec(), &[self.len(), c, h, w])
    }

    /// The images and labels at `indices`, in that order: a mini-batch `[indices.len(), C, H, W]`.
    pub fn batch(&self, indices: &[usize]) -> Result<(Tensor, Vec<usize>)> {
        if let Some(&bad) = indices.iter().find(|&&i| i >= self.len()) {
            return Err(Error::ShapeMismatch {
                layer: "Dataset::batch".into(),
                expected: format!("indices below {}", self.len()),
                got: vec![bad],
                hint: Hint::None,
            });
        }
        Ok(self.batch_unchecked(indices))
    }

    /// [`Dataset::batch`] for indices known to be in range.
    pub(crate) fn batch_unchecked(&self, indices: &[usize]) -> (Tensor, Vec<usize>) {
        let size = self.image_shape.iter().product::<usize>();
        let mut values = Vec::with_capacity(indices.len() * size);
        for &i in indices {
            values.extend_from_slice(&self.values[i * size..(i + 1) * size]);
        }
        self.batch_of(values, indices)
    }

    /// A batch of the images at `indices` (in range), each moved by its `(dx, dy)` in `shifts`, every channel
    /// alike.
    pub(crate) fn shifted_batch(
        &self,
        indices: &[usize],
        shifts: &[(i64, i64)],
    ) -> (Tensor, Vec<usize>) {
        let [c, h, w] = self.image_shape;
        let (size, plane) = (c * h * w, h * w);
        let mut values = vec![0.0; indices.len() * size];
        for (b, (&i, &shift)) in indices.iter().zip(shifts).enumerate() {
            for ch in 0..c {
                let from = i * size + ch * plane;
                let to = b * size + ch * plane;
                shift_image(
                    &self.values[from..from + plane],
                    (h, w),
                    shift,
                    &mut values[to..to + plane],
                );
            }
        }
        self.batch_of(values, indices)
    }

    /// The batch tensor of `values` (the images at `indices`, copied in order) with their labels.
    fn batch_of(&self, values: Vec<f32>, indices: &[usize]) -> (Tensor, Vec<usize>) {
        let [c, h, w] = self.image_shape;
        let labels = indices.iter().map(|&i| self.labels[i]).collect();
        let images = Tensor::from_vec(values, &[indices.len(), c, h, w])
            .expect("a batch's values fill its shape: they were copied image by image");
        (images, labels)
    }
}

impl fmt::Debug for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dataset")
            .field("len", &self.len())
            .field("image_shape", &self.image_shape)
            .finish_non_exhaustive()
    }
}
