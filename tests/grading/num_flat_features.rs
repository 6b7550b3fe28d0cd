#[test]
fn check() {
    blitz::exercises::num_flat_features::check(num_flat_features).assert();
}

#[test]
fn counts_lenet_feature_maps_for_a_batch_of_eight() {
    let x = blitz::Tensor::zeros(&[8, 16, 6, 6]).unwrap();
    assert_eq!(num_flat_features(&x), 576);
}
