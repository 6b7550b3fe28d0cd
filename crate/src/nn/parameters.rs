//! A table of a network's parameters, for printing and for notebooks.

use crate::Tensor;
use std::fmt;

/// Each parameter's name, shape, size and gradient state; shows as an HTML table in a notebook.
pub struct ParameterTable {
    rows: Vec<(String, Tensor)>,
}

impl ParameterTable {
    /// A table of these named parameters.
    pub fn new(rows: Vec<(String, Tensor)>) -> ParameterTable {
        ParameterTable { rows }
    }

    fn cells(&self) -> Vec<[String; 4]> {
        self.rows
            .iter()
            .map(|(name, p)| {
                let grad = match p.grad_candle() {
                    None => "None".to_string(),
                    Some(_) => format!("{:?}", p.shape()),
                };
                [
                    name.clone(),
                    format!("{:?}", p.shape()),
                    p.elem_count().to_string(),
                    grad,
                ]
            })
            .collect()
    }

    /// Shows the table in a notebook (HTML, with a text fallback).
    pub fn evcxr_display(&self) {
        let header = ["name", "shape", "values", "grad"];
        let html = crate::display::html::table(&header, &self.cells());
        println!("EVCXR_BEGIN_CONTENT text/html\n{html}\nEVCXR_END_CONTENT");
    }
}

impl fmt::Display for ParameterTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = ["name", "shape", "values", "grad"];
        f.write_str(&crate::display::html::text_table(&header, &self.cells()))
    }
}
