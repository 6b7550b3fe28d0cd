#[test]
fn check() {
    blitz::exercises::sgd_step::check(sgd_step).assert();
}

#[test]
fn a_known_step() {
    let w = blitz::Tensor::from_vec(vec![1.0, -1.0], &[2]).unwrap().requires_grad_(true);
    let x = blitz::Tensor::from_vec(vec![3.0, 5.0], &[2]).unwrap();
    w.mul(&x).unwrap().sum().unwrap().backward().unwrap();
    sgd_step(&[w.clone()], 0.5).unwrap();
    let moved = w.data().to_vec().unwrap();
    assert!((moved[0] + 0.5).abs() < 1e-6 && (moved[1] + 3.5).abs() < 1e-6, "{moved:?}");
}
