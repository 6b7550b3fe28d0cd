//! The fully connected layer.

use super::conv::dim_or_zero;
use super::{init, summary, Module};
use crate::{functional, Error, Result, Tensor};

/// `y = x Wᵀ + b` (PyTorch's `nn.Linear`), initialised as PyTorch does.
#[derive(Clone, Debug)]
pub struct Linear {
    /// `[out_features, in_features]`.
    pub weight: Tensor,
    /// `[out_features]`.
    pub bias: Tensor,
}

impl Linear {
    /// A layer taking `in_features` values per sample and giving `out_features`; both must be at least 1.
    pub fn new(in_features: usize, out_features: usize) -> Result<Linear> {
        for (argument, value) in [("in_features", in_features), ("out_features", out_features)] {
            if value == 0 {
                return Err(Error::ZeroArgument {
                    call: "Linear::new".into(),
                    argument: argument.into(),
                    example: "Linear::new(400, 120)?".into(),
                });
            }
        }
        Ok(Linear {
            weight: init::kaiming_uniform(
                "Linear::new",
                &[out_features, in_features],
                in_features,
            )?,
            bias: init::bias_uniform("Linear::new", &[out_features], in_features)?,
        })
    }

    /// The number of values each sample must have (0 if `weight` was replaced by a tensor that is not 2-D).
    pub fn in_features(&self) -> usize {
        dim_or_zero(&self.weight, 1)
    }

    /// The number of values each sample gets.
    pub fn out_features(&self) -> usize {
        dim_or_zero(&self.weight, 0)
    }
}

impl Module for Linear {
    fn forward(&self, input: &Tensor) -> Result<Tensor> {
        let out = functional::linear(input, &self.weight, &self.bias)?;
        summary::record(
            "Linear",
            &out,
            self.weight.elem_count() + self.bias.elem_count(),
        );
        Ok(out)
    }

    fn type_name(&self) -> String {
        "Linear".into()
    }

    fn extra_repr(&self) -> String {
        format!(
            "in_features={}, out_features={}, bias=True",
            self.in_features(),
            self.out_features()
        )
    }

    fn own_parameters(&self) -> Vec<(String, Tensor)> {
        vec![
            ("weight".into(), self.weight.clone()),
            ("bias".into(), self.bias.clone()),
        ]
    }
}
