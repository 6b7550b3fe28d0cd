//! How values look: PyTorch-style text for tensors, HTML tables and SVG pictures for notebooks.
//!
//! What a value *is* (the tensor, the graph) lives in `tensor` and `autograd`, which import nothing from here;
//! how it is shown (`Display`, `evcxr_display`, `Graph::to_svg`) lives here, above them.

mod graph;
pub mod html;
mod tensor;
pub mod text;
