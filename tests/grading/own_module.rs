#[test]
fn check() {
    blitz::exercises::own_module::check(Dense::new).assert();
}

#[test]
fn another_size_prints_and_counts_its_own_figures() {
    use blitz::nn::{Module, ModuleExt};
    let layer = Dense::new(7, 2).unwrap();
    assert_eq!(layer.num_parameters(), 16);
    assert!(layer.repr().ends_with("(in_features=7, out_features=2)"), "{}", layer.repr());
    let out = layer.forward(&blitz::Tensor::randn(&[5, 7]).unwrap()).unwrap();
    assert_eq!(out.shape(), vec![5, 2]);
}
