use blitz::prelude::*;

fn sgd_step(params: &[Tensor], lr: f64) -> Result<()> {
    for p in params {
        if let Some(grad) = p.grad().into_option() {
            p.set_data(&p.data().sub(&grad.scale(lr)?)?)?;
        }
    }
    Ok(())
}
