use blitz::prelude::*;

fn cross_entropy(scores: &Tensor, labels: &[usize]) -> Result<Tensor> {
    todo!()
}
