fn predicted_grad() -> Vec<f32> {
    todo!()
}
