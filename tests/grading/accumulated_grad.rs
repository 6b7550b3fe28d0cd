#[test]
fn check() {
    blitz::exercises::accumulated_grad::check(predicted_grad).assert();
}
