//! The lesson's behaviour, section by section: printing, parameters, the mini-batch rule, gradients that start
//! as `None`, accumulate and are cleared, and the errors a learner meets, with the fix in the message.

use blitz::prelude::*;

#[test]
fn net_prints_like_pytorch() {
    let net = Net::new().unwrap();
    assert_eq!(
        net.repr(),
        "Net(\n\
         \x20 (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))\n\
         \x20 (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))\n\
         \x20 (fc1): Linear(in_features=400, out_features=120, bias=True)\n\
         \x20 (fc2): Linear(in_features=120, out_features=84, bias=True)\n\
         \x20 (fc3): Linear(in_features=84, out_features=10, bias=True)\n\
         )"
    );
    let small = Net::with_kernel_size(3).unwrap().repr();
    assert!(small.contains("(conv1): Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1))"));
    assert!(small.contains("(fc1): Linear(in_features=576, out_features=120, bias=True)"));
}

#[test]
fn parameters_come_in_pytorch_order_with_pytorch_names() {
    let net = Net::new().unwrap();
    let params = net.named_parameters();
    let names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "conv1.weight",
            "conv1.bias",
            "conv2.weight",
            "conv2.bias",
            "fc1.weight",
            "fc1.bias",
            "fc2.weight",
            "fc2.bias",
            "fc3.weight",
            "fc3.bias"
        ]
    );
    assert_eq!(params[0].1.shape(), vec![6, 1, 5, 5]);
    assert_eq!(net.num_parameters(), 61_706);
}

#[test]
fn initialisation_stays_within_pytorchs_bounds() {
    manual_seed(7);
    let net = Net::new().unwrap();
    for (name, p) in net.named_parameters() {
        let shape = p.shape();
        // fan_in of a weight is every dimension but the first; a bias uses its layer's weight's fan_in.
        let fan_in: usize = match name.as_str() {
            "conv1.weight" | "conv1.bias" => 25,
            "conv2.weight" | "conv2.bias" => 150,
            "fc1.weight" | "fc1.bias" => 400,
            "fc2.weight" | "fc2.bias" => 120,
            _ => 84,
        };
        // kaiming_uniform with a = sqrt(5) has the same bound as the bias: 1/sqrt(fan_in).
        let bound = 1.0 / (fan_in as f32).sqrt();
        let values = p.to_vec().unwrap();
        assert_eq!(values.len(), shape.iter().product::<usize>());
        assert!(
            values.iter().all(|v| v.abs() <= bound),
            "{name} exceeds ±{bound}"
        );
        let spread = values.iter().fold(0f32, |m, v| m.max(v.abs()));
        if values.len() > 50 {
            assert!(
                spread > 0.8 * bound,
                "{name} uses only ±{spread} of ±{bound}"
            );
        }
    }
}

#[test]
fn gradients_are_none_until_backward_then_accumulate_until_zeroed() {
    let net = Net::new().unwrap();
    let input = Tensor::randn(&[1, 1, 32, 32]).unwrap();
    let target = Tensor::randn(&[1, 10]).unwrap();
    assert!(net.conv1.bias.grad().is_none());

    let loss = MSELoss::new()
        .forward(&net.forward(&input).unwrap(), &target)
        .unwrap();
    loss.backward().unwrap();
    let once = net
        .conv1
        .bias
        .grad()
        .expect("a gradient after backward")
        .to_vec()
        .unwrap();
    assert_eq!(once.len(), 6);
    assert!(once.iter().any(|g| *g != 0.0));

    let loss = MSELoss::new()
        .forward(&net.forward(&input).unwrap(), &target)
        .unwrap();
    loss.backward().unwrap();
    let twice = net.conv1.bias.grad().unwrap().to_vec().unwrap();
    for (a, b) in once.iter().zip(&twice) {
        assert!(
            (2.0 * a - b).abs() <= 1e-6 + 1e-5 * b.abs(),
            "{a} twice is not {b}"
        );
    }
    assert_eq!(net.conv1.bias.grad_accumulations(), 2);

    net.zero_grad();
    assert!(net.conv1.bias.grad().is_none());
    assert!(
        input.grad().is_none(),
        "the input does not require a gradient"
    );
}

#[test]
fn outputs_carry_pytorchs_grad_fn_names() {
    let net = Net::new().unwrap();
    let out = net
        .forward(&Tensor::randn(&[1, 1, 32, 32]).unwrap())
        .unwrap();
    assert_eq!(out.grad_fn().unwrap().name(), "AddmmBackward0");
    let loss = MSELoss::new()
        .forward(&out, &Tensor::randn(&[1, 10]).unwrap())
        .unwrap();
    let f = loss.grad_fn().unwrap();
    assert_eq!(f.name(), "MseLossBackward0");
    let next: Vec<String> = f
        .next_functions()
        .iter()
        .map(|n| {
            n.as_ref()
                .map(|g| g.name().to_string())
                .unwrap_or("None".into())
        })
        .collect();
    assert_eq!(next, ["AddmmBackward0", "None"]);
    let text = out.to_string();
    assert!(text.starts_with("tensor([["), "{text}");
    // PyTorch wraps the line before `grad_fn` when the values are printed in scientific notation (a value such as
    // 5.8e-05 makes them wide), so only the closing brackets and the name are fixed.
    assert!(text.contains("]],"), "{text}");
    assert!(text.ends_with("grad_fn=<AddmmBackward0>)"), "{text}");
}

#[test]
fn a_sample_without_batch_dimension_is_refused_with_the_unsqueeze_fix() {
    let net = Net::new().unwrap();
    let err = net
        .forward(&Tensor::randn(&[1, 32, 32]).unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::NeedsBatch { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("conv1"), "{message}");
    assert!(message.contains("[1, 32, 32]"), "{message}");
    assert!(message.contains("unsqueeze(0)"), "{message}");
    assert!(message.contains("[1, 1, 32, 32]"), "{message}");
    let fixed = net.forward(&Tensor::randn(&[1, 32, 32]).unwrap().unsqueeze(0).unwrap());
    assert_eq!(fixed.unwrap().shape(), vec![1, 10]);
}

#[test]
fn fc1_of_the_wrong_size_explains_576() {
    let mut net = Net::with_kernel_size(3).unwrap();
    net.fc1 = blitz::nn::Linear::new(400, 120).unwrap();
    let err = net
        .forward(&Tensor::randn(&[1, 1, 32, 32]).unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::ShapeMismatch { .. }), "{err:?}");
    let message = err.to_string();
    for part in ["fc1", "576", "400", "16*6*6", "Linear::new(576, 120)"] {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }
}

#[test]
fn a_loss_target_of_another_shape_is_refused_with_both_shapes() {
    let out = Tensor::randn(&[1, 10]).unwrap();
    let target = Tensor::randn(&[10]).unwrap();
    let err = MSELoss::new().forward(&out, &target).unwrap_err();
    assert!(matches!(err, Error::TargetShape { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("[1, 10]") && message.contains("[10]"),
        "{message}"
    );
    assert!(message.contains("view"), "the fix is shown: {message}");
}

#[test]
fn backward_of_a_non_scalar_needs_a_gradient_of_its_shape() {
    let net = Net::new().unwrap();
    let out = net
        .forward(&Tensor::randn(&[1, 1, 32, 32]).unwrap())
        .unwrap();
    let err = out.backward().unwrap_err();
    assert!(
        matches!(err, Error::BackwardNeedsGradient { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("[1, 10]"));
    let wrong = out
        .backward_with(&Tensor::randn(&[10]).unwrap())
        .unwrap_err();
    assert!(matches!(wrong, Error::GradientShape { .. }), "{wrong:?}");
    out.backward_with(&Tensor::randn(&[1, 10]).unwrap())
        .unwrap();
    assert_eq!(net.fc3.weight.grad().unwrap().shape(), vec![10, 84]);
}

#[test]
fn a_second_backward_over_the_same_graph_is_refused_unless_retained() {
    let net = Net::new().unwrap();
    let input = Tensor::randn(&[1, 1, 32, 32]).unwrap();
    let target = Tensor::randn(&[1, 10]).unwrap();
    let loss = MSELoss::new()
        .forward(&net.forward(&input).unwrap(), &target)
        .unwrap();
    loss.backward().unwrap();
    let err = loss.backward().unwrap_err();
    assert!(matches!(err, Error::GraphFreed { .. }), "{err:?}");
    assert!(err.to_string().contains("retain"), "{err}");

    let loss = MSELoss::new()
        .forward(&net.forward(&input).unwrap(), &target)
        .unwrap();
    loss.backward_retain_graph().unwrap();
    loss.backward().unwrap();
}

#[test]
fn backward_of_a_tensor_without_graph_says_so() {
    let t = Tensor::randn(&[1]).unwrap();
    assert!(matches!(t.backward().unwrap_err(), Error::NoGraph));
}
