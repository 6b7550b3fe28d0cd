//! Every likely learner mistake, in every language: it gives the right kind of error (or warning, or explanation),
//! the message names the shapes or parameter involved, and it is written in the chosen language.
//!
//! Messages are rendered with `message_in(language)`, never through the process-wide language, so the tests can
//! run in parallel; `tests/language.rs` covers `set_language` and `BLITZ_LANG`.

use blitz::optim::accumulated_warning;
use blitz::prelude::*;
use blitz::{Hint, Language};

/// Asserts that `text` is in `language`: English has no CJK script; Japanese has kana; Korean has Hangul;
/// Chinese has Han characters and neither kana nor Hangul. Shapes and code stay as they are in every language.
fn assert_in(language: Language, text: &str) {
    let has = |range: std::ops::RangeInclusive<char>| text.chars().any(|c| range.contains(&c));
    let kana = has('\u{3040}'..='\u{30ff}');
    let hangul = has('\u{ac00}'..='\u{d7af}');
    let han = has('\u{4e00}'..='\u{9fff}');
    let ok = match language {
        Language::En => !kana && !hangul && !han,
        Language::Ja => kana,
        Language::Ko => hangul,
        Language::Zh | Language::ZhTw => han && !kana && !hangul,
    };
    assert!(ok, "not in {language}: {text}");
}

/// Asserts that the Traditional and Simplified Chinese messages are not the same text.
fn assert_chinese_differs(render: impl Fn(Language) -> String) {
    assert_ne!(render(Language::Zh), render(Language::ZhTw));
}

fn contains_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "`{part}` missing from: {text}");
    }
}

/// The checks every error message gets: it names `parts` (shapes, names, code), is written in `language`, and
/// the two Chinese scripts get different texts.
fn explains(error: &Error, language: Language, parts: &[&str]) {
    let text = error.message_in(language);
    contains_all(&text, parts);
    assert_in(language, &text);
    assert_chinese_differs(|l| error.message_in(l));
}

/// One test per language for a check that takes the language.
macro_rules! in_every_language {
    ($name:ident) => {
        mod $name {
            use blitz::Language;
            #[test]
            fn en() {
                super::$name(Language::En)
            }
            #[test]
            fn ja() {
                super::$name(Language::Ja)
            }
            #[test]
            fn zh_tw() {
                super::$name(Language::ZhTw)
            }
            #[test]
            fn ko() {
                super::$name(Language::Ko)
            }
            #[test]
            fn zh() {
                super::$name(Language::Zh)
            }
        }
    };
}

fn input() -> Tensor {
    Tensor::randn(&[1, 1, 32, 32]).unwrap()
}

fn needs_batch(language: Language) {
    let net = Net::new().unwrap();
    let error = net
        .forward(&Tensor::randn(&[1, 32, 32]).unwrap())
        .unwrap_err();
    assert!(matches!(error, Error::NeedsBatch { .. }));
    assert_eq!(error.code(), "needs-batch");
    explains(
        &error,
        language,
        &[
            "conv1 (conv2d)",
            "[1, 32, 32]",
            "[1, 1, 32, 32]",
            "unsqueeze(0)",
        ],
    );
}
in_every_language!(needs_batch);

fn fc1_of_the_wrong_size(language: Language) {
    let wrong = Net {
        conv1: Conv2d::new(1, 6, 3).unwrap(),
        conv2: Conv2d::new(6, 16, 3).unwrap(),
        ..Net::new().unwrap()
    };
    let error = wrong.forward(&input()).unwrap_err();
    match &error {
        Error::ShapeMismatch {
            layer, got, hint, ..
        } => {
            assert_eq!(layer, "fc1 (linear)");
            assert_eq!(got, &vec![1, 576]);
            assert_eq!(
                hint,
                &Hint::Fc1 {
                    flat: 576,
                    made_for: 400,
                    kernel: 3
                }
            );
        }
        other => panic!("expected a shape mismatch at fc1, got {other:?}"),
    }
    explains(
        &error,
        language,
        &[
            "fc1",
            "[1, 576]",
            "16*6*6 = 576",
            "((32-3+1)/2-3+1)/2 = 6",
            "Linear::new(576, 120)",
            "Net::with_kernel_size(3)",
        ],
    );
}
in_every_language!(fc1_of_the_wrong_size);

fn target_of_the_wrong_shape(language: Language) {
    let net = Net::new().unwrap();
    let output = net.forward(&input()).unwrap();
    let error = MSELoss::new()
        .forward(&output, &Tensor::randn(&[10]).unwrap())
        .unwrap_err();
    assert!(matches!(error, Error::TargetShape { .. }));
    assert_eq!(error.code(), "target-shape");
    explains(
        &error,
        language,
        &["MSELoss", "[10]", "[1, 10]", "target.view(&[1, 10])?"],
    );
}
in_every_language!(target_of_the_wrong_shape);

fn backward_of_a_non_scalar(language: Language) {
    let net = Net::new().unwrap();
    let out = net.forward(&input()).unwrap();
    let error = out.backward().unwrap_err();
    assert!(matches!(error, Error::BackwardNeedsGradient { .. }));
    explains(
        &error,
        language,
        &[
            "[1, 10]",
            "backward_with(&Tensor::randn(&[1, 10])?)",
            "MSELoss",
        ],
    );
}
in_every_language!(backward_of_a_non_scalar);

/// blitz refuses a second backward through a freed graph, as PyTorch does, and explains both ways out.
fn second_backward(language: Language) {
    let net = Net::new().unwrap();
    let output = net.forward(&input()).unwrap();
    let target = Tensor::randn(&[1, 10]).unwrap();
    let loss = MSELoss::new().forward(&output, &target).unwrap();
    loss.backward().unwrap();
    let error = loss.backward().unwrap_err();
    assert!(matches!(error, Error::GraphFreed { .. }));
    explains(&error, language, &["Backward0", "backward_retain_graph()"]);
    // The way out the message gives works.
    let loss = MSELoss::new()
        .forward(&net.forward(&input()).unwrap(), &target)
        .unwrap();
    loss.backward_retain_graph().unwrap();
    loss.backward().unwrap();
}
in_every_language!(second_backward);

/// A forgotten `zero_grad` is no error: the gradient doubles, and the opt-in warning says why.
fn forgotten_zero_grad(language: Language) {
    let net = Net::new().unwrap();
    let target = Tensor::randn(&[1, 10]).unwrap();
    let x = input();
    let backward = || {
        MSELoss::new()
            .forward(&net.forward(&x).unwrap(), &target)
            .unwrap()
            .backward()
            .unwrap()
    };
    backward();
    let once = net.conv1.bias.grad().unwrap().to_vec().unwrap();
    assert_eq!(accumulated_warning(&net.parameters(), language), None);
    backward();
    let twice = net.conv1.bias.grad().unwrap().to_vec().unwrap();
    for (a, b) in once.iter().zip(&twice) {
        assert!((2.0 * a - b).abs() <= 1e-5 * b.abs().max(1.0), "{a} {b}");
    }
    let warning = accumulated_warning(&net.parameters(), language).expect("a warning");
    contains_all(&warning, &["2", "conv1.weight", "optimizer.zero_grad()"]);
    assert_in(language, &warning);
    assert_chinese_differs(|l| accumulated_warning(&net.parameters(), l).unwrap());
    // The step itself still runs (the warning is printed, once, only when asked for).
    let mut optimizer = SGD::new(net.parameters(), 0.01).warn_accumulated_grads();
    optimizer.step().unwrap();
    optimizer.zero_grad();
    backward();
    assert_eq!(accumulated_warning(&net.parameters(), language), None);
}
in_every_language!(forgotten_zero_grad);

/// A learning rate that blows up: training stops with an error naming the loss or the parameter, and a step
/// that would break the weights changes nothing.
fn learning_rate_that_blows_up(language: Language) {
    manual_seed(3);
    let net = Net::new().unwrap();
    let x = Tensor::randn(&[4, 1, 32, 32]).unwrap();
    let target = Tensor::randn(&[4, 10]).unwrap();
    let mut optimizer = SGD::new(net.parameters(), 1e3);
    let mut stopped = None;
    for _ in 0..100 {
        optimizer.zero_grad();
        let loss = match MSELoss::new().forward(&net.forward(&x).unwrap(), &target) {
            Ok(loss) => loss,
            Err(e) => {
                stopped = Some(e);
                break;
            }
        };
        loss.backward().unwrap();
        if let Err(e) = optimizer.step() {
            stopped = Some(e);
            break;
        }
    }
    let error = stopped.expect("lr = 1000 must blow up within 100 steps");
    assert!(
        matches!(
            error,
            Error::NonFiniteLoss { .. } | Error::NonFiniteParameter { .. }
        ),
        "{error:?}"
    );
    assert_in(language, &error.message_in(language));

    // A step that would make a parameter infinite names it, suggests a smaller rate and writes nothing.
    let net = Net::new().unwrap();
    MSELoss::new()
        .forward(&net.forward(&x).unwrap(), &target)
        .unwrap()
        .backward()
        .unwrap();
    let before: Vec<Vec<f32>> = net
        .parameters()
        .iter()
        .map(|p| p.to_vec().unwrap())
        .collect();
    let error = SGD::new(net.parameters(), 1e39).step().unwrap_err();
    match &error {
        Error::NonFiniteParameter { param, lr } => {
            assert_eq!(param, "conv1.weight");
            assert_eq!(*lr, 1e39);
        }
        other => panic!("expected NonFiniteParameter, got {other:?}"),
    }
    let after: Vec<Vec<f32>> = net
        .parameters()
        .iter()
        .map(|p| p.to_vec().unwrap())
        .collect();
    assert_eq!(before, after, "a refused step must change no parameter");
    explains(
        &error,
        language,
        &[
            "conv1.weight",
            "1000000000000000000000000000000000000000",
            "NaN",
        ],
    );

    let loss_error = MSELoss::new()
        .forward(
            &Tensor::from_vec(vec![f32::INFINITY; 10], &[1, 10]).unwrap(),
            &Tensor::randn(&[1, 10]).unwrap(),
        )
        .unwrap_err();
    assert!(matches!(loss_error, Error::NonFiniteLoss { .. }));
    let text = loss_error.message_in(language);
    contains_all(&text, &["MSELoss", "inf", "NaN"]);
    assert_in(language, &text);
}
in_every_language!(learning_rate_that_blows_up);

/// A missing gradient is `None`, and printing it says why: not required, not a leaf, or no backward yet.
fn missing_gradients_explain_themselves(language: Language) {
    let net = Net::new().unwrap();
    let x = input();
    let out = net.forward(&x).unwrap();

    let plain = x.grad();
    assert!(plain.is_none());
    let why = plain.explanation_in(language).unwrap();
    contains_all(&why, &[".requires_grad_(true)"]);
    assert_in(language, &why);

    let before = net.conv1.bias.grad();
    assert!(before.is_none());
    let why = before.explanation_in(language).unwrap();
    contains_all(&why, &["conv1.bias", "backward()", "zero_grad()"]);
    assert_in(language, &why);
    assert_chinese_differs(|l| net.conv1.bias.grad().explanation_in(l).unwrap());

    let computed = out.grad();
    let why = computed.explanation_in(language).unwrap();
    contains_all(&why, &["grad_fn=<AddmmBackward0>", ".grad"]);
    assert_in(language, &why);

    assert!(format!("{before:?}").starts_with("None ("));
}
in_every_language!(missing_gradients_explain_themselves);
