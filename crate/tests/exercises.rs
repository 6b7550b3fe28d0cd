//! The checks behind the exercises: each reference solution passes, each starting point is "not done yet", a
//! wrong answer gets expected and found, and the AlexNet figures are PyTorch's (`alexnet.json`).

mod common;

use blitz::exercises::{self, Problem};
use blitz::Language;

mod solutions {
    pub mod num_flat_features {
        include!("../../exercises/solutions/num_flat_features.rs");
        pub fn answer(x: &Tensor) -> usize {
            num_flat_features(x)
        }
    }
    pub mod mse {
        include!("../../exercises/solutions/mse.rs");
        pub fn answer(o: &Tensor, t: &Tensor) -> Result<Tensor> {
            mse(o, t)
        }
    }
    pub mod cross_entropy {
        include!("../../exercises/solutions/cross_entropy.rs");
        pub fn answer(s: &Tensor, l: &[usize]) -> Result<Tensor> {
            cross_entropy(s, l)
        }
    }
    pub mod training_loop {
        include!("../../exercises/solutions/training_loop.rs");
        pub fn answer(n: &Net, i: &Tensor, t: &Tensor, s: usize) -> Result<Vec<f32>> {
            train(n, i, t, s)
        }
    }
    pub mod lenet_3x3 {
        include!("../../exercises/solutions/lenet_3x3.rs");
        pub fn answer() -> Result<impl Module> {
            Net3x3::new()
        }
    }
    pub mod own_module {
        include!("../../exercises/solutions/own_module.rs");
        pub fn answer(i: usize, o: usize) -> Result<impl Module> {
            Dense::new(i, o)
        }
    }
    pub mod sgd_step {
        include!("../../exercises/solutions/sgd_step.rs");
        pub fn answer(p: &[Tensor], lr: f64) -> Result<()> {
            sgd_step(p, lr)
        }
    }
    pub mod accumulated_grad {
        include!("../../exercises/solutions/accumulated_grad.rs");
        pub fn answer() -> Vec<f32> {
            predicted_grad()
        }
    }
}

#[test]
fn a_solution_passes_and_says_so() {
    let verdict = exercises::num_flat_features::check(solutions::num_flat_features::answer);
    assert!(verdict.passed(), "{verdict}");
    assert_eq!(verdict.code(), "passed");
    assert!(verdict.message_in(Language::En).contains("passed"));
    for verdict in [
        exercises::mse::check(solutions::mse::answer),
        exercises::cross_entropy::check(solutions::cross_entropy::answer),
        exercises::training_loop::check(solutions::training_loop::answer),
        exercises::lenet_3x3::check(solutions::lenet_3x3::answer),
        exercises::own_module::check(solutions::own_module::answer),
        exercises::sgd_step::check(solutions::sgd_step::answer),
        exercises::accumulated_grad::check(solutions::accumulated_grad::answer),
    ] {
        assert!(verdict.passed(), "{verdict}");
    }
}

#[test]
fn a_todo_is_not_done_yet_in_every_language() {
    let verdict = exercises::mse::check(|_, _| todo!());
    assert!(
        matches!(verdict.problem, Some(Problem::Todo)),
        "{verdict:?}"
    );
    assert!(verdict.message_in(Language::En).contains("todo!()"));
    for language in [Language::Ja, Language::ZhTw, Language::Ko, Language::Zh] {
        let text = verdict.message_in(language);
        assert!(
            text.contains("todo!()") && !text.contains("not done yet"),
            "{text}"
        );
    }
}

#[test]
fn a_wrong_answer_shows_expected_found_and_the_hint() {
    let verdict = exercises::num_flat_features::check(|x| x.shape().iter().product());
    let text = verdict.message_in(Language::En);
    assert_eq!(verdict.code(), "wrong");
    assert!(text.contains("expected 576, found 2304"), "{text}");
    assert!(
        text.contains("Hint: The first dimension is the batch"),
        "{text}"
    );
}

#[test]
fn a_panic_or_an_error_in_the_answer_is_a_verdict() {
    let panicked = exercises::accumulated_grad::check(|| vec![1.0; 3][7..].to_vec());
    assert_eq!(panicked.code(), "panicked", "{panicked}");
    let failed = exercises::mse::check(|o, _| o.view(&[7, 7]));
    assert_eq!(failed.code(), "error", "{failed}");
    assert!(failed
        .message_in(Language::En)
        .contains("returned an error"));
}

#[test]
fn the_mse_check_catches_a_gradient_that_autograd_did_not_make() {
    // Right value, but computed outside the graph: no gradient reaches the output.
    let verdict = exercises::mse::check(|o, t| {
        let d = o.data().sub(t)?;
        d.mul(&d)?.mean()
    });
    assert!(!verdict.passed());
    assert!(
        verdict.message_in(Language::En).contains("no grad_fn"),
        "{verdict}"
    );
}

#[test]
fn alexnet_figures_are_pytorchs() {
    let text = std::fs::read_to_string(common::fixture("alexnet.json")).unwrap();
    let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
    for classes in [1000usize, 10] {
        let entry = &reference[classes.to_string()];
        let tensors: Vec<(String, Vec<usize>)> = entry["tensors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let shape = t[1]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d.as_u64().unwrap() as usize);
                (t[0].as_str().unwrap().to_string(), shape.collect())
            })
            .collect();
        assert_eq!(exercises::alexnet::expected_parameters(classes), tensors);
        let count: usize = tensors
            .iter()
            .map(|(_, s)| s.iter().product::<usize>())
            .sum();
        assert_eq!(count as u64, entry["parameters"].as_u64().unwrap());
    }
}
