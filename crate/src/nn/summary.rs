//! A network's summary, as torchsummary prints it: each layer's output shape and parameter count, then totals.

use super::{Module, ModuleExt};
use crate::display::html;
use crate::{autograd, state, Result, Tensor};
use std::fmt;

/// One layer's line of a summary.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerRow {
    /// The layer's type with its position, e.g. `Conv2d-1`.
    pub layer: String,
    /// The output shape with the batch dimension as -1, e.g. `[-1, 6, 28, 28]`.
    pub output_shape: Vec<i64>,
    /// The number of parameter values the layer holds.
    pub params: usize,
}

/// Called by each built-in layer after its forward: notes the output while a summary is being taken (on this
/// thread, whichever notebook cell built the layer: the rows are kept in blitz's process-wide state).
pub(crate) fn record(layer_type: &str, output: &Tensor, params: usize) {
    if state::summary_recording() {
        state::summary_record(layer_type, &output.shape(), params);
    }
}

/// The summary of a network for one input shape; prints as torchsummary does, shows as a table in a notebook.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Every layer the input went through, in order.
    pub rows: Vec<LayerRow>,
    /// The input shape without the batch dimension.
    pub input_shape: Vec<usize>,
    /// All parameter values of the network.
    pub total_params: usize,
    /// The output shape for a batch of 2.
    pub output_shape: Vec<usize>,
}

impl Summary {
    /// Runs a batch of 2 zero inputs of `input_shape` through `module` without a graph, noting every layer.
    pub fn of(module: &dyn Module, input_shape: &[usize]) -> Result<Summary> {
        /// Stops recording if the forward fails (or panics), so later forwards are not noted.
        struct Stop;
        impl Drop for Stop {
            fn drop(&mut self) {
                state::summary_discard();
            }
        }
        let mut shape = vec![2];
        shape.extend_from_slice(input_shape);
        let input = Tensor::zeros(&shape)?;
        state::summary_start();
        let stop = Stop;
        let output = autograd::no_grad(|| module.forward(&input))?;
        let rows = state::summary_finish()
            .into_iter()
            .enumerate()
            .map(|(i, (layer_type, dims, params))| LayerRow {
                layer: format!("{layer_type}-{}", i + 1),
                output_shape: dims
                    .iter()
                    .enumerate()
                    .map(|(d, &n)| if d == 0 { -1 } else { n as i64 })
                    .collect(),
                params,
            })
            .collect();
        drop(stop);
        Ok(Summary {
            rows,
            input_shape: input_shape.to_vec(),
            total_params: module.num_parameters(),
            output_shape: output.shape(),
        })
    }

    fn megabytes(values: f64) -> f64 {
        values * 4.0 / (1024.0 * 1024.0)
    }

    /// Size figures in MB, as torchsummary estimates them: input, forward/backward, parameters, total.
    pub fn sizes_mb(&self) -> [f64; 4] {
        let input = Self::megabytes(self.input_shape.iter().product::<usize>() as f64);
        let outputs: f64 = self
            .rows
            .iter()
            .map(|r| r.output_shape.iter().skip(1).product::<i64>() as f64)
            .sum();
        let pass = 2.0 * Self::megabytes(outputs);
        let params = Self::megabytes(self.total_params as f64);
        [input, pass, params, input + pass + params]
    }

    /// Shows the summary in a notebook as an HTML table.
    pub fn evcxr_display(&self) {
        let rows: Vec<[String; 3]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.layer.clone(),
                    shape_text(&r.output_shape),
                    thousands(r.params),
                ]
            })
            .collect();
        let mut out = html::table(&["Layer (type)", "Output Shape", "Param #"], &rows);
        let [input, pass, params, total] = self.sizes_mb();
        out.push_str(&format!(
            "\n<p>Total params: <b>{}</b> (all trainable). Estimated size: input {input:.2} MB, \
             forward/backward pass {pass:.2} MB, params {params:.2} MB, total {total:.2} MB.</p>",
            thousands(self.total_params)
        ));
        println!("EVCXR_BEGIN_CONTENT text/html\n{out}\nEVCXR_END_CONTENT");
    }
}

fn shape_text(shape: &[i64]) -> String {
    let parts: Vec<String> = shape.iter().map(i64::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// `61100840` → `61,100,840`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rule = "-".repeat(64);
        let double = "=".repeat(64);
        writeln!(f, "{rule}")?;
        writeln!(
            f,
            "{:>20}  {:>25} {:>15}",
            "Layer (type)", "Output Shape", "Param #"
        )?;
        writeln!(f, "{double}")?;
        for r in &self.rows {
            writeln!(
                f,
                "{:>20}  {:>25} {:>15}",
                r.layer,
                shape_text(&r.output_shape),
                thousands(r.params)
            )?;
        }
        let [input, pass, params, total] = self.sizes_mb();
        writeln!(f, "{double}")?;
        writeln!(f, "Total params: {}", thousands(self.total_params))?;
        writeln!(f, "Trainable params: {}", thousands(self.total_params))?;
        writeln!(f, "Non-trainable params: 0")?;
        writeln!(f, "{rule}")?;
        writeln!(f, "Input size (MB): {input:.2}")?;
        writeln!(f, "Forward/backward pass size (MB): {pass:.2}")?;
        writeln!(f, "Params size (MB): {params:.2}")?;
        writeln!(f, "Estimated Total Size (MB): {total:.2}")?;
        write!(f, "{rule}")
    }
}
