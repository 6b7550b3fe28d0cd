//! One executed notebook → one mdBook chapter: the prose as Markdown (math turned into MathML), each code cell as a
//! ` ```rust ` block with its outputs right below it, and the files its pictures need.
//!
//! Outputs, richest form first: `image/svg+xml` and `image/png` (written as files beside the chapter and shown with
//! `<img>`), `text/html` (passed through, e.g. the parameter tables), then `text/plain` and printed text (in a
//! `<pre>`, escaped). Errors are shown as plain text without terminal colours.
//!
//! **What is never rendered**: a cell whose `metadata.blitz` has a `solution` or a `hidden` key (whatever its
//! value): solutions and hidden test cells stay in the notebooks. An exercise's answer cell
//! (`metadata.blitz.exercise = "<id>"`) is shown with its starting code under an "Exercise" label, the cell that
//! checks it (`metadata.blitz.check`) without its output (it judges the starting code), and hints
//! (`metadata.blitz.hints`, a list of Markdown texts, or `metadata.blitz.hint`, one text, on any cell) are shown
//! folded, below the cell.

use super::math;
use super::Language;
use anyhow::{Context, Result};
use base64::Engine;
use serde_json::Value;

/// A chapter ready for mdBook: its Markdown and the files it links to.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The chapter's file name in the book's `src/`, e.g. `01-neural-networks.md`.
    pub file: String,
    /// The title in the table of contents: the notebook's first `# ` heading.
    pub title: String,
    /// The chapter as Markdown with raw HTML for the outputs.
    pub markdown: String,
    /// Files the chapter shows (pictures), as paths relative to `src/` and their bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

impl Chapter {
    /// The page mdBook makes of the chapter, e.g. `01-neural-networks.html`.
    pub fn html_file(&self) -> String {
        format!("{}.html", self.stem())
    }

    /// The chapter's name without extension.
    pub fn stem(&self) -> &str {
        self.file.strip_suffix(".md").unwrap_or(&self.file)
    }
}

/// Whether a cell is shown in the book: every cell but those whose `metadata.blitz` has `solution` or `hidden`.
pub fn rendered(cell: &Value) -> bool {
    match cell["metadata"]["blitz"].as_object() {
        Some(blitz) => !blitz.contains_key("solution") && !blitz.contains_key("hidden"),
        None => true,
    }
}

/// A cell's source (a string, or nbformat's list of lines) as one text.
pub fn source(cell: &Value) -> String {
    multiline(&cell["source"])
}

fn multiline(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// The chapter of an executed notebook named `stem` (its file name without `.ipynb`), in `language`.
/// `shown` names the notebook in errors (e.g. `notebooks/ja/01-neural-networks.ipynb`).
pub fn chapter(notebook: &Value, stem: &str, language: &Language, shown: &str) -> Result<Chapter> {
    let cells = notebook["cells"].as_array().cloned().unwrap_or_default();
    let mut markdown = String::new();
    let mut assets = Vec::new();
    let mut title = None;
    for (index, cell) in cells.iter().enumerate() {
        if !rendered(cell) {
            continue;
        }
        let context = || format!("{shown}, cell {index}");
        let text = source(cell);
        match cell["cell_type"].as_str() {
            Some("markdown") => {
                if title.is_none() {
                    title = first_heading(&text);
                }
                markdown += &math::render(&text).with_context(context)?;
                markdown += "\n\n";
            }
            Some("code") => {
                let blitz = &cell["metadata"]["blitz"];
                if let Some(id) = blitz["exercise"].as_str() {
                    markdown += &format!(
                        "<div class=\"blitz-exercise\" data-exercise=\"{}\">{}: <span class=\"blitz-exercise-id\">{}</span></div>\n\n",
                        escape(id),
                        escape(language.exercise),
                        escape(id)
                    );
                }
                markdown += &code_block(&text);
                // A check cell's output judges the starting code the book shows ("not done yet"): the reader
                // runs the check in their own notebook instead.
                let outputs = if blitz.get("check").is_some() {
                    Vec::new()
                } else {
                    cell["outputs"].as_array().cloned().unwrap_or_default()
                };
                markdown += &outputs_html(&outputs, stem, index, language, &mut assets)
                    .with_context(context)?;
            }
            // Raw cells are for other formats (LaTeX, reST): not part of the page.
            _ => continue,
        }
        markdown += &hints(cell, language).with_context(context)?;
    }
    Ok(Chapter {
        file: format!("{stem}.md"),
        title: title.unwrap_or_else(|| stem.to_string()),
        markdown: escape_mdbook_directives(&markdown),
        assets,
    })
}

/// The text of the first level-one heading (`# Title`) of a Markdown text.
fn first_heading(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("# "))
        .map(|title| title.trim().to_string())
        .filter(|title| !title.is_empty())
}

/// A fenced Rust block, with a fence longer than any run of backticks in the code.
fn code_block(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}rust\n{}\n{fence}\n\n", code.trim_end_matches('\n'))
}

/// The folded hints of a cell (`metadata.blitz.hints` or `.hint`), as Markdown.
fn hints(cell: &Value, language: &Language) -> Result<String> {
    let blitz = &cell["metadata"]["blitz"];
    let mut texts: Vec<String> = match &blitz["hints"] {
        Value::Array(items) => items.iter().map(multiline).collect(),
        other => vec![multiline(other)],
    };
    texts.push(multiline(&blitz["hint"]));
    let mut out = String::new();
    for text in texts.iter().filter(|t| !t.trim().is_empty()) {
        out += &format!(
            "<details class=\"blitz-hint\"><summary>{}</summary>\n\n{}\n\n</details>\n\n",
            escape(language.hint),
            math::render(text)?
        );
    }
    Ok(out)
}

/// The outputs of one code cell as HTML blocks inside a `blitz-outputs` container; pictures go to `assets`.
fn outputs_html(
    outputs: &[Value],
    stem: &str,
    cell: usize,
    language: &Language,
    assets: &mut Vec<(String, Vec<u8>)>,
) -> Result<String> {
    let mut blocks: Vec<String> = Vec::new();
    // Consecutive printed text on the same stream is one block, as Jupyter shows it.
    let mut stream: Option<(String, String)> = None;
    let flush = |stream: &mut Option<(String, String)>, blocks: &mut Vec<String>| {
        if let Some((name, text)) = stream.take() {
            blocks.push(pre(&format!("blitz-output blitz-{name}"), &text));
        }
    };
    for (number, output) in outputs.iter().enumerate() {
        match output["output_type"].as_str() {
            Some("stream") => {
                let name = output["name"].as_str().unwrap_or("stdout").to_string();
                let text = multiline(&output["text"]);
                match &mut stream {
                    Some((current, buffer)) if *current == name => buffer.push_str(&text),
                    _ => {
                        flush(&mut stream, &mut blocks);
                        stream = Some((name, text));
                    }
                }
            }
            Some("execute_result") | Some("display_data") => {
                flush(&mut stream, &mut blocks);
                let data = &output["data"];
                let alt = escape(language.output);
                if let Some(svg) = data.get("image/svg+xml") {
                    let path = format!("{stem}/cell{cell}-{number}.svg");
                    assets.push((path.clone(), multiline(svg).into_bytes()));
                    blocks.push(format!(
                        "<div class=\"blitz-output blitz-image\"><img class=\"blitz-svg\" src=\"{path}\" alt=\"{alt}\"></div>"
                    ));
                } else if let Some(png) = data.get("image/png") {
                    let encoded: String = multiline(png).split_whitespace().collect();
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(encoded.as_bytes())
                        .context("an image/png output is not valid base64")?;
                    let path = format!("{stem}/cell{cell}-{number}.png");
                    assets.push((path.clone(), bytes));
                    blocks.push(format!(
                        "<div class=\"blitz-output blitz-image\"><img class=\"blitz-png\" src=\"{path}\" alt=\"{alt}\"></div>"
                    ));
                } else if let Some(html) = data.get("text/html") {
                    blocks.push(format!(
                        "<div class=\"blitz-output blitz-html\">{}</div>",
                        without_blank_lines(multiline(html).trim())
                    ));
                } else if let Some(text) = data.get("text/plain") {
                    blocks.push(pre("blitz-output blitz-result", &multiline(text)));
                }
            }
            Some("error") => {
                flush(&mut stream, &mut blocks);
                let traceback: Vec<String> = output["traceback"]
                    .as_array()
                    .map(|lines| lines.iter().map(multiline).collect())
                    .unwrap_or_default();
                let text = if traceback.is_empty() {
                    format!(
                        "{}: {}",
                        output["ename"].as_str().unwrap_or("Error"),
                        output["evalue"].as_str().unwrap_or("")
                    )
                } else {
                    traceback.join("\n")
                };
                blocks.push(pre("blitz-output blitz-error", &strip_ansi(&text)));
            }
            _ => {}
        }
    }
    flush(&mut stream, &mut blocks);
    if blocks.is_empty() {
        return Ok(String::new());
    }
    // Each block is an HTML block of its own, separated by blank lines, so that Markdown never reads into it:
    // a `<pre>` block ends only at `</pre>`, the others have no blank line inside.
    let mut out = String::from("<div class=\"blitz-outputs\">\n\n");
    for block in blocks {
        out += &block;
        out += "\n\n";
    }
    out += "</div>\n\n";
    Ok(out)
}

/// A `<pre>` block with escaped text (a leading newline doubled, since HTML drops the first one).
fn pre(class: &str, text: &str) -> String {
    let text = text.trim_end_matches('\n');
    let lead = if text.starts_with('\n') { "\n" } else { "" };
    format!("<pre class=\"{class}\">{lead}{}</pre>", escape(text))
}

/// HTML with each blank line replaced by an empty comment: the same page, but one Markdown HTML block.
fn without_blank_lines(html: &str) -> String {
    html.lines()
        .map(|line| {
            if line.trim().is_empty() {
                "<!-- -->"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text made safe for HTML (element content and attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text without terminal colour codes (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// mdBook reads `{{#include ...}}`-style directives anywhere in a chapter; a notebook's text is shown as it is.
fn escape_mdbook_directives(markdown: &str) -> String {
    markdown.replace("{{#", "\\{{#")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn english() -> Language {
        super::super::language("en")
    }

    fn notebook(cells: Value) -> Value {
        json!({"cells": cells, "metadata": {}})
    }

    #[test]
    fn solutions_and_hidden_cells_are_never_rendered() {
        let nb = notebook(json!([
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "Prose."]},
            {"cell_type": "code", "metadata": {"blitz": {"exercise": "alexnet", "hints": ["Count the *layers*."]}},
             "source": "let net = todo!();", "outputs": []},
            {"cell_type": "code", "metadata": {"blitz": {"solution": "alexnet"}},
             "source": "let net = SECRET_SOLUTION;", "outputs": []},
            {"cell_type": "code", "metadata": {"blitz": {"hidden": true}},
             "source": "assert!(HIDDEN_TEST);", "outputs": []},
            {"cell_type": "markdown", "metadata": {"blitz": {"solution": true}}, "source": "SECRET_PROSE"},
            {"cell_type": "code", "metadata": {"blitz": {"check": "alexnet"}}, "source": "check(AlexNet::new)",
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "VERDICT_ON_STARTING_CODE"}]}
        ]));
        let chapter = chapter(&nb, "01-x", &english(), "x.ipynb").unwrap();
        assert_eq!(chapter.title, "Title");
        assert!(chapter.markdown.contains("check(AlexNet::new)"));
        assert!(chapter.markdown.contains("let net = todo!();"));
        assert!(chapter
            .markdown
            .contains("Exercise: <span class=\"blitz-exercise-id\">alexnet</span>"));
        assert!(chapter
            .markdown
            .contains("<summary>Hint</summary>\n\nCount the *layers*."));
        for secret in [
            "SECRET_SOLUTION",
            "HIDDEN_TEST",
            "SECRET_PROSE",
            "VERDICT_ON_STARTING_CODE",
        ] {
            assert!(!chapter.markdown.contains(secret), "{secret} was rendered");
        }
    }

    #[test]
    fn outputs_follow_their_cell_escaped_and_as_files() {
        let nb = notebook(json!([
            {"cell_type": "code", "metadata": {}, "source": "net", "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["a <b>\n", "\n", "c\n"]},
                {"output_type": "stream", "name": "stdout", "text": "d\n"},
                {"output_type": "execute_result", "data": {"text/html": "<table>\n\n<tr><td>1</td></tr></table>",
                 "text/plain": "ignored"}, "metadata": {}, "execution_count": 1},
                {"output_type": "display_data", "data": {"image/svg+xml": "<svg></svg>"}, "metadata": {}},
                {"output_type": "display_data", "data": {"image/png": "iVBORw0K\nGgo="}, "metadata": {}}
            ]}
        ]));
        let chapter = chapter(&nb, "01-x", &english(), "x.ipynb").unwrap();
        let md = &chapter.markdown;
        assert!(
            md.starts_with("```rust\nnet\n```\n\n<div class=\"blitz-outputs\">"),
            "{md}"
        );
        assert!(
            md.contains("<pre class=\"blitz-output blitz-stdout\">a &lt;b&gt;\n\nc\nd</pre>"),
            "{md}"
        );
        assert!(md.contains("<table>\n<!-- -->\n<tr>"), "{md}");
        assert!(!md.contains("ignored"));
        assert!(md.contains("src=\"01-x/cell0-3.svg\""));
        assert_eq!(
            chapter.assets[0],
            ("01-x/cell0-3.svg".into(), b"<svg></svg>".to_vec())
        );
        assert_eq!(chapter.assets[1].0, "01-x/cell0-4.png");
        assert_eq!(&chapter.assets[1].1[..4], b"\x89PNG");
    }

    #[test]
    fn a_formula_that_cannot_be_shown_names_the_notebook_and_cell() {
        let nb = notebook(json!([
            {"cell_type": "markdown", "metadata": {}, "source": "# T"},
            {"cell_type": "markdown", "metadata": {}, "source": "Bad: $\\frac{1}$"}
        ]));
        let error = chapter(&nb, "01-x", &english(), "notebooks/en/01-x.ipynb").unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("notebooks/en/01-x.ipynb, cell 1"),
            "{message}"
        );
        assert!(message.contains("\\frac{1}"), "{message}");
    }

    #[test]
    fn a_code_fence_is_longer_than_the_code_s_backticks() {
        assert_eq!(
            code_block("let s = \"```\";"),
            "````rust\nlet s = \"```\";\n````\n\n"
        );
    }

    #[test]
    fn terminal_colours_are_removed() {
        assert_eq!(strip_ansi("\u{1b}[0;31mError\u{1b}[0m: x"), "Error: x");
    }
}
