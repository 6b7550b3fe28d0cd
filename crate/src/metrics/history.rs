//! The record of a training run, one entry per epoch: the training loss and the held-out accuracy.

/// What a training run did, epoch by epoch: the mean training loss and the accuracy on held-out data.
/// In a notebook it shows as two curves (the loss falling, the accuracy rising).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainingHistory {
    losses: Vec<f64>,
    accuracies: Vec<f64>,
}

impl TrainingHistory {
    /// An empty record.
    pub fn new() -> TrainingHistory {
        TrainingHistory::default()
    }

    /// Adds one epoch: its mean training loss and the held-out accuracy after it (a fraction, 0.0 to 1.0).
    pub fn record(&mut self, loss: f64, accuracy: f64) {
        self.losses.push(loss);
        self.accuracies.push(accuracy);
    }

    /// The number of epochs recorded.
    pub fn epochs(&self) -> usize {
        self.losses.len()
    }

    /// The mean training loss of each epoch.
    pub fn losses(&self) -> &[f64] {
        &self.losses
    }

    /// The held-out accuracy after each epoch (fractions, 0.0 to 1.0).
    pub fn accuracies(&self) -> &[f64] {
        &self.accuracies
    }
}
