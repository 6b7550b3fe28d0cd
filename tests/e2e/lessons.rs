//! Every lesson, in every language, executes with the real kernel: no cell fails to compile, panics or returns
//! an error, and every output the lesson expects is there. The runner's progress is shown as it goes.

use blitz_tests::kernel;

#[test]
fn every_notebook_executes() {
    let _kernel = kernel();
    let notebooks = xtask::notebooks::all().unwrap();
    assert!(
        notebooks.len() >= 5,
        "expected every lesson in five languages, found {notebooks:?}"
    );
    if let Err(e) = xtask::runner::run(&notebooks, None) {
        panic!("{e:#}");
    }
}
