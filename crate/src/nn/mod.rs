//! Layers and networks: the building blocks (`Conv2d`, `Linear`, ...), the [`Module`] trait that gives every
//! network printing, parameters and a summary, and the lesson's LeNet.

mod conv;
mod init;
mod layers;
mod lenet;
mod linear;
mod module;
mod parameters;
mod sequential;
pub mod summary;

pub use conv::Conv2d;
pub use layers::{Flatten, MaxPool2d, ReLU};
pub use lenet::Net;
pub use linear::Linear;
pub(crate) use module::module_io_error;
pub use module::{Module, ModuleExt};
pub use parameters::ParameterTable;
pub use sequential::Sequential;
pub use summary::Summary;
