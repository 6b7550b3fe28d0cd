//! # blitz — PyTorch's "Neural Networks" lesson, in Rust on candle
//!
//! Everything the lesson inspects, made visible: a [`Tensor`] carries its gradient and the [`GradFn`] that
//! computed it; [`nn::Net`] is the lesson's LeNet; losses, optimizers and printing follow PyTorch, number for
//! number. Start with `use blitz::prelude::*;`.

#![deny(missing_docs)]

pub mod autograd;
pub mod data;
pub mod display;
mod error;
pub mod exercises;
pub mod functional;
mod grad;
pub mod loss;
pub mod messages;
pub mod metrics;
pub mod nn;
pub mod optim;
mod process;
mod random;
pub mod reference;
mod state;
mod tensor;

pub use autograd::{no_grad, GradFn, Graph};
pub use error::{DataProblem, Error, Hint, Result};
pub use grad::Grad;
pub use messages::{set_language, Language};
pub use random::manual_seed;
pub use tensor::Tensor;

/// The names a lesson needs, in one import: `use blitz::prelude::*;`.
pub mod prelude {
    pub use crate::autograd::{no_grad, GradFn, Graph};
    pub use crate::data::{DataLoader, Dataset, Digits, Mnist};
    pub use crate::display::DigitGrid;
    pub use crate::loss::{CrossEntropyLoss, MSELoss};
    pub use crate::metrics::{accuracy, predict, ConfusionMatrix, TrainingHistory};
    pub use crate::nn::{
        Conv2d, Flatten, Linear, MaxPool2d, Module, ModuleExt, Net, ReLU, Sequential, Summary,
    };
    pub use crate::optim::{Adam, CosineAnnealingLR, Optimizer, RMSprop, StepLR, SGD};
    pub use crate::{functional as F, manual_seed, set_language, Error, Result, Tensor};
}
