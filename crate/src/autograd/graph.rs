//! The whole recorded graph behind a tensor: its nodes in PyTorch's order, and the lesson's chain through them.
//! How it is printed and drawn lives in `display::graph`.

use super::GradFn;
use crate::Tensor;
use std::collections::{HashMap, VecDeque};

/// One node of a [`Graph`]: its PyTorch name and where each of its `next_functions` leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphNode {
    /// PyTorch's class name, e.g. `AddmmBackward0`.
    pub name: String,
    /// For each input: the index of its node in [`Graph::nodes`], or `None` for an input without gradient.
    pub next: Vec<Option<usize>>,
    /// For an `AccumulateGrad` node, the parameter its gradient lands on: its name (`conv1.weight`, when the
    /// network named it) and shape, as torchviz labels it.
    pub variable: Option<(Option<String>, Vec<usize>)>,
}

/// Every node reachable from a tensor's `grad_fn`, breadth first (the order PyTorch's references list them).
#[derive(Clone, Debug)]
pub struct Graph {
    /// The nodes; `nodes[0]` is the tensor's own `grad_fn`.
    pub nodes: Vec<GraphNode>,
}

impl Graph {
    /// The graph behind `tensor` (empty for a tensor without `grad_fn`).
    pub fn of(tensor: &Tensor) -> Graph {
        match tensor.grad_fn() {
            Some(root) => Graph::from_node(&root),
            None => Graph { nodes: Vec::new() },
        }
    }

    /// The graph reachable from one node.
    pub fn from_node(root: &GradFn) -> Graph {
        let mut index: HashMap<usize, usize> = HashMap::new();
        let mut order = vec![root.clone()];
        index.insert(root.id(), 0);
        let mut queue = VecDeque::from([root.clone()]);
        while let Some(node) = queue.pop_front() {
            for next in node.next_functions().into_iter().flatten() {
                if let std::collections::hash_map::Entry::Vacant(slot) = index.entry(next.id()) {
                    slot.insert(order.len());
                    order.push(next.clone());
                    queue.push_back(next);
                }
            }
        }
        let nodes = order
            .iter()
            .map(|node| GraphNode {
                name: node.name().to_string(),
                next: node
                    .next_functions()
                    .iter()
                    .map(|n| n.as_ref().map(|n| index[&n.id()]))
                    .collect(),
                variable: node.variable().map(|p| (p.name(), p.shape())),
            })
            .collect();
        Graph { nodes }
    }

    /// The lesson's chain from the input to the loss, following the data (not the parameters):
    /// `input -> conv2d -> relu -> maxpool2d -> ... -> linear -> MSELoss -> loss`.
    pub fn chain(&self) -> String {
        let mut steps = Vec::new();
        let mut current = if self.nodes.is_empty() { None } else { Some(0) };
        while let Some(i) = current {
            let node = &self.nodes[i];
            steps.push(lesson_name(&node.name));
            current = node.next.iter().flatten().copied().find(|&j| {
                let name = self.nodes[j].name.as_str();
                name != "AccumulateGrad" && name != "TBackward0"
            });
        }
        steps.reverse();
        let mut chain = vec!["input".to_string()];
        chain.extend(steps);
        chain.push("loss".into());
        chain.join(" -> ")
    }
}

/// The lesson's short name for a node: `AddmmBackward0` is a `linear` layer, `MseLossBackward0` the `MSELoss`.
fn lesson_name(node: &str) -> String {
    match node {
        "ConvolutionBackward0" => "conv2d",
        "ReluBackward0" => "relu",
        "MaxPool2DWithIndicesBackward0" => "maxpool2d",
        "ViewBackward0" => "view",
        "AddmmBackward0" => "linear",
        "MseLossBackward0" => "MSELoss",
        "NllLossBackward0" => "NLLLoss",
        "LogSoftmaxBackward0" => "log_softmax",
        other => other.trim_end_matches("Backward0"),
    }
    .to_string()
}
