#[test]
fn check() {
    blitz::exercises::training_loop::check(train).assert();
}

#[test]
fn zero_steps_return_no_losses() {
    let net = blitz::nn::Net::new().unwrap();
    let input = blitz::Tensor::randn(&[2, 1, 32, 32]).unwrap();
    let target = blitz::Tensor::randn(&[2, 10]).unwrap();
    assert!(train(&net, &input, &target, 0).unwrap().is_empty());
}
