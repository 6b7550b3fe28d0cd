//! PyTorch's text form of a tensor, rule for rule (`torch/_tensor_str.py`, default print options).
//!
//! Written here because no crate prints PyTorch's format: precision 4, fixed or scientific notation chosen from
//! the range of the values, integers printed as `1.`, columns aligned to the widest value, lines wrapped at 80
//! characters, and tensors over 1000 values summarised with `...` keeping 3 items at each edge.

const PRECISION: usize = 4;
const THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;
const LINE_WIDTH: usize = 80;

/// How every value of one tensor is written, decided from all of them as PyTorch's `_Formatter` does.
struct Formatter {
    int_mode: bool,
    sci_mode: bool,
    width: usize,
}

/// Python's `'{:.4e}'`: Rust writes `1.2340e-5`, Python `1.2340e-05` (sign and at least two exponent digits).
fn python_sci(v: f64) -> String {
    if !v.is_finite() {
        return python_special(v);
    }
    let s = format!("{v:.PRECISION$e}");
    let (mantissa, exponent) = s.split_once('e').expect("Rust's {:e} has an exponent");
    let exponent: i32 = exponent.parse().expect("the exponent is an integer");
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

fn python_special(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v > 0.0 {
        "inf".into()
    } else {
        "-inf".into()
    }
}

impl Formatter {
    fn new(values: &[f64]) -> Formatter {
        let mut f = Formatter {
            int_mode: true,
            sci_mode: false,
            width: 1,
        };
        let finite: Vec<f64> = values
            .iter()
            .copied()
            .filter(|v| v.is_finite() && *v != 0.0)
            .collect();
        // Non-finite values count towards the width in PyTorch too ("nan", "inf").
        for v in values.iter().filter(|v| !v.is_finite()) {
            f.width = f.width.max(python_special(*v).len());
        }
        if finite.is_empty() {
            return f;
        }
        let abs = finite.iter().map(|v| v.abs());
        let min = abs.clone().fold(f64::INFINITY, f64::min);
        let max = abs.fold(0.0, f64::max);
        f.int_mode = finite.iter().all(|v| v.ceil() == *v);
        let wide_range = max / min > 1000.0 || max > 1.0e8;
        f.sci_mode = if f.int_mode {
            wide_range
        } else {
            wide_range || min < 1.0e-4
        };
        for v in &finite {
            let len = if f.sci_mode {
                python_sci(*v).len()
            } else if f.int_mode {
                format!("{v:.0}").len() + 1
            } else {
                format!("{v:.PRECISION$}").len()
            };
            f.width = f.width.max(len);
        }
        f
    }

    fn format(&self, v: f64) -> String {
        let s = if !v.is_finite() {
            python_special(v)
        } else if self.sci_mode {
            python_sci(v)
        } else if self.int_mode {
            format!("{v:.0}.")
        } else {
            format!("{v:.PRECISION$}")
        };
        format!("{s:>width$}", width = self.width)
    }
}

/// A view of row-major values with a shape: the part of the tensor one recursion level prints.
struct View<'a> {
    values: &'a [f64],
    shape: &'a [usize],
}

impl View<'_> {
    fn row(&self, i: usize) -> View<'_> {
        let inner: usize = self.shape[1..].iter().product();
        View {
            values: &self.values[i * inner..(i + 1) * inner],
            shape: &self.shape[1..],
        }
    }

    /// The rows printed: all of them, or the first and last `EDGE_ITEMS` when summarising.
    fn shown_rows(&self, summarize: bool) -> (Vec<usize>, bool) {
        let n = self.shape[0];
        if summarize && n > 2 * EDGE_ITEMS {
            let rows = (0..EDGE_ITEMS).chain(n - EDGE_ITEMS..n).collect();
            (rows, true)
        } else {
            ((0..n).collect(), false)
        }
    }

    /// The values PyTorch's formatter looks at (`get_summarized_data`).
    fn summarized_values(&self, summarize: bool, out: &mut Vec<f64>) {
        if self.shape.is_empty() {
            out.extend_from_slice(self.values);
            return;
        }
        let (rows, _) = self.shown_rows(summarize);
        for i in rows {
            if self.shape.len() == 1 {
                out.push(self.values[i]);
            } else {
                self.row(i).summarized_values(summarize, out);
            }
        }
    }

    fn render(&self, indent: usize, summarize: bool, f: &Formatter) -> String {
        match self.shape.len() {
            0 => f.format(self.values[0]),
            1 => self.render_vector(indent, summarize, f),
            dims => {
                let (rows, elided) = self.shown_rows(summarize);
                let mut parts: Vec<String> = rows
                    .iter()
                    .map(|&i| self.row(i).render(indent + 1, summarize, f))
                    .collect();
                if elided {
                    parts.insert(EDGE_ITEMS, "...".into());
                }
                let sep = format!(",{}{}", "\n".repeat(dims - 1), " ".repeat(indent + 1));
                format!("[{}]", parts.join(&sep))
            }
        }
    }

    fn render_vector(&self, indent: usize, summarize: bool, f: &Formatter) -> String {
        let per_line = ((LINE_WIDTH.saturating_sub(indent)) / (f.width + 2)).max(1);
        let (rows, elided) = self.shown_rows(summarize);
        let mut items: Vec<String> = rows.iter().map(|&i| f.format(self.values[i])).collect();
        if elided {
            items.insert(EDGE_ITEMS, " ...".into());
        }
        let lines: Vec<String> = items.chunks(per_line).map(|c| c.join(", ")).collect();
        format!(
            "[{}]",
            lines.join(&format!(",\n{}", " ".repeat(indent + 1)))
        )
    }
}

/// The body of a tensor's text (without `tensor(`), indented for continuation lines by `indent`.
pub fn tensor_body(values: &[f32], shape: &[usize], indent: usize) -> String {
    let values: Vec<f64> = values.iter().map(|&v| v as f64).collect();
    if values.is_empty() {
        return "[]".into();
    }
    let view = View {
        values: &values,
        shape,
    };
    let summarize = values.len() > THRESHOLD;
    let mut shown = Vec::new();
    view.summarized_values(summarize, &mut shown);
    let f = Formatter::new(&shown);
    view.render(indent, summarize, &f)
}

/// The whole text of a tensor: `tensor([...], grad_fn=<...>)`, as PyTorch's `repr`.
pub fn tensor_repr(values: &[f32], shape: &[usize], suffix: Option<&str>) -> String {
    const PREFIX: &str = "tensor(";
    let mut out = format!("{PREFIX}{}", tensor_body(values, shape, PREFIX.len()));
    if let Some(suffix) = suffix {
        // PyTorch measures the last line two characters longer than it is; kept for identical wrapping.
        let last_line = out.len() - out.rfind('\n').map_or(0, |i| i + 1) + 2;
        if last_line + suffix.len() + 2 > LINE_WIDTH {
            out.push_str(&format!(",\n{}{suffix}", " ".repeat(PREFIX.len())));
        } else {
            out.push_str(&format!(", {suffix}"));
        }
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_row_as_pytorch_prints_it() {
        let s = tensor_repr(
            &[0.0306, -0.0599, 0.1],
            &[1, 3],
            Some("grad_fn=<AddmmBackward0>"),
        );
        assert_eq!(
            s,
            "tensor([[ 0.0306, -0.0599,  0.1000]], grad_fn=<AddmmBackward0>)"
        );
    }

    #[test]
    fn integers_print_with_a_trailing_dot() {
        assert_eq!(
            tensor_repr(&[1., 2., 3.], &[3], None),
            "tensor([1., 2., 3.])"
        );
        assert_eq!(tensor_repr(&[0., 0.], &[2], None), "tensor([0., 0.])");
    }

    #[test]
    fn scalars_and_scientific_notation() {
        assert_eq!(
            tensor_repr(&[0.4321], &[], Some("grad_fn=<MseLossBackward0>")),
            "tensor(0.4321, grad_fn=<MseLossBackward0>)"
        );
        assert_eq!(
            tensor_repr(&[1.0e-5, 1.0], &[2], None),
            "tensor([1.0000e-05, 1.0000e+00])"
        );
    }

    #[test]
    fn matrices_align_and_indent() {
        let s = tensor_repr(&[1.5, -2.25, 3.0, 4.0], &[2, 2], None);
        assert_eq!(
            s,
            "tensor([[ 1.5000, -2.2500],\n        [ 3.0000,  4.0000]])"
        );
    }

    #[test]
    fn long_vectors_wrap_at_80_columns() {
        let values: Vec<f32> = (0..12).map(|i| i as f32 + 0.5).collect();
        let s = tensor_repr(&values, &[12], None);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(
            lines[0],
            "tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,"
        );
        assert_eq!(lines[1], "         8.5000,  9.5000, 10.5000, 11.5000])");
    }

    #[test]
    fn large_tensors_are_summarised() {
        let values: Vec<f32> = (100..2100).map(|i| i as f32).collect();
        let s = tensor_repr(&values, &[2000], None);
        assert_eq!(
            s,
            "tensor([ 100.,  101.,  102.,  ..., 2097., 2098., 2099.])"
        );
        // A range over 1000x switches to scientific notation, as torch.arange(2000.) prints.
        let values: Vec<f32> = (0..2000).map(|i| i as f32).collect();
        let s = tensor_repr(&values, &[2000], None);
        assert!(
            s.starts_with("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03"),
            "{s}"
        );
    }
}
