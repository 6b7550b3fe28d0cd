use blitz::prelude::*;

fn mse(output: &Tensor, target: &Tensor) -> Result<Tensor> {
    todo!()
}
