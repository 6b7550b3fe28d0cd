//! Loss functions: mean squared error (the lesson) and cross-entropy (classification).

use super::log_softmax;
use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor};

struct MseLossBackward {
    diff: CTensor,
}

impl Backward for MseLossBackward {
    fn backward(
        &self,
        grad: &CTensor,
        needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let n = self.diff.elem_count() as f64;
        let g = self.diff.affine(2. / n, 0.)?.broadcast_mul(grad)?;
        let target = if needs[1] { Some(g.neg()?) } else { None };
        Ok(vec![Some(g), target])
    }
}

/// The mean of `(input - target)²` over every value (`MseLossBackward0`); the shapes must be equal.
///
/// PyTorch only warns and broadcasts when they differ, which silently computes something else; blitz refuses.
pub fn mse_loss(input: &Tensor, target: &Tensor) -> Result<Tensor> {
    if input.shape() != target.shape() {
        return Err(Error::TargetShape {
            loss: "MSELoss".into(),
            output: input.shape(),
            target: target.shape(),
        });
    }
    let diff = (input.candle() - target.candle())?;
    let value = diff.sqr()?.mean_all()?;
    Ok(Tensor::from_op(
        value,
        "MseLossBackward0",
        &[input, target],
        MseLossBackward { diff },
    ))
}

struct NllLossBackward {
    shape: (usize, usize),
    targets: Vec<u32>,
}

impl Backward for NllLossBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let (n, c) = self.shape;
        let mut g = vec![0f32; n * c];
        for (row, &class) in self.targets.iter().enumerate() {
            g[row * c + class as usize] = -1.0 / n as f32;
        }
        let g = CTensor::from_vec(g, (n, c), &Device::Cpu)?.broadcast_mul(grad)?;
        Ok(vec![Some(g)])
    }
}

/// The mean over the batch of `-log_probs[i, target[i]]` (`NllLossBackward0`).
///
/// `log_probs` is `[N, classes]` with one target per row, each below the number of classes.
pub fn nll_loss(log_probs: &Tensor, targets: &[usize]) -> Result<Tensor> {
    nll_loss_as("nll_loss", log_probs, targets)
}

/// [`nll_loss`], naming `loss` in its errors.
fn nll_loss_as(loss: &str, log_probs: &Tensor, targets: &[usize]) -> Result<Tensor> {
    let shape = log_probs.shape();
    if shape.len() != 2 {
        return Err(Error::ShapeMismatch {
            layer: loss.into(),
            expected: "[N, classes]".into(),
            got: shape,
            hint: Hint::None,
        });
    }
    if shape[0] != targets.len() {
        return Err(Error::LabelCount {
            loss: loss.into(),
            rows: shape[0],
            count: targets.len(),
        });
    }
    if let Some((position, &index)) = targets.iter().enumerate().find(|(_, &t)| t >= shape[1]) {
        return Err(Error::ClassOutOfRange {
            loss: loss.into(),
            position,
            index,
            classes: shape[1],
        });
    }
    let (n, c) = (shape[0], shape[1]);
    let targets: Vec<u32> = targets.iter().map(|&t| t as u32).collect();
    let index = CTensor::from_vec(targets.clone(), (n, 1), &Device::Cpu)?;
    let picked = log_probs.candle().gather(&index, 1)?;
    let value = picked.mean_all()?.neg()?;
    Ok(Tensor::from_op(
        value,
        "NllLossBackward0",
        &[log_probs],
        NllLossBackward {
            shape: (n, c),
            targets,
        },
    ))
}

/// Cross-entropy of raw scores `[N, classes]` against class indices: `nll_loss(log_softmax(x), targets)`.
pub fn cross_entropy(logits: &Tensor, targets: &[usize]) -> Result<Tensor> {
    nll_loss_as("cross_entropy", &log_softmax(logits)?, targets)
}
