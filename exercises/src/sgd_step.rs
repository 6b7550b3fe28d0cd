use blitz::prelude::*;

fn sgd_step(params: &[Tensor], lr: f64) -> Result<()> {
    todo!()
}
