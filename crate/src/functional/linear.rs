//! Fully connected layers as PyTorch computes them: `addmm(bias, x, weight.t())`.

use super::cpu::{matmul, with_matrix, with_values, worth_threaded_product, Stored};
use crate::autograd::Backward;
use crate::{Error, Hint, Result, Tensor};
use candle_core::{Device, Tensor as CTensor};

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

/// The transpose of a matrix (`TBackward0`); the input must have 2 dimensions.
pub fn t(input: &Tensor) -> Result<Tensor> {
    if input.dim() != 2 {
        return Err(Error::ShapeMismatch {
            layer: "t".into(),
            expected: "[rows, columns] (a matrix)".into(),
            got: input.shape(),
            hint: Hint::None,
        });
    }
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
        let (m, k) = self.mat1.dims2()?;
        let n = self.mat2.dim(1)?;
        let threads = worth_threaded_product(m, n, k);
        let mat2_transposed = !self.mat2.is_contiguous() && self.mat2.t()?.is_contiguous();
        with_values(grad, |g| {
            let bias = needs[0].then(|| {
                let mut sums = vec![0f32; n];
                for row in g.chunks(n) {
                    sums.iter_mut().zip(row).for_each(|(s, v)| *s += v);
                }
                sums
            });
            // d mat1 [m, k] = grad [m, n] · mat2ᵀ
            let mat1 = if needs[1] {
                Some(with_matrix(&self.mat2, |b, stored| {
                    let mut out = vec![0f32; m * k];
                    matmul(
                        &mut out,
                        g,
                        Stored::AsIs,
                        b,
                        stored.flipped(),
                        (m, k, n),
                        false,
                        threads,
                    );
                    out
                })?)
            } else {
                None
            };
            // d mat2 [k, n] = mat1ᵀ · grad [m, n]; for a transposed mat2 (linear's `weight.t()`), computed as its
            // transpose [n, k] = gradᵀ · mat1, so that the weight's gradient arrives contiguous instead of being
            // copied into place.
            let mat2 = if needs[2] {
                Some(with_matrix(&self.mat1, |a, stored| {
                    let mut out = vec![0f32; k * n];
                    if mat2_transposed {
                        matmul(
                            &mut out,
                            g,
                            Stored::Transposed,
                            a,
                            stored,
                            (n, k, m),
                            false,
                            threads,
                        );
                    } else {
                        matmul(
                            &mut out,
                            a,
                            stored.flipped(),
                            g,
                            Stored::AsIs,
                            (k, n, m),
                            false,
                            threads,
                        );
                    }
                    out
                })?)
            } else {
                None
            };
            Ok::<_, candle_core::Error>((bias, mat1, mat2))
        })?
        .and_then(|(bias, mat1, mat2)| {
            Ok(vec![
                bias.map(|v| CTensor::from_vec(v, n, &Device::Cpu))
                    .transpose()?,
                mat1.map(|v| CTensor::from_vec(v, (m, k), &Device::Cpu))
                    .transpose()?,
                mat2.map(|v| {
                    if mat2_transposed {
                        CTensor::from_vec(v, (n, k), &Device::Cpu)?.t()
                    } else {
                        CTensor::from_vec(v, (k, n), &Device::Cpu)
                    }
                })
                .transpose()?,
            ])
        })
    }
}

/// `bias + mat1 @ mat2`, the bias `[M]` added to every row (`AddmmBackward0`).
///
/// One gemm over the values in place (a transposed `mat2`, as `linear` passes `weight.t()`, is not copied),
/// then the bias; the backward pass likewise.
pub fn addmm(bias: &Tensor, mat1: &Tensor, mat2: &Tensor) -> Result<Tensor> {
    let (a, b) = (mat1.candle(), mat2.candle());
    let (m, k) = match a.dims() {
        &[m, k] => (m, k),
        other => {
            return Err(Error::ShapeMismatch {
                layer: "addmm".into(),
                expected: "[M, K] for mat1".into(),
                got: other.to_vec(),
                hint: Hint::None,
            })
        }
    };
    let n = match b.dims() {
        &[k2, n] if k2 == k => n,
        other => {
            return Err(Error::ShapeMismatch {
                layer: "addmm".into(),
                expected: format!("[{k}, N] for mat2 (mat1 is [{m}, {k}])"),
                got: other.to_vec(),
                hint: Hint::None,
            })
        }
    };
    if bias.shape() != [n] {
        return Err(Error::BiasShape {
            layer: "addmm".into(),
            outputs: n,
            got: bias.shape(),
        });
    }
    let mut out = vec![0f32; m * n];
    let threads = worth_threaded_product(m, n, k);
    with_matrix(&a, |a, a_stored| {
        with_matrix(&b, |b, b_stored| {
            matmul(
                &mut out,
                a,
                a_stored,
                b,
                b_stored,
                (m, n, k),
                false,
                threads,
            );
        })
    })??;
    with_values(&bias.candle(), |bias| {
        for row in out.chunks_mut(n) {
            row.iter_mut().zip(bias).for_each(|(v, b)| *v += b);
        }
    })?;
    let value = CTensor::from_vec(out, (m, n), &Device::Cpu)?;
    Ok(Tensor::from_op(
        value,
        "AddmmBackward0",
        &[bias, mat1, mat2],
        AddmmBackward { mat1: a, mat2: b },
    ))
}

/// `input @ weight.t() + bias` for `input` `[N, in]`, `weight` `[out, in]`, `bias` `[out]`.
///
/// Refused with an error naming the argument: a weight that is not 2-D, a bias that is not `[out]`, and an
/// input that is not `[N, in]`.
pub fn linear(input: &Tensor, weight: &Tensor, bias: &Tensor) -> Result<Tensor> {
    let shape = input.shape();
    let (out_features, in_features) = match weight.shape()[..] {
        [out, inp] => (out, inp),
        _ => {
            let in_features = match shape[..] {
                [_, f] => f.to_string(),
                _ => "in_features".to_string(),
            };
            let example_features = match shape[..] {
                [_, f] => f,
                _ => 400,
            };
            return Err(Error::WeightShape {
                layer: "linear".into(),
                expected: format!("[out_features, {in_features}]"),
                got: weight.shape(),
                example: format!("Tensor::randn(&[10, {example_features}])?"),
            });
        }
    };
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
    if bias.shape() != [out_features] {
        return Err(Error::BiasShape {
            layer: "linear".into(),
            outputs: out_features,
            got: bias.shape(),
        });
    }
    addmm(bias, input, &t(weight)?)
}
