use blitz::prelude::*;

fn cross_entropy(scores: &Tensor, labels: &[usize]) -> Result<Tensor> {
    let shape = scores.shape();
    let (rows, classes) = (shape[0], shape[1]);
    let mut one_hot = vec![0.0; rows * classes];
    for (row, &label) in labels.iter().enumerate() {
        one_hot[row * classes + label] = 1.0;
    }
    let picked = F::log_softmax(scores)?.mul(&Tensor::from_vec(one_hot, &[rows, classes])?)?;
    picked.sum()?.scale(-1.0 / rows as f64)
}
