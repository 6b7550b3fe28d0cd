//! The backward pass: visits the graph from the output to the leaves, in dependency order.

use super::{GradFn, NodeKind};
use crate::{Error, Result};
use candle_core::Tensor as CTensor;
use std::collections::HashMap;

/// Back-propagates `grad` from `root` and adds the results into the `.grad` of every leaf that requires one.
///
/// Each node runs once, after every node that feeds it a gradient has run (Kahn's order over the
/// reachable nodes). Unless `retain_graph`, each node's saved values are freed after it runs.
pub(crate) fn run_backward(root: &GradFn, grad: CTensor, retain_graph: bool) -> Result<()> {
    // How many consumers feed each node a gradient.
    let mut pending: HashMap<usize, usize> = HashMap::new();
    let mut stack = vec![root.clone()];
    pending.insert(root.id(), 0);
    while let Some(node) = stack.pop() {
        for next in node.0.next.iter().flatten() {
            let count = pending.entry(next.id()).or_insert(0);
            *count += 1;
            if *count == 1 {
                stack.push(next.clone());
            }
        }
    }

    let mut grads: HashMap<usize, CTensor> = HashMap::new();
    grads.insert(root.id(), grad);
    let mut ready = vec![root.clone()];
    while let Some(node) = ready.pop() {
        let grad = grads
            .remove(&node.id())
            .expect("a ready node has received its gradient");
        match &node.0.kind {
            NodeKind::Accumulate(leaf) => leaf.accumulate_grad(&grad)?,
            NodeKind::Op(op) => {
                let needs: Vec<bool> = node.0.next.iter().map(Option::is_some).collect();
                let input_grads = {
                    let op = op.borrow();
                    let op = op.as_ref().ok_or_else(|| Error::GraphFreed {
                        node: node.to_string(),
                    })?;
                    op.backward(&grad, &needs)?
                };
                if !retain_graph {
                    op.borrow_mut().take();
                }
                for (next, input_grad) in node.0.next.iter().zip(input_grads) {
                    let Some(next) = next else { continue };
                    let id = next.id();
                    let input_grad = input_grad
                        .expect("an operation returns a gradient for every input that needs one");
                    let sum = match grads.remove(&id) {
                        Some(sum) => (sum + input_grad)?,
                        None => input_grad,
                    };
                    grads.insert(id, sum);
                    let count = pending
                        .get_mut(&id)
                        .expect("every reachable node is counted");
                    *count -= 1;
                    if *count == 0 {
                        ready.push(next.clone());
                    }
                }
            }
        }
    }
    Ok(())
}
