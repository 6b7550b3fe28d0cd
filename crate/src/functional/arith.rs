//! Element-wise arithmetic between tensors of the same shape, and scaling by a number.

use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::Tensor as CTensor;

fn same_shape(op: &str, a: &Tensor, b: &Tensor) -> Result<()> {
    if a.shape() != b.shape() {
        return Err(Error::ShapeMismatch {
            layer: op.into(),
            expected: format!("{:?} (the shape of the left side)", a.shape()),
            got: b.shape(),
            hint: Hint::SameShape,
        });
    }
    Ok(())
}

struct AddBackward {
    sign: f64,
}

impl Backward for AddBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        Ok(vec![Some(grad.clone()), Some(grad.affine(self.sign, 0.)?)])
    }
}

struct MulBackward {
    a: CTensor,
    b: CTensor,
}

impl Backward for MulBackward {
    fn backward(
        &self,
        grad: &CTensor,
        needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let ga = if needs[0] {
            Some(grad.mul(&self.b)?)
        } else {
            None
        };
        let gb = if needs[1] {
            Some(grad.mul(&self.a)?)
        } else {
            None
        };
        Ok(vec![ga, gb])
    }
}

struct ScaleBackward {
    factor: f64,
}

impl Backward for ScaleBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        Ok(vec![Some(grad.affine(self.factor, 0.)?)])
    }
}

struct SumBackward {
    shape: Vec<usize>,
}

impl Backward for SumBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        Ok(vec![Some(
            grad.broadcast_as(self.shape.as_slice())?.contiguous()?,
        )])
    }
}

impl Tensor {
    /// `self + other`, element by element (`AddBackward0`).
    pub fn add(&self, other: &Tensor) -> Result<Tensor> {
        same_shape("add", self, other)?;
        let value = (self.candle() + other.candle())?;
        Ok(Tensor::from_op(
            value,
            "AddBackward0",
            &[self, other],
            AddBackward { sign: 1. },
        ))
    }

    /// `self - other`, element by element (`SubBackward0`).
    pub fn sub(&self, other: &Tensor) -> Result<Tensor> {
        same_shape("sub", self, other)?;
        let value = (self.candle() - other.candle())?;
        Ok(Tensor::from_op(
            value,
            "SubBackward0",
            &[self, other],
            AddBackward { sign: -1. },
        ))
    }

    /// `self * other`, element by element (`MulBackward0`).
    pub fn mul(&self, other: &Tensor) -> Result<Tensor> {
        same_shape("mul", self, other)?;
        let (a, b) = (self.candle(), other.candle());
        let value = (&a * &b)?;
        Ok(Tensor::from_op(
            value,
            "MulBackward0",
            &[self, other],
            MulBackward { a, b },
        ))
    }

    /// Every value multiplied by `factor` (`MulBackward0`), e.g. `grad.scale(learning_rate)`.
    pub fn scale(&self, factor: f64) -> Result<Tensor> {
        let value = self.candle().affine(factor, 0.)?;
        Ok(Tensor::from_op(
            value,
            "MulBackward0",
            &[self],
            ScaleBackward { factor },
        ))
    }

    /// The sum of all values, a zero-dimensional tensor (`SumBackward0`).
    pub fn sum(&self) -> Result<Tensor> {
        let value = self.candle().sum_all()?;
        Ok(Tensor::from_op(
            value,
            "SumBackward0",
            &[self],
            SumBackward {
                shape: self.shape(),
            },
        ))
    }

    /// The mean of all values, a zero-dimensional tensor (`MeanBackward0`).
    pub fn mean(&self) -> Result<Tensor> {
        let n = self.elem_count().max(1) as f64;
        let value = self.candle().mean_all()?;
        let shape = self.shape();
        Ok(Tensor::from_op(
            value,
            "MeanBackward0",
            &[self],
            MeanBackward { shape, n },
        ))
    }
}

struct MeanBackward {
    shape: Vec<usize>,
    n: f64,
}

impl Backward for MeanBackward {
    fn backward(
        &self,
        grad: &CTensor,
        _needs: &[bool],
    ) -> candle_core::Result<Vec<Option<CTensor>>> {
        let g = grad.affine(1. / self.n, 0.)?;
        Ok(vec![Some(
            g.broadcast_as(self.shape.as_slice())?.contiguous()?,
        )])
    }
}
