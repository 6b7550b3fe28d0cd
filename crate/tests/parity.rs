//! blitz computes what PyTorch computes: every value of the PyTorch reference files, within 1e-5.

mod common;

use blitz::reference::ReferenceInputs;
use common::{assert_close, fixture, load, values};
use std::collections::HashMap;
use std::sync::OnceLock;

fn computed(file: &str) -> &'static HashMap<String, candle_core::Tensor> {
    static FIVE: OnceLock<HashMap<String, candle_core::Tensor>> = OnceLock::new();
    static THREE: OnceLock<HashMap<String, candle_core::Tensor>> = OnceLock::new();
    let cell = if file == "lenet5.safetensors" {
        &FIVE
    } else {
        &THREE
    };
    cell.get_or_init(|| {
        let inputs = ReferenceInputs::load(&fixture(file)).expect("the reference inputs load");
        inputs
            .compute()
            .expect("blitz computes every reference value")
    })
}

/// Compares every key of `file` that starts with `prefix` (and is not an input).
fn check(file: &str, prefix: &str) {
    let want = load(file);
    let got = computed(file);
    let mut compared = 0;
    for (key, w) in &want {
        if !key.starts_with(prefix) || key.starts_with("param.") {
            continue;
        }
        if ["input", "input_batch4", "target", "backward_vector"].contains(&key.as_str()) {
            continue;
        }
        let g = got
            .get(key)
            .unwrap_or_else(|| panic!("blitz did not compute `{key}`"));
        assert_eq!(g.dims().iter().product::<usize>(), w.elem_count(), "{key}");
        assert_close(&format!("{file} {key}"), &values(g), &values(w));
        compared += 1;
    }
    assert!(compared > 0, "no key of {file} starts with {prefix}");
}

#[test]
fn forward_output_equals_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "out");
    }
}

#[test]
fn mse_loss_equals_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "loss");
    }
}

#[test]
fn gradients_of_a_given_output_gradient_equal_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "vjp_grad.");
    }
}

#[test]
fn gradients_of_the_loss_equal_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "grad.");
    }
}

#[test]
fn gradients_accumulate_over_two_backwards_as_in_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "grad_twice.");
    }
}

#[test]
fn hand_written_update_equals_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "after_manual_sgd.");
    }
}

#[test]
fn three_sgd_steps_equal_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "sgd.");
    }
}

#[test]
fn three_nesterov_sgd_steps_equal_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "sgd_nesterov.");
    }
}

#[test]
fn three_adam_steps_equal_pytorch() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        check(file, "adam.");
    }
}

#[test]
fn every_reference_key_is_computed() {
    for file in ["lenet5.safetensors", "lenet3.safetensors"] {
        let want = load(file);
        let got = computed(file);
        let inputs = ["input", "input_batch4", "target", "backward_vector"];
        for key in want.keys() {
            if key.starts_with("param.") || inputs.contains(&key.as_str()) {
                continue;
            }
            assert!(got.contains_key(key), "{file}: `{key}` not computed");
        }
    }
}
