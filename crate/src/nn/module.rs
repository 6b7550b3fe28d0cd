//! The `Module` trait: what every layer and network is, and what each gets for free.

use super::{ParameterTable, Summary};
use crate::{Error, Result, Tensor};
use std::collections::HashMap;
use std::path::Path;

/// A layer or a network (PyTorch's `nn.Module`).
///
/// To make your own network, write a struct of layers and implement `forward` and `children`; printing,
/// `parameters()`, `zero_grad()`, `summary(...)`, saving and loading come from [`ModuleExt`].
pub trait Module {
    /// Computes the output for a mini-batch.
    fn forward(&self, input: &Tensor) -> Result<Tensor>;

    /// The name printed for this module, by default the name of its Rust type (`Net`, `MyAlexNet`).
    fn type_name(&self) -> String {
        let full = std::any::type_name_of_val(self);
        let base = full.split('<').next().unwrap_or(full);
        base.rsplit("::").next().unwrap_or(base).to_string()
    }

    /// The settings printed inside the parentheses, e.g. `in_features=400, out_features=120, bias=True`.
    fn extra_repr(&self) -> String {
        String::new()
    }

    /// The sub-modules, with the names they are printed and their parameters are named under (`conv1`, ...).
    fn children(&self) -> Vec<(String, &dyn Module)> {
        Vec::new()
    }

    /// The parameters this module holds itself (not its children's), e.g. `weight` and `bias`.
    fn own_parameters(&self) -> Vec<(String, Tensor)> {
        Vec::new()
    }
}

/// What every [`Module`] gets for free: parameters by name, printing, summary, saving and loading.
pub trait ModuleExt: Module {
    /// Every parameter with its dotted name (`conv1.weight`, `conv1.bias`, ...), in registration order.
    fn named_parameters(&self) -> Vec<(String, Tensor)> {
        let mut out = self.own_parameters();
        for (child_name, child) in self.children() {
            for (name, p) in child.named_parameters() {
                out.push((format!("{child_name}.{name}"), p));
            }
        }
        // Each parameter remembers its full name, so messages (optimizer errors, a missing .grad) can name it.
        for (name, p) in &out {
            p.set_name(name);
        }
        out
    }

    /// Every parameter, in registration order (PyTorch's `net.parameters()`).
    fn parameters(&self) -> Vec<Tensor> {
        self.named_parameters()
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    }

    /// The number of learnable values in all parameters.
    fn num_parameters(&self) -> usize {
        self.parameters().iter().map(Tensor::elem_count).sum()
    }

    /// Clears the gradient of every parameter (sets it to `None`).
    fn zero_grad(&self) {
        for p in self.parameters() {
            p.zero_grad();
        }
    }

    /// The text PyTorch prints for this module: `Net(` / `  (conv1): Conv2d(...)` / ... / `)`.
    fn repr(&self) -> String {
        let children = self.children();
        let extra = self.extra_repr();
        if children.is_empty() {
            return format!("{}({extra})", self.type_name());
        }
        let mut lines = vec![format!("{}(", self.type_name())];
        if !extra.is_empty() {
            lines.push(format!("  {extra}"));
        }
        for (name, child) in children {
            let text = child.repr().replace('\n', "\n  ");
            lines.push(format!("  ({name}): {text}"));
        }
        lines.push(")".into());
        lines.join("\n")
    }

    /// A table of the parameters: name, shape, number of values, gradient state.
    fn parameter_table(&self) -> ParameterTable {
        ParameterTable::new(self.named_parameters())
    }

    /// Each layer's output shape and parameter count for one input (like torchsummary's `summary`).
    ///
    /// `input_shape` leaves out the batch dimension, e.g. `&[1, 32, 32]`; a batch of 2 is run without a graph.
    fn summary(&self, input_shape: &[usize]) -> Result<Summary>
    where
        Self: Sized,
    {
        Summary::of(self, input_shape)
    }

    /// Writes every parameter to a safetensors file under its dotted name (PyTorch's `state_dict` names).
    fn save(&self, path: impl AsRef<Path>) -> Result<()>
    where
        Self: Sized,
    {
        let tensors: HashMap<String, candle_core::Tensor> = self
            .named_parameters()
            .into_iter()
            .map(|(name, p)| (name, p.candle()))
            .collect();
        candle_core::safetensors::save(&tensors, path.as_ref())
            .map_err(|e| module_io_error(path.as_ref(), e))
    }

    /// Reads every parameter from a safetensors file whose names are the parameters' names.
    fn load(&self, path: impl AsRef<Path>) -> Result<()>
    where
        Self: Sized,
    {
        self.load_with_prefix(path, "")
    }

    /// Like [`ModuleExt::load`], for names stored as `prefix` + name (e.g. `param.conv1.weight`).
    ///
    /// Every name and shape is checked before any parameter changes, so a failed load leaves the network as it was.
    fn load_with_prefix(&self, path: impl AsRef<Path>, prefix: &str) -> Result<()>
    where
        Self: Sized,
    {
        let path = path.as_ref();
        let file = candle_core::safetensors::load(path, &candle_core::Device::Cpu)
            .map_err(|e| module_io_error(path, e))?;
        let mut updates = Vec::new();
        for (name, p) in self.named_parameters() {
            let key = format!("{prefix}{name}");
            let Some(value) = file.get(&key) else {
                let mut names: Vec<&String> = file.keys().collect();
                names.sort();
                let shown: Vec<String> = names.iter().take(12).map(|s| s.to_string()).collect();
                let more = if names.len() > 12 { ", ..." } else { "" };
                return Err(Error::MissingTensor {
                    file: path.to_path_buf(),
                    key,
                    available: format!("{}{more}", shown.join(", ")),
                });
            };
            if value.dims() != p.shape().as_slice() {
                return Err(Error::WrongTensorShape {
                    file: path.to_path_buf(),
                    key,
                    expected: p.shape(),
                    got: value.dims().to_vec(),
                });
            }
            updates.push((p, Tensor::from_candle(value.clone())?));
        }
        for (p, value) in updates {
            p.set_data(&value)?;
        }
        Ok(())
    }

    /// Shows this module in a notebook as PyTorch prints it.
    fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/plain\n{}\nEVCXR_END_CONTENT",
            self.repr()
        );
    }
}

impl<M: Module + ?Sized> ModuleExt for M {}

/// A file error from candle, turned into a message that names the file.
pub(crate) fn module_io_error(path: &Path, e: candle_core::Error) -> Error {
    let message = e.to_string();
    Error::Io {
        file: path.to_path_buf(),
        source: std::io::Error::other(message),
    }
}
