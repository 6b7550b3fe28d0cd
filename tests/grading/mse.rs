#[test]
fn check() {
    blitz::exercises::mse::check(mse).assert();
}

#[test]
fn a_known_value() {
    let output = blitz::Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 2]).unwrap();
    let target = blitz::Tensor::from_vec(vec![1.0, 0.0, 3.0, 1.0], &[2, 2]).unwrap();
    // (0 + 4 + 0 + 9) / 4
    let loss = mse(&output, &target).unwrap().item().unwrap();
    assert!((loss - 3.25).abs() < 1e-6, "expected 3.25, found {loss}");
}
