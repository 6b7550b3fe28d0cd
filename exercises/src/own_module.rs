use blitz::prelude::*;

struct Dense {
    weight: Tensor,
    bias: Tensor,
}

impl Dense {
    fn new(in_features: usize, out_features: usize) -> Result<Dense> {
        todo!()
    }
}

impl Module for Dense {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        todo!()
    }

    fn extra_repr(&self) -> String {
        todo!()
    }

    fn own_parameters(&self) -> Vec<(String, Tensor)> {
        todo!()
    }
}
