//! Tables as HTML for notebooks, and as aligned text for terminals.

/// Escapes `&`, `<` and `>` for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An HTML table with a header row; numbers-looking cells are right-aligned.
pub fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    styled_table(header, rows, |_, _| None)
}

/// An HTML table like [`table`], of any width, where `style(row, column)` may give a body cell extra CSS (such
/// as a background colour to highlight it).
pub fn styled_table<R: AsRef<[String]>>(
    header: &[&str],
    rows: &[R],
    style: impl Fn(usize, usize) -> Option<String>,
) -> String {
    let mut html = String::from("<table>\n<thead><tr>");
    for h in header {
        html.push_str(&format!("<th>{}</th>", escape(h)));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for (r, row) in rows.iter().enumerate() {
        html.push_str("<tr>");
        for (c, cell) in row.as_ref().iter().enumerate() {
            let numeric = !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || c == ',');
            let mut css = Vec::new();
            if numeric {
                css.push("text-align:right".to_string());
            }
            css.extend(style(r, c));
            let attribute = if css.is_empty() {
                String::new()
            } else {
                format!(" style=\"{}\"", css.join(";"))
            };
            html.push_str(&format!(
                "<td{attribute}><code>{}</code></td>",
                escape(cell)
            ));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>");
    html
}

/// The same table as aligned plain text.
pub fn text_table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(header.to_vec())];
    for row in rows {
        out.push(line(row.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}
