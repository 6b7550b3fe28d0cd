//! How values look: PyTorch-style text for tensors, HTML tables and SVG pictures for notebooks.
//!
//! What a value *is* (the tensor, the graph, the digits, a confusion matrix) lives in `tensor`, `autograd`,
//! `data` and `metrics`, which import nothing from here; how it is shown (`Display`, `evcxr_display`,
//! `Graph::to_svg`, the pictures of digits and training curves) lives here, above them.

mod confusion;
mod curves;
mod data;
mod digit_grid;
mod font;
mod graph;
pub mod html;
mod tensor;
pub mod text;

pub use digit_grid::DigitGrid;
