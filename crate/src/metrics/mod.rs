//! How well a classifier does: its guesses, their accuracy, which classes it mixes up, and the record of a
//! training run (the loss falling, the accuracy rising).

mod confusion;
mod history;

pub use confusion::ConfusionMatrix;
pub use history::TrainingHistory;

use crate::data::Dataset;
use crate::functional::cpu::with_values;
use crate::nn::Module;
use crate::{no_grad, Error, Hint, Result, Tensor};

/// The class with the highest score in each row of `scores` (`[N, classes]`): PyTorch's `scores.argmax(1)`.
/// On a tie the first class wins.
pub fn predicted_classes(scores: &Tensor) -> Result<Vec<usize>> {
    let shape = scores.shape();
    if shape.len() != 2 || shape[1] == 0 {
        return Err(Error::ShapeMismatch {
            layer: "predicted_classes".into(),
            expected: "scores [N, classes]".into(),
            got: shape,
            hint: Hint::None,
        });
    }
    let classes = shape[1];
    Ok(with_values(&scores.candle(), |values| {
        values
            .chunks_exact(classes)
            .map(|row| {
                row.iter()
                    .enumerate()
                    .fold((0, f32::NEG_INFINITY), |best, (i, &v)| {
                        if v > best.1 {
                            (i, v)
                        } else {
                            best
                        }
                    })
                    .0
            })
            .collect()
    })?)
}

/// The network's guess (the class it scores highest) for every image of `data`, in order.
///
/// Runs under [`no_grad`] (no graph is recorded: nothing here is trained) and `batch_size` images at a time,
/// so that a large dataset does not need all its activations in memory at once.
pub fn predict<M: Module + ?Sized>(
    net: &M,
    data: &Dataset,
    batch_size: usize,
) -> Result<Vec<usize>> {
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut guesses = Vec::with_capacity(data.len());
    no_grad(|| {
        for chunk in indices.chunks(batch_size.max(1)) {
            let (images, _) = data.batch(chunk)?;
            guesses.extend(predicted_classes(&net.forward(&images)?)?);
        }
        Ok(guesses)
    })
}

/// The fraction of guesses that equal their label, from 0.0 (none) to 1.0 (all); 0.0 when there are none.
pub fn accuracy(guesses: &[usize], labels: &[usize]) -> Result<f64> {
    same_length("accuracy", guesses, labels)?;
    let correct = guesses.iter().zip(labels).filter(|(g, l)| g == l).count();
    Ok(if labels.is_empty() {
        0.0
    } else {
        correct as f64 / labels.len() as f64
    })
}

/// An error unless there is one guess per label.
pub(crate) fn same_length(what: &str, guesses: &[usize], labels: &[usize]) -> Result<()> {
    if guesses.len() == labels.len() {
        return Ok(());
    }
    Err(Error::ShapeMismatch {
        layer: what.into(),
        expected: format!("one guess per label: {} guesses", labels.len()),
        got: vec![guesses.len()],
        hint: Hint::None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_score_wins_and_ties_go_to_the_first() {
        let scores = Tensor::from_vec(vec![0.1, 0.9, 0.0, 2.0, 2.0, -1.0], &[2, 3]).unwrap();
        assert_eq!(predicted_classes(&scores).unwrap(), [1, 0]);
    }

    #[test]
    fn accuracy_counts_matches() {
        assert_eq!(accuracy(&[1, 2, 3, 4], &[1, 2, 0, 4]).unwrap(), 0.75);
        assert_eq!(accuracy(&[], &[]).unwrap(), 0.0);
        assert_eq!(
            accuracy(&[1], &[1, 2]).unwrap_err().code(),
            "shape-mismatch"
        );
    }
}
