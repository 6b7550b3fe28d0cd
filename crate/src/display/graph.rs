//! The recorded graph shown to a learner: a list of nodes in text, an SVG picture in a notebook, and a node
//! (`GradFn`) as PyTorch prints it.

use super::html::escape;
use crate::{GradFn, Graph};
use std::fmt;

impl Graph {
    /// A picture of the graph as SVG: the loss at the top, each node's inputs below it, parameters as leaves.
    pub fn to_svg(&self) -> String {
        // Rows by distance from the root (the longest path, so that every edge points down).
        let mut depth = vec![0usize; self.nodes.len()];
        for _ in 0..self.nodes.len() {
            let mut changed = false;
            for (i, node) in self.nodes.iter().enumerate() {
                for &j in node.next.iter().flatten() {
                    if depth[j] < depth[i] + 1 {
                        depth[j] = depth[i] + 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let rows = depth.iter().max().map_or(0, |d| d + 1);
        let mut columns = vec![0usize; self.nodes.len()];
        let mut per_row = vec![0usize; rows];
        for (i, &d) in depth.iter().enumerate() {
            columns[i] = per_row[d];
            per_row[d] += 1;
        }
        let (box_w, box_h, gap_x, gap_y) = (230.0, 36.0, 20.0, 28.0);
        let widest = per_row.iter().copied().max().unwrap_or(1) as f64;
        let width = widest * (box_w + gap_x) + gap_x;
        let height = rows as f64 * (box_h + gap_y) + gap_y;
        let centre = |i: usize| -> (f64, f64) {
            let in_row = per_row[depth[i]] as f64;
            let left = (width - in_row * (box_w + gap_x) + gap_x) / 2.0;
            let x = left + columns[i] as f64 * (box_w + gap_x) + box_w / 2.0;
            let y = gap_y + depth[i] as f64 * (box_h + gap_y) + box_h / 2.0;
            (x, y)
        };
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             font-family=\"monospace\" font-size=\"12\">\n\
             <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" \
             markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n"
        );
        for (i, node) in self.nodes.iter().enumerate() {
            let (x1, y1) = centre(i);
            for &j in node.next.iter().flatten() {
                let (x2, y2) = centre(j);
                svg.push_str(&format!(
                    "<line x1=\"{x1}\" y1=\"{}\" x2=\"{x2}\" y2=\"{}\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>\n",
                    y1 + box_h / 2.0,
                    y2 - box_h / 2.0
                ));
            }
        }
        for (i, node) in self.nodes.iter().enumerate() {
            let (x, y) = centre(i);
            let fill = if node.name == "AccumulateGrad" {
                "#dbeafe"
            } else {
                "#fef3c7"
            };
            svg.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{box_w}\" height=\"{box_h}\" rx=\"4\" fill=\"{fill}\" stroke=\"#333\"/>\n",
                x - box_w / 2.0,
                y - box_h / 2.0,
            ));
            match &node.variable {
                // Where a gradient lands: the parameter's name and shape above the node's own name.
                Some((name, shape)) => svg.push_str(&format!(
                    "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{} {shape:?}</text>\n\
                     <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">{}</text>\n",
                    y - 3.0,
                    escape(name.as_deref().unwrap_or("parameter")),
                    y + 12.0,
                    escape(&node.name)
                )),
                None => svg.push_str(&format!(
                    "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                    y + 4.0,
                    escape(&node.name)
                )),
            }
        }
        svg.push_str("</svg>");
        svg
    }

    /// Shows the graph in a notebook as a picture.
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT",
            self.to_svg()
        );
    }
}

impl fmt::Display for Graph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, node) in self.nodes.iter().enumerate() {
            let next: Vec<String> = node
                .next
                .iter()
                .map(|n| {
                    n.map_or("None".to_string(), |j| {
                        format!("{j}:{}", self.nodes[j].name)
                    })
                })
                .collect();
            writeln!(f, "{i:>3} {:<32} -> [{}]", node.name, next.join(", "))?;
        }
        Ok(())
    }
}

impl GradFn {
    /// Shows this node in a notebook as `<MseLossBackward0>`.
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}

impl fmt::Display for GradFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.0.name)
    }
}

impl fmt::Debug for GradFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
