//! The course's exercises as files: edit `src/<exercise>.rs`, then run `cargo test -p blitz-exercises` (all of
//! them) or `cargo test -p blitz-exercises <exercise>` (one). `cargo xtask exercises` shows your progress, the next
//! exercise with its task, and `cargo xtask exercises hint` its hint, in your language (`BLITZ_LANG` or your
//! locale). Each module below includes your file as it is and checks it with the same check as the notebook's.
//!
//! This file is the course's, not yours: `cargo xtask test` checks that it lists every exercise of `info.toml`.

// Your files start with `todo!()`s and unused arguments: no warnings about that.
#![allow(unused, clippy::all)]

mod num_flat_features {
    include!("num_flat_features.rs");

    #[test]
    fn check() {
        blitz::exercises::num_flat_features::check(num_flat_features).assert();
    }
}

mod own_module {
    include!("own_module.rs");

    #[test]
    fn check() {
        blitz::exercises::own_module::check(Dense::new).assert();
    }
}

mod mse {
    include!("mse.rs");

    #[test]
    fn check() {
        blitz::exercises::mse::check(mse).assert();
    }
}

mod accumulated_grad {
    include!("accumulated_grad.rs");

    #[test]
    fn check() {
        blitz::exercises::accumulated_grad::check(predicted_grad).assert();
    }
}

mod sgd_step {
    include!("sgd_step.rs");

    #[test]
    fn check() {
        blitz::exercises::sgd_step::check(sgd_step).assert();
    }
}

mod training_loop {
    include!("training_loop.rs");

    #[test]
    fn check() {
        blitz::exercises::training_loop::check(train).assert();
    }
}

mod lenet_3x3 {
    include!("lenet_3x3.rs");

    #[test]
    fn check() {
        blitz::exercises::lenet_3x3::check(Net3x3::new).assert();
    }
}

mod alexnet {
    include!("alexnet.rs");

    #[test]
    fn check() {
        blitz::exercises::alexnet::check(AlexNet::new).assert();
    }
}

mod cross_entropy {
    include!("cross_entropy.rs");

    #[test]
    fn check() {
        blitz::exercises::cross_entropy::check(cross_entropy).assert();
    }
}
