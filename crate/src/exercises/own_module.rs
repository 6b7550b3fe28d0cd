//! Exercise `own_module`: a layer of your own with parameters (a fully connected layer, `Dense`) that prints,
//! counts its parameters and back-propagates like the built-in ones (lesson 1, "Parameters").

use super::verdict::{close, run, same, same_parameters, what, OrProblem, Problem};
use super::Verdict;
use crate::nn::{Module, ModuleExt};
use crate::{functional as F, Result, Tensor};

/// Checks `make(in_features, out_features)`: parameters `weight` `[out, in]` and `bias` `[out]` that require a
/// gradient, the count, the printed form `Dense(in_features=4, out_features=3)`, and `x·weightᵀ + bias`.
pub fn check<M: Module>(make: impl Fn(usize, usize) -> Result<M>) -> Verdict {
    run("own_module", || {
        let layer = make(4, 3).or_problem()?;
        same_parameters(
            vec![
                ("weight".to_string(), vec![3, 4]),
                ("bias".to_string(), vec![3]),
            ],
            &layer,
        )?;
        for (name, p) in layer.named_parameters() {
            same(
                what("check-requires-grad", &[("name", name)]),
                true,
                p.requires_grad(),
            )?;
        }
        same(
            what("check-parameter-count", &[]),
            15,
            layer.num_parameters(),
        )?;
        same(
            what("check-repr", &[]),
            format!("{}(in_features=4, out_features=3)", layer.type_name()),
            layer.repr(),
        )?;
        let params = layer.parameters();
        let x = Tensor::randn(&[2, 4]).or_problem()?;
        let expected = F::linear(&x, &params[0].data(), &params[1].data()).or_problem()?;
        let out = layer.forward(&x).or_problem()?;
        close(what("check-forward", &[]), &expected, &out)?;
        out.sum().or_problem()?.backward().or_problem()?;
        for (name, p) in layer.named_parameters() {
            if p.grad().is_none() {
                return Err(Problem::Wrong {
                    what: what("check-gradient-reaches", &[("name", name)]),
                    expected: what("check-a-gradient", &[]),
                    found: "None".into(),
                });
            }
        }
        Ok(())
    })
}
