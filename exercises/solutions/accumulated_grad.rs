fn predicted_grad() -> Vec<f32> {
    // d(w*w*x)/dw = 2*w*x = [8, 20, 36] per backward pass; two passes add up.
    vec![16.0, 40.0, 72.0]
}
