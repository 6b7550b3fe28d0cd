//! The graph of the lesson's MSE loss has PyTorch's nodes and edges, in PyTorch's breadth-first order.

mod common;

use blitz::prelude::*;
use blitz::reference::ReferenceInputs;

#[test]
fn loss_graph_matches_pytorch_graph_json() {
    let inputs = ReferenceInputs::load(&common::fixture("lenet5.safetensors")).unwrap();
    let net = inputs.net().unwrap();
    let input = Tensor::randn(&[1, 1, 32, 32]).unwrap();
    let target = Tensor::randn(&[1, 10]).unwrap();
    let loss = MSELoss::new()
        .forward(&net.forward(&input).unwrap(), &target)
        .unwrap();
    let graph = Graph::of(&loss);
    let text = std::fs::read_to_string(common::fixture("graph.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let want = json["lenet5_mse"].as_array().unwrap();
    assert_eq!(graph.nodes.len(), want.len());
    for (i, (got, want)) in graph.nodes.iter().zip(want).enumerate() {
        assert_eq!(got.name, want["name"].as_str().unwrap(), "node {i}");
        let next: Vec<Option<usize>> = want["next"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().map(|n| n as usize))
            .collect();
        assert_eq!(got.next, next, "edges of node {i} ({})", got.name);
    }
    assert_eq!(
        graph.chain(),
        "input -> conv2d -> relu -> maxpool2d -> conv2d -> relu -> maxpool2d -> view -> linear -> relu -> linear -> relu -> linear -> MSELoss -> loss"
    );
}

#[test]
fn each_accumulate_grad_box_names_its_parameter_and_shape() {
    manual_seed(0);
    let net = Net::new().unwrap();
    let loss = MSELoss::new()
        .forward(
            &net.forward(&Tensor::randn(&[1, 1, 32, 32]).unwrap())
                .unwrap(),
            &Tensor::randn(&[1, 10]).unwrap(),
        )
        .unwrap();
    let graph = Graph::of(&loss);
    let landing: Vec<_> = graph
        .nodes
        .iter()
        .filter(|n| n.name == "AccumulateGrad")
        .map(|n| {
            n.variable
                .clone()
                .expect("an AccumulateGrad node knows its parameter")
        })
        .collect();
    assert_eq!(landing.len(), 10, "one AccumulateGrad per parameter");
    let svg = graph.to_svg();
    for (name, p) in net.named_parameters() {
        assert!(
            landing.contains(&(Some(name.clone()), p.shape())),
            "{name} is not in the graph"
        );
        assert!(
            svg.contains(&format!("{name} {:?}", p.shape())),
            "the picture does not label {name} with its shape"
        );
    }
    assert!(svg.contains("conv1.weight [6, 1, 5, 5]"));
}
