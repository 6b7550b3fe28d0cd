use blitz::prelude::*;

struct Dense {
    weight: Tensor,
    bias: Tensor,
}

impl Dense {
    fn new(in_features: usize, out_features: usize) -> Result<Dense> {
        let bound = 1.0 / (in_features as f64).sqrt();
        Ok(Dense {
            weight: Tensor::randn(&[out_features, in_features])?
                .scale(bound)?
                .requires_grad_(true),
            bias: Tensor::zeros(&[out_features])?.requires_grad_(true),
        })
    }
}

impl Module for Dense {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        F::linear(x, &self.weight, &self.bias)
    }

    fn extra_repr(&self) -> String {
        let shape = self.weight.shape();
        format!("in_features={}, out_features={}", shape[1], shape[0])
    }

    fn own_parameters(&self) -> Vec<(String, Tensor)> {
        vec![
            ("weight".to_string(), self.weight.clone()),
            ("bias".to_string(), self.bias.clone()),
        ]
    }
}
