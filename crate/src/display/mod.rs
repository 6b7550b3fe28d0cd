//! How values look: PyTorch-style text for tensors, HTML tables and SVG pictures for notebooks.

pub mod html;
pub mod text;
