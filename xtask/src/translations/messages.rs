//! What a translator translates: one message per paragraph, heading or list item of a lesson's prose, and one per
//! comment inside its code. Code itself is never a message, so every language runs the same code.

/// Calls `f(message, line_offset)` for each translatable piece of Markdown and rebuilds the text with what `f`
/// returns. Fenced blocks (` ```text `) stay as they are. `line_offset` counts from the text's first line.
pub fn map_markdown(text: &str, f: &mut dyn FnMut(&str, usize) -> String) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            out.push(String::new());
            i += 1;
        } else if trimmed.starts_with("```") {
            out.push(line.to_string());
            i += 1;
            while i < lines.len() {
                out.push(lines[i].to_string());
                i += 1;
                if lines[i - 1].trim_start().starts_with("```") {
                    break;
                }
            }
        } else if let Some((marker, rest)) = heading(line) {
            out.push(format!("{marker}{}", f(rest, i)));
            i += 1;
        } else {
            // A paragraph or a list item: the first line with its marker, then lines up to a blank line, a new
            // item, a heading or a fence.
            let (marker, first) = list_marker(line).unwrap_or(("", line));
            let indent = " ".repeat(marker.chars().count());
            let start = i;
            let mut body = vec![first.to_string()];
            i += 1;
            while i < lines.len() {
                let next = lines[i];
                let t = next.trim_start();
                if t.is_empty()
                    || t.starts_with("```")
                    || heading(next).is_some()
                    || list_marker(next).is_some()
                {
                    break;
                }
                body.push(
                    next.strip_prefix(indent.as_str())
                        .unwrap_or(next)
                        .trim_start()
                        .to_string(),
                );
                i += 1;
            }
            let translated = f(&body.join("\n"), start);
            for (n, l) in translated.lines().enumerate() {
                if n == 0 {
                    out.push(format!("{marker}{l}"));
                } else {
                    out.push(format!("{indent}{l}"));
                }
            }
        }
    }
    out.join("\n")
}

fn heading(line: &str) -> Option<(&str, &str)> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
        return None;
    }
    Some((&line[..hashes + 1], &line[hashes + 1..]))
}

fn list_marker(line: &str) -> Option<(&str, &str)> {
    if let Some(rest) = line.strip_prefix("- ") {
        return Some((&line[..2], rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some((&line[..digits + 2], &line[digits + 2..]));
    }
    None
}

/// Calls `f(comment, line_offset)` for each `// comment` in Rust code and rebuilds the code with what `f`
/// returns. A `//` inside a string literal is not a comment.
pub fn map_code_comments(code: &str, f: &mut dyn FnMut(&str, usize) -> String) -> String {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        match comment_start(line) {
            Some(at) => {
                let (code_part, comment) = line.split_at(at);
                let text = comment[2..].trim();
                if text.is_empty() {
                    out.push(line.to_string());
                } else {
                    out.push(format!("{code_part}// {}", f(text, n)));
                }
            }
            None => out.push(line.to_string()),
        }
    }
    out.join("\n")
}

/// Where a line's `//` comment starts, outside string and char literals.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes[i + 1] == b'/' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<(String, usize)> {
        let mut found = Vec::new();
        let same = map_markdown(text, &mut |m, line| {
            found.push((m.to_string(), line));
            m.to_string()
        });
        assert_eq!(same, text, "extracting changes nothing");
        found
    }

    #[test]
    fn paragraphs_headings_and_items_are_messages_and_fences_are_not() {
        let text = "## Title\n\nA paragraph\non two lines.\n\n- item one\n  continued\n- item two\n1. first\n\n```text\na -> b\n```";
        assert_eq!(
            messages(text),
            vec![
                ("Title".to_string(), 0),
                ("A paragraph\non two lines.".to_string(), 2),
                ("item one\ncontinued".to_string(), 5),
                ("item two".to_string(), 7),
                ("first".to_string(), 8),
            ]
        );
    }

    #[test]
    fn translations_keep_markers_and_indentation() {
        let out = map_markdown("- item one\n  continued", &mut |_, _| {
            "項目\n続き".to_string()
        });
        assert_eq!(out, "- 項目\n  続き");
    }

    #[test]
    fn code_comments_are_messages_but_strings_are_not() {
        let code = "let a = \"http://x\"; // the address\nlet b = 1;\n// a whole line";
        let mut found = Vec::new();
        let out = map_code_comments(code, &mut |c, n| {
            found.push((c.to_string(), n));
            c.to_uppercase()
        });
        assert_eq!(
            found,
            vec![
                ("the address".to_string(), 0),
                ("a whole line".to_string(), 2)
            ]
        );
        assert_eq!(
            out,
            "let a = \"http://x\"; // THE ADDRESS\nlet b = 1;\n// A WHOLE LINE"
        );
    }
}
