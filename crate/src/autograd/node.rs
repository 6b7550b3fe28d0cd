//! A node of the graph autograd records: PyTorch's `grad_fn`.

use super::Backward;
use crate::Tensor;
use std::cell::RefCell;
use std::rc::Rc;

/// One step of the recorded computation, named as PyTorch names it (`AddmmBackward0`, `AccumulateGrad`, ...).
///
/// A tensor computed from parameters carries the node that made it (`tensor.grad_fn()`); each node knows the
/// nodes of its inputs (`next_functions()`), so a learner can walk from the loss back to every parameter.
/// Cloning a `GradFn` is cheap: it is a shared handle to the same node.
#[derive(Clone)]
pub struct GradFn(pub(crate) Rc<NodeInner>);

pub(crate) struct NodeInner {
    pub(crate) name: &'static str,
    pub(crate) next: Vec<Option<GradFn>>,
    pub(crate) kind: NodeKind,
}

pub(crate) enum NodeKind {
    /// A leaf that requires a gradient: backward adds into its `.grad`.
    Accumulate(Tensor),
    /// An operation: its backward rule, with the values it saved; `None` once a backward has freed it.
    Op(RefCell<Option<Box<dyn Backward>>>),
}

impl GradFn {
    pub(crate) fn new_op(
        name: &'static str,
        next: Vec<Option<GradFn>>,
        op: Box<dyn Backward>,
    ) -> Self {
        GradFn(Rc::new(NodeInner {
            name,
            next,
            kind: NodeKind::Op(RefCell::new(Some(op))),
        }))
    }

    pub(crate) fn new_accumulate(leaf: Tensor) -> Self {
        GradFn(Rc::new(NodeInner {
            name: "AccumulateGrad",
            next: Vec::new(),
            kind: NodeKind::Accumulate(leaf),
        }))
    }

    /// PyTorch's class name of this node, e.g. `MseLossBackward0`.
    pub fn name(&self) -> &'static str {
        self.0.name
    }

    /// The nodes of this step's inputs, in order; `None` for an input that needs no gradient (the image, the target).
    pub fn next_functions(&self) -> Vec<Option<GradFn>> {
        self.0.next.clone()
    }

    /// For an `AccumulateGrad` node, the parameter its gradient goes to (PyTorch's `.variable`).
    pub fn variable(&self) -> Option<Tensor> {
        match &self.0.kind {
            NodeKind::Accumulate(t) => Some(t.clone()),
            NodeKind::Op(_) => None,
        }
    }

    /// Whether two handles name the same node.
    pub fn ptr_eq(&self, other: &GradFn) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    pub(crate) fn id(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}
