#[test]
fn passes_the_lessons_check() {
    blitz::exercises::accumulated_grad::check(predicted_grad).assert();
}
