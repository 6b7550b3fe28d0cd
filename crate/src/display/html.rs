//! Tables as HTML for notebooks, and as aligned text for terminals.

/// Escapes `&`, `<` and `>` for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Escapes `text` like [`escape`] and shows its code spans (text between two backticks on one line, as in
/// Markdown) in `<code>`; a backtick without a partner on its line stays as it is.
pub fn escape_with_code(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let parts: Vec<&str> = line.split('`').collect();
            // parts alternate text / code / text ...; an even count means one backtick is left unpaired.
            let paired = if parts.len() % 2 == 0 {
                parts.len() - 1
            } else {
                parts.len()
            };
            let mut html = String::new();
            for (i, part) in parts[..paired].iter().enumerate() {
                if i % 2 == 1 {
                    html.push_str(&format!("<code>{}</code>", escape(part)));
                } else {
                    html.push_str(&escape(part));
                }
            }
            if paired < parts.len() {
                html.push('`');
                html.push_str(&escape(parts[paired]));
            }
            html
        })
        .collect();
    lines.join("\n")
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

#[cfg(test)]
mod tests {
    use super::escape_with_code;

    #[test]
    fn code_spans_become_code_and_the_rest_is_escaped() {
        assert_eq!(
            escape_with_code("call `w.grad()` on <x>"),
            "call <code>w.grad()</code> on &lt;x&gt;"
        );
        assert_eq!(
            escape_with_code("`a<b` and `c\nd` e"),
            "<code>a&lt;b</code> and `c\nd` e"
        );
        assert_eq!(escape_with_code("no spans"), "no spans");
    }
}
