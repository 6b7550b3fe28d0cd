use blitz::prelude::*;

fn num_flat_features(x: &Tensor) -> usize {
    x.shape().iter().skip(1).product()
}
