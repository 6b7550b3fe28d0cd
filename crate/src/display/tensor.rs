//! A tensor as PyTorch prints it: `tensor([[...]], grad_fn=<AddmmBackward0>)`, in text and in a notebook.

use super::text;
use crate::Tensor;
use std::fmt;

impl Tensor {
    /// Shows this tensor in a notebook as PyTorch prints it.
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}

impl fmt::Display for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values = self.to_vec().map_err(|_| fmt::Error)?;
        let suffix = match (self.grad_fn(), self.requires_grad()) {
            (Some(g), _) => Some(format!("grad_fn=<{}>", g.name())),
            (None, true) => Some("requires_grad=True".to_string()),
            (None, false) => None,
        };
        f.write_str(&text::tensor_repr(
            &values,
            &self.shape(),
            suffix.as_deref(),
        ))
    }
}

impl fmt::Debug for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
