//! The learner's tensor: a value, the gradient that backward leaves on it, and the `grad_fn` that made it.

use crate::autograd::{self, GradFn};
use crate::grad::Grad;
use crate::{random, Error, Hint, Result};
use candle_core::{DType, Device, Tensor as CTensor};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

/// A tensor of `f32` values on the CPU that takes part in autograd, like PyTorch's `torch.Tensor`.
///
/// It wraps a candle tensor (`.candle()`) and adds what the lesson inspects: `requires_grad`, the gradient
/// that `backward` accumulates (`.grad()`), and the node that computed it (`.grad_fn()`).
/// Cloning is cheap and shares the tensor, as Python names do.
#[derive(Clone)]
pub struct Tensor(pub(crate) Rc<TensorInner>);

pub(crate) struct TensorInner {
    value: RefCell<CTensor>,
    grad: RefCell<Option<CTensor>>,
    requires_grad: Cell<bool>,
    grad_fn: Option<GradFn>,
    /// The `AccumulateGrad` node of a leaf, shared by every graph alive that uses it (held weakly, as PyTorch does).
    accumulator: RefCell<Weak<autograd::NodeInner>>,
    /// Number of backward passes that added into `grad` since it was last cleared.
    backward_count: Cell<usize>,
    /// The parameter's name in its network (`fc1.weight`), given by `named_parameters`, for messages.
    name: RefCell<Option<String>>,
}

impl Tensor {
    /// Wraps a candle tensor as a leaf that does not require a gradient (converted to `f32`).
    ///
    /// A tensor without values (a dimension of size 0) is refused: blitz's tensors hold at least one value.
    pub fn from_candle(value: CTensor) -> Result<Tensor> {
        value_count("Tensor::from_candle", value.dims())?;
        let value = value.to_dtype(DType::F32)?;
        Ok(Self::leaf(value, false))
    }

    pub(crate) fn leaf(value: CTensor, requires_grad: bool) -> Tensor {
        crate::process::init();
        Tensor(Rc::new(TensorInner {
            value: RefCell::new(value),
            grad: RefCell::new(None),
            requires_grad: Cell::new(requires_grad),
            grad_fn: None,
            accumulator: RefCell::new(Weak::new()),
            backward_count: Cell::new(0),
            name: RefCell::new(None),
        }))
    }

    /// A tensor computed by an operation: records `grad_fn` when any input needs a gradient and recording is on.
    pub(crate) fn from_op(
        value: CTensor,
        name: &'static str,
        inputs: &[&Tensor],
        op: impl autograd::Backward + 'static,
    ) -> Tensor {
        if !autograd::is_grad_enabled() || !inputs.iter().any(|t| t.requires_grad()) {
            return Self::leaf(value, false);
        }
        let next = inputs.iter().map(|t| t.grad_edge()).collect();
        let grad_fn = GradFn::new_op(name, next, Box::new(op));
        Tensor(Rc::new(TensorInner {
            value: RefCell::new(value),
            grad: RefCell::new(None),
            requires_grad: Cell::new(true),
            grad_fn: Some(grad_fn),
            accumulator: RefCell::new(Weak::new()),
            backward_count: Cell::new(0),
            name: RefCell::new(None),
        }))
    }

    /// The node a gradient for this tensor goes to: its `grad_fn`, its `AccumulateGrad` if it is a leaf that
    /// requires a gradient, or `None`.
    pub(crate) fn grad_edge(&self) -> Option<GradFn> {
        if let Some(f) = &self.0.grad_fn {
            return Some(f.clone());
        }
        if !self.requires_grad() {
            return None;
        }
        if let Some(node) = self.0.accumulator.borrow().upgrade() {
            return Some(GradFn(node));
        }
        let node = GradFn::new_accumulate(self.clone());
        *self.0.accumulator.borrow_mut() = Rc::downgrade(&node.0);
        Some(node)
    }

    /// A tensor of the given shape filled from `data` (row-major), not requiring a gradient.
    ///
    /// `data` must hold as many values as the shape (the product of its sizes), and every size must be at
    /// least 1.
    pub fn from_vec(data: Vec<f32>, shape: &[usize]) -> Result<Tensor> {
        let want = value_count("Tensor::from_vec", shape)?;
        let got = data.len();
        if got != want {
            return Err(Error::ShapeMismatch {
                layer: "Tensor::from_vec".into(),
                expected: format!("{want} values for shape {shape:?}"),
                got: vec![got],
                hint: Hint::FromVec,
            });
        }
        Ok(Self::leaf(
            CTensor::from_vec(data, shape, &Device::Cpu)?,
            false,
        ))
    }

    /// Random values from the standard normal distribution (PyTorch's `torch.randn`), using blitz's seeded generator.
    pub fn randn(shape: &[usize]) -> Result<Tensor> {
        let mut values = filled("Tensor::randn", shape, 0.0)?;
        random::fill_normal(&mut values);
        Self::from_vec(values, shape)
    }

    /// A tensor of zeros.
    pub fn zeros(shape: &[usize]) -> Result<Tensor> {
        Self::from_vec(filled("Tensor::zeros", shape, 0.0)?, shape)
    }

    /// A tensor of ones.
    pub fn ones(shape: &[usize]) -> Result<Tensor> {
        Self::from_vec(filled("Tensor::ones", shape, 1.0)?, shape)
    }

    /// A one-element tensor of zero dimensions (PyTorch's `torch.tensor(3.0)`).
    pub fn scalar(value: f32) -> Tensor {
        Self::leaf(
            CTensor::new(value, &Device::Cpu).expect("a scalar tensor on the CPU"),
            false,
        )
    }

    /// Marks this tensor as a parameter whose gradient backward computes (PyTorch's `requires_grad_()`).
    ///
    /// Only leaves (tensors not computed by an operation) can change this.
    pub fn requires_grad_(self, requires_grad: bool) -> Tensor {
        if self.0.grad_fn.is_none() {
            self.0.requires_grad.set(requires_grad);
        }
        self
    }

    /// Whether backward computes a gradient for this tensor (or through it).
    pub fn requires_grad(&self) -> bool {
        self.0.requires_grad.get()
    }

    /// Whether this tensor was made directly rather than computed by a recorded operation.
    pub fn is_leaf(&self) -> bool {
        self.0.grad_fn.is_none()
    }

    /// The node that computed this tensor, `None` for leaves (PyTorch's `.grad_fn`).
    pub fn grad_fn(&self) -> Option<GradFn> {
        self.0.grad_fn.clone()
    }

    /// The gradient that backward accumulated here: `None` before the first backward, and after `zero_grad`.
    ///
    /// Only leaves that require a gradient (parameters) keep one, as in PyTorch. A missing gradient prints as
    /// `None` followed by the reason, in the learner's language.
    pub fn grad(&self) -> Grad {
        let value = self
            .0
            .grad
            .borrow()
            .as_ref()
            .map(|g| Self::leaf(g.clone(), false));
        match value {
            Some(g) => Grad::present(g),
            None => Grad::missing(self),
        }
    }

    /// The accumulated gradient's values, for optimizers and checks: no `Grad` (nor the reason it is missing)
    /// is built, as [`Tensor::grad`] does for the learner.
    pub(crate) fn grad_candle(&self) -> Option<CTensor> {
        self.0.grad.borrow().clone()
    }

    /// The parameter's name in its network (`fc1.weight`) once `named_parameters` or `parameters` listed it.
    pub fn name(&self) -> Option<String> {
        self.0.name.borrow().clone()
    }

    pub(crate) fn set_name(&self, name: &str) {
        *self.0.name.borrow_mut() = Some(name.to_string());
    }

    /// How many backward passes have added into `.grad` since it was last cleared (1 after one backward).
    pub fn grad_accumulations(&self) -> usize {
        self.0.backward_count.get()
    }

    /// Clears the gradient (sets it to `None`, PyTorch's default `set_to_none=True`).
    pub fn zero_grad(&self) {
        *self.0.grad.borrow_mut() = None;
        self.0.backward_count.set(0);
    }

    pub(crate) fn accumulate_grad(&self, grad: &CTensor) -> Result<()> {
        let mut slot = self.0.grad.borrow_mut();
        let sum = match slot.take() {
            Some(old) => (old + grad)?,
            None => grad.contiguous()?,
        };
        *slot = Some(sum);
        self.0.backward_count.set(self.0.backward_count.get() + 1);
        Ok(())
    }

    /// Back-propagates from this single-number tensor (a loss): every parameter it depends on gets `.grad`.
    ///
    /// A tensor with more than one element needs the gradient of its output: use [`Tensor::backward_with`].
    /// The graph's saved values are freed afterwards; run the forward pass again before the next backward.
    pub fn backward(&self) -> Result<()> {
        self.backward_scalar(false)
    }

    /// Like [`Tensor::backward`], but keeps the graph so that backward can run through it again.
    pub fn backward_retain_graph(&self) -> Result<()> {
        self.backward_scalar(true)
    }

    /// Backward from a single-number tensor, seeded with 1.
    fn backward_scalar(&self, retain_graph: bool) -> Result<()> {
        if self.elem_count() != 1 {
            return Err(Error::BackwardNeedsGradient {
                shape: self.shape(),
            });
        }
        let one = CTensor::ones(self.shape(), DType::F32, &Device::Cpu)?;
        self.run_backward(one, retain_graph)
    }

    /// Back-propagates a given gradient of this tensor (PyTorch's `out.backward(gradient)`); shapes must match.
    pub fn backward_with(&self, gradient: &Tensor) -> Result<()> {
        if gradient.shape() != self.shape() {
            return Err(Error::GradientShape {
                expected: self.shape(),
                got: gradient.shape(),
            });
        }
        self.run_backward(gradient.candle(), false)
    }

    fn run_backward(&self, grad: CTensor, retain_graph: bool) -> Result<()> {
        match self.grad_edge() {
            Some(root) => autograd::run_backward(&root, grad, retain_graph),
            None => Err(Error::NoGraph),
        }
    }

    /// The underlying candle tensor (shared, not copied).
    pub fn candle(&self) -> CTensor {
        self.0.value.borrow().clone()
    }

    /// A tensor sharing this one's values but outside the graph (PyTorch's `.data` / `.detach()`).
    pub fn data(&self) -> Tensor {
        Self::leaf(self.candle(), false)
    }

    /// Replaces the values of this tensor (a parameter update); the new values must have the same shape.
    ///
    /// Graphs recorded earlier keep the values they saved.
    pub fn set_data(&self, values: &Tensor) -> Result<()> {
        let new = values.candle();
        if new.dims() != self.shape().as_slice() {
            return Err(Error::ShapeMismatch {
                layer: "set_data".into(),
                expected: format!("{:?}", self.shape()),
                got: new.dims().to_vec(),
                hint: Hint::SetData,
            });
        }
        *self.0.value.borrow_mut() = new.contiguous()?;
        Ok(())
    }

    /// The shape, e.g. `[6, 1, 5, 5]`.
    pub fn shape(&self) -> Vec<usize> {
        self.0.value.borrow().dims().to_vec()
    }

    /// The shape (PyTorch's name for it).
    pub fn size(&self) -> Vec<usize> {
        self.shape()
    }

    /// The number of dimensions.
    pub fn dim(&self) -> usize {
        self.0.value.borrow().rank()
    }

    /// The number of values.
    pub fn elem_count(&self) -> usize {
        self.0.value.borrow().elem_count()
    }

    /// All values, row-major.
    pub fn to_vec(&self) -> Result<Vec<f32>> {
        Ok(self.candle().flatten_all()?.to_vec1::<f32>()?)
    }

    /// The one value of a single-element tensor (PyTorch's `.item()`).
    pub fn item(&self) -> Result<f32> {
        let values = self.to_vec()?;
        match values.as_slice() {
            [v] => Ok(*v),
            _ => Err(Error::ShapeMismatch {
                layer: "item".into(),
                expected: "a tensor with one value".into(),
                got: self.shape(),
                hint: Hint::None,
            }),
        }
    }
}

/// The number of values a tensor of `shape` holds, for `call`: refuses a dimension of size 0 (blitz's tensors
/// hold at least one value) and a count too large to address.
pub(crate) fn value_count(call: &str, shape: &[usize]) -> Result<usize> {
    if shape.contains(&0) {
        return Err(Error::EmptyTensor {
            call: call.into(),
            shape: shape.to_vec(),
        });
    }
    shape
        .iter()
        .try_fold(1usize, |count, &d| count.checked_mul(d))
        .filter(|&count| count <= isize::MAX as usize / std::mem::size_of::<f32>())
        .ok_or_else(|| Error::TensorTooLarge {
            call: call.into(),
            shape: format!("{shape:?}"),
        })
}

/// `count` copies of `value`, or [`Error::TensorTooLarge`] (naming `call` and `shape`) when memory cannot hold
/// them (see [`memory_for`]).
pub(crate) fn values_or_error(
    call: &str,
    shape: &dyn std::fmt::Debug,
    count: usize,
    value: f32,
) -> Result<Vec<f32>> {
    memory_for(call, shape, count)?;
    Ok(vec![value; count])
}

/// Whether memory can hold `count` values, [`Error::TensorTooLarge`] (naming `call` and `shape`) otherwise.
///
/// A large buffer (from 16 MB) is reserved once and released, so that a mistaken size (a huge padding or shape)
/// is an error rather than an abort of the whole process, which in a notebook loses every variable. Smaller
/// buffers are not tried: they cost nothing extra on the training path.
pub(crate) fn memory_for(call: &str, shape: &dyn std::fmt::Debug, count: usize) -> Result<()> {
    const TRY_FROM: usize = 1 << 22;
    if count >= TRY_FROM {
        let mut probe: Vec<f32> = Vec::new();
        probe
            .try_reserve_exact(count)
            .map_err(|_| Error::TensorTooLarge {
                call: call.into(),
                shape: format!("{shape:?}"),
            })?;
    }
    Ok(())
}

/// The values of a new tensor of `shape`, all `value` (see [`value_count`] and [`values_or_error`]).
pub(crate) fn filled(call: &str, shape: &[usize], value: f32) -> Result<Vec<f32>> {
    let count = value_count(call, shape)?;
    values_or_error(call, &shape, count, value)
}
