#[test]
fn check() {
    blitz::exercises::alexnet::check(AlexNet::new).assert();
}

#[test]
fn three_classes_change_only_fc3() {
    use blitz::nn::ModuleExt;
    let net = AlexNet::new(3).unwrap();
    // 61,100,840 - 4096*1000 - 1000 + 4096*3 + 3
    assert_eq!(net.num_parameters(), 57_016_131);
}
