//! The lesson's AlexNet exercise, built by a learner from blitz's layers: parameter names, shapes, the total,
//! and the shape after each stage must equal PyTorch's (`alexnet.json`).

mod common;

use blitz::nn::{Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Summary};

// AlexNet as a learner writes it in the lesson's exercise: the exercise's reference solution itself (named layers,
// ReLU after each but the last, 2x2 pooling, `num_classes`), so that it is checked against PyTorch's figures here.
// (It brings `use blitz::prelude::*`.)
include!("../../exercises/solutions/alexnet.rs");

impl AlexNet {
    /// The output of each stage the reference file lists, for one input.
    fn stages(&self, x: &Tensor) -> blitz::Result<Vec<Tensor>> {
        let pool = MaxPool2d::new(2)?;
        let s1 = pool.forward(&self.conv1.forward(x)?.relu()?)?;
        let s2 = pool.forward(&self.conv2.forward(&s1)?.relu()?)?;
        let s3 = self.conv3.forward(&s2)?.relu()?;
        let s4 = self.conv4.forward(&s3)?.relu()?;
        let s5 = pool.forward(&self.conv5.forward(&s4)?.relu()?)?;
        let flat = Flatten.forward(&s5)?;
        let h = self.fc1.forward(&flat)?.relu()?;
        let h = self.fc2.forward(&h)?.relu()?;
        let out = self.fc3.forward(&h)?;
        Ok(vec![s1, s2, s3, s4, s5, out])
    }
}

fn reference(num_classes: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(common::fixture("alexnet.json")).expect("alexnet.json");
    let all: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    all[num_classes].clone()
}

fn shape_of(v: &serde_json::Value) -> Vec<usize> {
    v.as_array()
        .expect("a shape")
        .iter()
        .map(|d| d.as_u64().expect("a dimension") as usize)
        .collect()
}

#[test]
fn alexnet_parameters_equal_pytorch() {
    for classes in [1000usize, 10] {
        let want = reference(&classes.to_string());
        let net = AlexNet::new(classes).unwrap();
        let got: Vec<(String, Vec<usize>)> = net
            .named_parameters()
            .into_iter()
            .map(|(name, p)| (name, p.shape()))
            .collect();
        let expected: Vec<(String, Vec<usize>)> = want["tensors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t[0].as_str().unwrap().to_string(), shape_of(&t[1])))
            .collect();
        assert_eq!(got, expected, "AlexNet({classes}) parameters");
        assert_eq!(
            net.num_parameters() as u64,
            want["parameters"].as_u64().unwrap()
        );
    }
}

#[test]
fn alexnet_stage_shapes_equal_pytorch() {
    let want = reference("1000");
    let net = AlexNet::new(1000).unwrap();
    let x = Tensor::randn(&[2, 3, 224, 224]).unwrap();
    let stages = blitz::autograd::no_grad(|| net.stages(&x)).unwrap();
    let expected: Vec<Vec<usize>> = want["stage_shapes_batch2"]
        .as_array()
        .unwrap()
        .iter()
        .map(shape_of)
        .collect();
    let got: Vec<Vec<usize>> = stages.iter().map(Tensor::shape).collect();
    assert_eq!(got, expected);
}

#[test]
fn alexnet_summary_lists_every_layer_and_the_total() {
    let net = AlexNet::new(1000).unwrap();
    let summary = Summary::of(&net, &[3, 224, 224]).unwrap();
    let text = summary.to_string();
    assert_eq!(summary.total_params, 61_100_840);
    assert!(text.contains("Total params: 61,100,840"), "{text}");
    let first = &summary.rows[0];
    assert_eq!(first.layer, "Conv2d-1");
    assert_eq!(first.output_shape, vec![-1, 64, 55, 55]);
    assert_eq!(first.params, 64 * 3 * 11 * 11 + 64);
    let last = summary.rows.last().unwrap();
    assert_eq!(last.output_shape, vec![-1, 1000]);
    assert_eq!(last.params, 4096 * 1000 + 1000);
    let convs = summary
        .rows
        .iter()
        .filter(|r| r.layer.starts_with("Conv2d"))
        .count();
    let linears = summary
        .rows
        .iter()
        .filter(|r| r.layer.starts_with("Linear"))
        .count();
    assert_eq!((convs, linears), (5, 3));
}

#[test]
fn sequential_alexnet_prints_like_pytorch() {
    let features = Sequential::new()
        .append(
            Conv2d::new(3, 64, 11)
                .unwrap()
                .stride(4)
                .unwrap()
                .padding(2),
        )
        .append(ReLU)
        .append(MaxPool2d::new(2).unwrap());
    let text = features.repr();
    assert_eq!(
        text,
        "Sequential(\n  (0): Conv2d(3, 64, kernel_size=(11, 11), stride=(4, 4), padding=(2, 2))\n  (1): ReLU()\n  \
         (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n)"
    );
}
