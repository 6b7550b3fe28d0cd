//! What `tensor.grad()` returns: the gradient, or `None` together with the reason there is none.
//!
//! PyTorch's `.grad` is a tensor or a bare `None`, and a learner is left to guess why it is `None`. Here a missing
//! gradient prints as `None (...)` with the reason and what to do, in the learner's language. It works like an
//! `Option<Tensor>`: `is_some()`, `unwrap()`, `as_ref()`, or `Option::from(grad)`.

use crate::messages::{self, render, Language};
use crate::Tensor;
use std::fmt;

/// A tensor's gradient as `.grad()` returns it: present, or missing with a reason.
#[derive(Clone)]
pub struct Grad {
    value: Option<Tensor>,
    missing: Option<Missing>,
}

/// Why a gradient is missing.
#[derive(Clone, Debug, PartialEq)]
enum Missing {
    /// The tensor does not require a gradient.
    NotRequired { name: Option<String> },
    /// The tensor was computed by an operation: backward passes through it without keeping a gradient.
    NotLeaf {
        name: Option<String>,
        grad_fn: String,
    },
    /// A parameter that no backward has reached since it was made or since `zero_grad`.
    NoBackward { name: Option<String> },
}

impl Grad {
    pub(crate) fn present(value: Tensor) -> Grad {
        Grad {
            value: Some(value),
            missing: None,
        }
    }

    pub(crate) fn missing(of: &Tensor) -> Grad {
        let name = of.name();
        let missing = match of.grad_fn() {
            Some(f) => Missing::NotLeaf {
                name,
                grad_fn: format!("grad_fn=<{}>", f.name()),
            },
            None if !of.requires_grad() => Missing::NotRequired { name },
            None => Missing::NoBackward { name },
        };
        Grad {
            value: None,
            missing: Some(missing),
        }
    }

    /// Whether there is a gradient.
    pub fn is_some(&self) -> bool {
        self.value.is_some()
    }

    /// Whether there is no gradient.
    pub fn is_none(&self) -> bool {
        self.value.is_none()
    }

    /// The gradient, if there is one.
    pub fn as_ref(&self) -> Option<&Tensor> {
        self.value.as_ref()
    }

    /// The gradient as an `Option`.
    pub fn into_option(self) -> Option<Tensor> {
        self.value
    }

    /// The gradient.
    ///
    /// # Panics
    /// When there is none, with the reason (as `Option::unwrap` would, but saying why). Like it, the panic names
    /// the caller's line, not this one.
    #[track_caller]
    pub fn unwrap(self) -> Tensor {
        self.expect("called `unwrap()` on a missing gradient")
    }

    /// The gradient, or a panic with `message` and the reason it is missing (naming the caller's line).
    #[track_caller]
    pub fn expect(self, message: &str) -> Tensor {
        match self.value {
            Some(value) => value,
            None => panic!(
                "{message}: {}",
                self.explanation_in(messages::language())
                    .unwrap_or_default()
            ),
        }
    }

    /// Why the gradient is missing, in `language`; `None` when it is present.
    pub fn explanation_in(&self, language: Language) -> Option<String> {
        // A named parameter and an unnamed tensor get messages of their own, so that each language can build
        // a natural sentence around the subject (a Latin name reads differently from "this tensor" in CJK text).
        let (key, name, grad_fn) = match self.missing.as_ref()? {
            Missing::NotRequired { name } => ("grad-none-not-required", name, None),
            Missing::NotLeaf { name, grad_fn } => ("grad-none-not-leaf", name, Some(grad_fn)),
            Missing::NoBackward { name } => ("grad-none-no-backward", name, None),
        };
        let mut args = Vec::new();
        if let Some(grad_fn) = grad_fn {
            args.push(("grad_fn", grad_fn.clone()));
        }
        let text = match name {
            Some(name) => {
                args.push(("name", name.clone()));
                render(language, key, &args)
            }
            None => render(language, &format!("{key}-this"), &args),
        };
        Some(text)
    }

    /// Shows the gradient in a notebook: the tensor, or `None` and why.
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}

impl From<Grad> for Option<Tensor> {
    fn from(grad: Grad) -> Option<Tensor> {
        grad.value
    }
}

impl fmt::Display for Grad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.value, self.explanation_in(messages::language())) {
            (Some(value), _) => fmt::Display::fmt(value, f),
            (None, Some(why)) => write!(f, "None ({why})"),
            (None, None) => f.write_str("None"),
        }
    }
}

impl fmt::Debug for Grad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
