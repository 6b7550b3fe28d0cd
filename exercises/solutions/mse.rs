use blitz::prelude::*;

fn mse(output: &Tensor, target: &Tensor) -> Result<Tensor> {
    let difference = output.sub(target)?;
    difference.mul(&difference)?.mean()
}
