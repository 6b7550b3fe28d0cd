//! Math for the book, offline: each `$...$` and `$$...$$` of a Markdown text becomes MathML when the book is built
//! (`pulldown-latex`), which browsers draw without JavaScript or a network; the site ships the math font
//! (`xtask/assets/book/math/`).
//!
//! The math is found by `pulldown-cmark` with its math extension, so a `$` in code is left alone. The MathML is
//! written on one line and its text escaped as HTML entities, so that mdBook's Markdown pass leaves it as it is.

use anyhow::{bail, Result};
use pulldown_cmark::{Event, Options, Parser};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, RenderConfig, Storage};

/// The Markdown text with its math replaced by MathML; an error names the formula that cannot be read.
pub fn render(markdown: &str) -> Result<String> {
    let options = Options::ENABLE_MATH
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut spans = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::InlineMath(latex) => spans.push((range, mathml(&latex, false)?)),
            Event::DisplayMath(latex) => spans.push((range, mathml(&latex, true)?)),
            _ => {}
        }
    }
    let mut out = markdown.to_string();
    for (range, replacement) in spans.into_iter().rev() {
        out.replace_range(range, &replacement);
    }
    Ok(out)
}

/// One formula as MathML (`display` for a block), on one line, its text safe from Markdown.
pub fn mathml(latex: &str, display: bool) -> Result<String> {
    let storage = Storage::new();
    let events: Vec<_> = pulldown_latex::Parser::new(latex, &storage).collect();
    let errors: Vec<String> = events
        .iter()
        .filter_map(|e| e.as_ref().err().map(|e| e.to_string()))
        .collect();
    if !errors.is_empty() {
        bail!(
            "the formula `{latex}` is not LaTeX the book can show: {}",
            errors.join("; ")
        );
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(&mut out, events.into_iter(), config)?;
    // LaTeX sets \nabla upright; as a one-letter <mi>, MathML would slant it.
    let out = out
        .replace('\n', "")
        .replace("<mi>∇</mi>", "<mi mathvariant=\"normal\">∇</mi>");
    Ok(markdown_safe(&out))
}

/// MathML whose text (between tags) has the characters Markdown would read written as entities.
fn markdown_safe(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut in_tag = false;
    for c in mathml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        if !in_tag && c != '>' && "*_\\`[]~$|!#".contains(c) {
            out += &format!("&#{};", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_update_rule_becomes_mathml() {
        let out = render("Rule: $w \\leftarrow w - \\alpha \\, \\nabla_w L$, done.").unwrap();
        assert!(out.starts_with("Rule: <math"), "{out}");
        assert!(out.ends_with("</math>, done."), "{out}");
        for symbol in ["←", "α", "∇", "<msub>"] {
            assert!(out.contains(symbol), "{symbol} missing in {out}");
        }
        assert!(!out.contains('$') && !out.contains('\\'));
    }

    #[test]
    fn products_and_display_math() {
        let out = render("$16 \\cdot 6 \\cdot 6 = 576$\n\n$$x_1^2$$\n").unwrap();
        assert!(out.contains("⋅"), "{out}");
        assert!(out.contains("display=\"block\""), "{out}");
    }

    #[test]
    fn dollars_in_code_are_not_math() {
        let text = "Costs `$5 and $6` and\n\n```rust\nlet s = \"$a$\";\n```\n";
        assert_eq!(render(text).unwrap(), text);
    }

    #[test]
    fn a_bad_formula_is_named() {
        let error = render("$\\frac{1}$").unwrap_err().to_string();
        assert!(error.contains("\\frac{1}"), "{error}");
    }
}
