#[test]
fn check() {
    blitz::exercises::cross_entropy::check(cross_entropy).assert();
}

#[test]
fn equal_scores_cost_the_log_of_ten() {
    let scores = blitz::Tensor::zeros(&[3, 10]).unwrap();
    let loss = cross_entropy(&scores, &[0, 4, 9]).unwrap().item().unwrap();
    assert!((loss - 10f32.ln()).abs() < 1e-5, "expected ln 10, found {loss}");
}
