use blitz::prelude::*;

fn train(net: &Net, input: &Tensor, target: &Tensor, steps: usize) -> Result<Vec<f32>> {
    let mut optimizer = SGD::new(net.parameters(), 0.01);
    let criterion = MSELoss::new();
    let mut losses = Vec::with_capacity(steps);
    for _ in 0..steps {
        optimizer.zero_grad();
        let loss = criterion.forward(&net.forward(input)?, target)?;
        loss.backward()?;
        optimizer.step()?;
        losses.push(loss.item()?);
    }
    Ok(losses)
}
