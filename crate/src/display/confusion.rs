//! The confusion matrix as a table: true classes down, guesses across, the right guesses on the diagonal.

use super::html;
use crate::metrics::ConfusionMatrix;
use std::fmt;

/// The corner cell: what rows and columns are.
const CORNER: &str = "true \\ guess";

impl ConfusionMatrix {
    /// The header and the rows of the table.
    fn cells(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec![CORNER.to_string()];
        header.extend((0..self.classes()).map(|c| c.to_string()));
        let rows = (0..self.classes())
            .map(|t| {
                let mut row = vec![t.to_string()];
                row.extend(self.row(t).iter().map(usize::to_string));
                row
            })
            .collect();
        (header, rows)
    }

    /// The matrix as an HTML table: the diagonal (right guesses) in green, mistakes in red.
    pub fn to_html(&self) -> String {
        let (header, rows) = self.cells();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let table = html::styled_table(&header, &rows, |r, c| {
            if c == 0 {
                return Some("font-weight:bold".into());
            }
            let count = self.count(r, c - 1);
            if r == c - 1 {
                Some("background:#bbf7d0;font-weight:bold".into())
            } else if count > 0 {
                Some("background:#fecaca".into())
            } else {
                Some("color:#bbb".into())
            }
        });
        format!(
            "{table}\n<p>{} of {} right: accuracy {:.1}%</p>",
            self.correct(),
            self.total(),
            100.0 * self.accuracy()
        )
    }

    /// Shows the matrix in a notebook as a table.
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.to_html()
        );
    }
}

impl fmt::Display for ConfusionMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (header, rows) = self.cells();
        let width = rows
            .iter()
            .flatten()
            .map(String::len)
            .max()
            .unwrap_or(1)
            .max(3);
        write!(f, "{CORNER}")?;
        for h in &header[1..] {
            write!(f, " {h:>width$}")?;
        }
        for row in &rows {
            write!(f, "\n{:>w$}", row[0], w = CORNER.len())?;
            for cell in &row[1..] {
                write!(f, " {cell:>width$}")?;
            }
        }
        write!(
            f,
            "\n{} of {} right: accuracy {:.1}%",
            self.correct(),
            self.total(),
            100.0 * self.accuracy()
        )
    }
}
