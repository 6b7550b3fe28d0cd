//! Fully connected layers as PyTorch computes them: `addmm(bias, x, weight.t())`.

use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::Tensor as CTensor;

struct TBackward;

impl Backward for TBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        Ok(vec![Some(grad.t()?)])
    }
}

/// The transpose of a matrix (`TBackward0`).
pub fn t(input: &Tensor) -> Result<Tensor> {
    let value = input.candle().t()?;
    Ok(Tensor::from_op(value, "TBackward0", &[input], TBackward))
}

struct AddmmBackward {
    mat1: CTensor,
    mat2: CTensor,
}

impl Backward for AddmmBackward {
    fn backward(
        &self,
        grad: &CTensor,
        needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let bias = if needs[0] { Some(grad.sum(0)?) } else { None };
        let mat1 = if needs[1] {
            Some(grad.matmul(&self.mat2.t()?)?)
        } else {
            None
        };
        let mat2 = if needs[2] {
            Some(self.mat1.t()?.matmul(grad)?)
        } else {
            None
        };
        Ok(vec![bias, mat1, mat2])
    }
}

/// `bias + mat1 @ mat2`, the bias `[M]` added to every row (`AddmmBackward0`).
pub fn addmm(bias: &Tensor, mat1: &Tensor, mat2: &Tensor) -> Result<Tensor> {
    let (a, b) = (mat1.candle(), mat2.candle());
    let value = a.matmul(&b)?.broadcast_add(&bias.candle())?;
    Ok(Tensor::from_op(
        value,
        "AddmmBackward0",
        &[bias, mat1, mat2],
        AddmmBackward { mat1: a, mat2: b },
    ))
}

/// `input @ weight.t() + bias` for `input` `[N, in]`, `weight` `[out, in]`, `bias` `[out]`.
pub fn linear(input: &Tensor, weight: &Tensor, bias: &Tensor) -> Result<Tensor> {
    let shape = input.shape();
    let in_features = weight.shape()[1];
    if shape.len() != 2 || shape[1] != in_features {
        let hint = if shape.len() == 2 {
            Hint::LinearFeatures {
                arrived: shape[1],
                made_for: in_features,
            }
        } else {
            Hint::Flatten
        };
        return Err(Error::ShapeMismatch {
            layer: "linear".into(),
            expected: format!("[N, {in_features}]"),
            got: shape,
            hint,
        });
    }
    addmm(bias, input, &t(weight)?)
}
