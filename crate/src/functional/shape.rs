//! Changing a tensor's shape without changing its values (`ViewBackward0`, `UnsqueezeBackward0`).

use crate::autograd::Backward;
use crate::{Error, Result, Tensor};
use candle_core::Tensor as CTensor;

struct ReshapeBackward {
    input_shape: Vec<usize>,
}

impl Backward for ReshapeBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        Ok(vec![Some(grad.reshape(self.input_shape.as_slice())?)])
    }
}

/// The same values under a new shape; one dimension may be `-1` to be inferred (PyTorch's `view`).
///
/// Refused ([`Error::ViewShape`]): sizes whose product is not the number of values, a size of 0 or below -1,
/// and more than one -1.
pub fn reshape(input: &Tensor, shape: &[i64]) -> Result<Tensor> {
    reshape_as("reshape", input, shape)
}

/// [`reshape`], naming `call` (`view` or `reshape`) in its error.
fn reshape_as(call: &str, input: &Tensor, shape: &[i64]) -> Result<Tensor> {
    let count = input.elem_count();
    let refused = || Error::ViewShape {
        call: call.into(),
        requested: shape.to_vec(),
        input: input.shape(),
    };
    let inferred = shape.iter().filter(|&&d| d == -1).count();
    if inferred > 1 || shape.iter().any(|&d| d == 0 || d < -1) {
        return Err(refused());
    }
    // The product of the given sizes (every one at least 1 now), or an error when it exceeds the count.
    let known = shape
        .iter()
        .filter(|&&d| d != -1)
        .try_fold(1usize, |product, &d| {
            usize::try_from(d)
                .ok()
                .and_then(|d| product.checked_mul(d))
                .filter(|&p| p <= count)
        })
        .ok_or_else(refused)?;
    let fits = if inferred == 0 {
        known == count
    } else {
        count % known == 0
    };
    if !fits {
        return Err(refused());
    }
    let dims: Vec<usize> = shape
        .iter()
        .map(|&d| if d == -1 { count / known } else { d as usize })
        .collect();
    let value = input.candle().reshape(dims.as_slice())?;
    Ok(Tensor::from_op(
        value,
        "ViewBackward0",
        &[input],
        ReshapeBackward {
            input_shape: input.shape(),
        },
    ))
}

/// Keeps dimensions before `start_dim` and merges the rest into one (`x.flatten(1)`: `[N, C, H, W]` -> `[N, C*H*W]`).
pub fn flatten(input: &Tensor, start_dim: usize) -> Result<Tensor> {
    let shape = input.shape();
    let max = shape.len().max(1) - 1;
    if start_dim > max {
        return Err(Error::DimOutOfRange {
            call: "flatten".into(),
            argument: "start_dim".into(),
            dim: start_dim,
            max,
            shape,
        });
    }
    let mut dims: Vec<i64> = shape[..start_dim].iter().map(|&d| d as i64).collect();
    dims.push(-1);
    reshape(input, &dims)
}

/// Inserts a dimension of size 1 at `dim` (`UnsqueezeBackward0`): `[1, 32, 32]` -> `[1, 1, 32, 32]` at 0.
pub fn unsqueeze(input: &Tensor, dim: usize) -> Result<Tensor> {
    let shape = input.shape();
    if dim > shape.len() {
        return Err(Error::DimOutOfRange {
            call: "unsqueeze".into(),
            argument: "dim".into(),
            dim,
            max: shape.len(),
            shape,
        });
    }
    let value = input.candle().unsqueeze(dim)?;
    Ok(Tensor::from_op(
        value,
        "UnsqueezeBackward0",
        &[input],
        ReshapeBackward { input_shape: shape },
    ))
}

impl Tensor {
    /// The same values under a new shape; `-1` infers one dimension (PyTorch's `view`/`reshape`).
    pub fn reshape(&self, shape: &[i64]) -> Result<Tensor> {
        reshape_as("reshape", self, shape)
    }

    /// The same as [`Tensor::reshape`] (PyTorch's `view`).
    pub fn view(&self, shape: &[i64]) -> Result<Tensor> {
        reshape_as("view", self, shape)
    }

    /// Merges every dimension from `start_dim` on into one.
    pub fn flatten(&self, start_dim: usize) -> Result<Tensor> {
        flatten(self, start_dim)
    }

    /// Adds a dimension of size 1 at `dim`, e.g. the batch dimension with `unsqueeze(0)`.
    pub fn unsqueeze(&self, dim: usize) -> Result<Tensor> {
        unsqueeze(self, dim)
    }

    /// max(0, x), element by element.
    pub fn relu(&self) -> Result<Tensor> {
        super::relu(self)
    }

    /// 2-D max pooling with a square window of `kernel` and the same stride.
    pub fn max_pool2d(&self, kernel: usize) -> Result<Tensor> {
        super::max_pool2d(self, kernel, kernel)
    }

    /// The transpose of a matrix.
    pub fn t(&self) -> Result<Tensor> {
        super::t(self)
    }
}
