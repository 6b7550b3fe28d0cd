#[test]
fn check() {
    blitz::exercises::lenet_3x3::check(Net3x3::new).assert();
}

#[test]
fn a_batch_of_five_gives_five_rows_of_scores() {
    use blitz::nn::Module;
    let net = Net3x3::new().unwrap();
    let out = net.forward(&blitz::Tensor::randn(&[5, 1, 32, 32]).unwrap()).unwrap();
    assert_eq!(out.shape(), vec![5, 10]);
}
