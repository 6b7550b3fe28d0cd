use blitz::prelude::*;

fn train(net: &Net, input: &Tensor, target: &Tensor, steps: usize) -> Result<Vec<f32>> {
    todo!()
}
