//! The confusion matrix: for each true class, how often each class was guessed.

use super::same_length;
use crate::Result;

/// Counts of (true class, guessed class) pairs: row `t`, column `g` is how many images of class `t` were taken
/// for `g`. The diagonal holds the right guesses; everything off it is a mistake.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfusionMatrix {
    classes: usize,
    counts: Vec<usize>,
}

impl ConfusionMatrix {
    /// The matrix of `guesses` against `labels` (one guess per label), with 10 classes (the digits), or more if a
    /// label or a guess is 10 or above.
    pub fn new(guesses: &[usize], labels: &[usize]) -> Result<ConfusionMatrix> {
        same_length("ConfusionMatrix", guesses, labels)?;
        let classes = guesses
            .iter()
            .chain(labels)
            .map(|&c| c + 1)
            .max()
            .unwrap_or(0)
            .max(10);
        let mut counts = vec![0; classes * classes];
        for (&guess, &label) in guesses.iter().zip(labels) {
            counts[label * classes + guess] += 1;
        }
        Ok(ConfusionMatrix { classes, counts })
    }

    /// The number of classes (rows, and columns).
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// How many images of class `true_class` were guessed as `guess` (0 for a class outside the matrix).
    pub fn count(&self, true_class: usize, guess: usize) -> usize {
        if true_class < self.classes && guess < self.classes {
            self.counts[true_class * self.classes + guess]
        } else {
            0
        }
    }

    /// The row of `true_class`: how often each class was guessed for its images (empty outside the matrix).
    pub fn row(&self, true_class: usize) -> &[usize] {
        if true_class < self.classes {
            &self.counts[true_class * self.classes..(true_class + 1) * self.classes]
        } else {
            &[]
        }
    }

    /// The number of images counted.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The number of right guesses: the sum of the diagonal.
    pub fn correct(&self) -> usize {
        (0..self.classes).map(|c| self.count(c, c)).sum()
    }

    /// The fraction of right guesses, 0.0 to 1.0 (the same as [`super::accuracy`]).
    pub fn accuracy(&self) -> f64 {
        match self.total() {
            0 => 0.0,
            total => self.correct() as f64 / total as f64,
        }
    }

    /// The `n` most frequent mistakes, most frequent first: `(true class, guess, count)`.
    pub fn most_confused(&self, n: usize) -> Vec<(usize, usize, usize)> {
        let mut mistakes: Vec<(usize, usize, usize)> = (0..self.classes)
            .flat_map(|t| (0..self.classes).map(move |g| (t, g)))
            .filter(|(t, g)| t != g)
            .map(|(t, g)| (t, g, self.count(t, g)))
            .filter(|&(_, _, count)| count > 0)
            .collect();
        mistakes.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        mistakes.truncate(n);
        mistakes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_true_classes_and_columns_guesses() {
        let m = ConfusionMatrix::new(&[7, 1, 1, 4], &[7, 7, 1, 9]).unwrap();
        assert_eq!(m.classes(), 10);
        assert_eq!(m.count(7, 1), 1);
        assert_eq!(m.count(7, 7), 1);
        assert_eq!(m.total(), 4);
        assert_eq!(m.correct(), 2);
        assert_eq!(m.accuracy(), 0.5);
        assert_eq!(m.most_confused(5), [(7, 1, 1), (9, 4, 1)]);
        assert_eq!(m.row(7)[1], 1);
    }
}
