//! Lesson sources (`lessons/*.md`) read into cells: the one format every other chore (notebooks, translations)
//! starts from.
//!
//! A lesson source is Markdown: each fenced ` ```rust ` block becomes a code cell, the prose between them a
//! Markdown cell (other fences, such as ` ```text `, stay in the prose).

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The call in a lesson's first cell that each language's notebook rewrites to its own language.
pub const SET_LANGUAGE_EN: &str = "set_language(\"en\")";

/// One cell of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Prose, in Markdown.
    Markdown(String),
    /// Rust code for the kernel, and texts its output must contain (from `<!-- expect: ... -->` lines after
    /// the block; `\n` stands for a line break). The runner checks them; they are never shown.
    Code(String, Vec<String>),
    /// An exercise placed with `<!-- exercise: <id> -->`: in a notebook, the answer cell (the starting point
    /// `exercises/src/<id>.rs`) and the cell that checks it (see `exercises/info.toml`).
    Exercise(String),
}

/// A lesson source: its file stem (e.g. `01-neural-networks`) and its cells.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The file stem, used as the notebook's name.
    pub name: String,
    /// The cells in order.
    pub cells: Vec<Cell>,
    /// The source line (from 1) where each cell's text begins.
    pub lines: Vec<usize>,
    /// The source file, as a path relative to the repository (e.g. `lessons/01-neural-networks.md`).
    pub source: String,
}

/// Splits a lesson source into cells, with the line where each cell's text begins; `file` names it in errors.
pub fn parse_with_lines(file: &Path, text: &str) -> Result<(Vec<Cell>, Vec<usize>)> {
    let mut cells = Vec::new();
    let mut lines = Vec::new();
    let mut prose: Vec<(usize, &str)> = Vec::new();
    let mut code: Option<(usize, Vec<&str>)> = None;
    let mut other_fence: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim_start();
        if let Some((_, body)) = code.as_mut() {
            if trimmed == "```" {
                let (start, body) = code.take().expect("inside a code block");
                cells.push(Cell::Code(body.join("\n"), Vec::new()));
                lines.push(start + 1);
            } else {
                body.push(line);
            }
            continue;
        }
        if other_fence.is_some() {
            if trimmed == "```" {
                other_fence = None;
            }
            prose.push((line_no, line));
            continue;
        }
        if let Some(expect) = trimmed
            .strip_prefix("<!-- expect: ")
            .and_then(|t| t.strip_suffix(" -->"))
        {
            match cells.last_mut() {
                Some(Cell::Code(_, expects)) if prose.iter().all(|(_, l)| l.trim().is_empty()) => {
                    expects.push(expect.replace("\\n", "\n"));
                }
                _ => bail!(
                    "{}:{line_no}: an `<!-- expect: ... -->` line must follow a ```rust block directly",
                    file.display()
                ),
            }
            continue;
        }
        if let Some(id) = trimmed
            .strip_prefix("<!-- exercise: ")
            .and_then(|t| t.strip_suffix(" -->"))
        {
            flush_prose(&mut prose, &mut cells, &mut lines);
            cells.push(Cell::Exercise(id.trim().to_string()));
            lines.push(line_no);
            continue;
        }
        if trimmed == "```rust" {
            flush_prose(&mut prose, &mut cells, &mut lines);
            code = Some((line_no, Vec::new()));
        } else if trimmed.starts_with("```") {
            other_fence = Some(line_no);
            prose.push((line_no, line));
        } else {
            prose.push((line_no, line));
        }
    }
    if let Some((start, _)) = code {
        bail!(
            "{}:{start}: this ```rust block is never closed; add a line with ``` after its code",
            file.display()
        );
    }
    if let Some(start) = other_fence {
        bail!(
            "{}:{start}: this ``` block is never closed; add a line with ``` after it",
            file.display()
        );
    }
    flush_prose(&mut prose, &mut cells, &mut lines);
    if let Some(Cell::Code(code, _)) = cells.iter().find(|c| matches!(c, Cell::Code(..))) {
        if !code.trim_start().starts_with(":dep") {
            bail!(
                "{}: the first code cell must load blitz with `:dep blitz = {{ path = \"../../crate\" }}`",
                file.display()
            );
        }
        if !code.contains(SET_LANGUAGE_EN) {
            bail!(
                "{}: the first code cell must call `{SET_LANGUAGE_EN}?;` (each language's notebook gets its own code \
                 there, so blitz's messages match the prose)",
                file.display()
            );
        }
    }
    Ok((cells, lines))
}

fn flush_prose(prose: &mut Vec<(usize, &str)>, cells: &mut Vec<Cell>, lines: &mut Vec<usize>) {
    let first = prose.iter().position(|(_, l)| !l.trim().is_empty());
    if let Some(first) = first {
        let text: Vec<&str> = prose[first..].iter().map(|(_, l)| *l).collect();
        cells.push(Cell::Markdown(text.join("\n").trim_end().to_string()));
        lines.push(prose[first].0);
    }
    prose.clear();
}

/// Every lesson source in `dir`, sorted by name.
pub fn load_lessons(dir: &Path) -> Result<Vec<Lesson>> {
    let mut lessons = Vec::new();
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .context("a lesson file name is not UTF-8")?
            .to_string();
        let (cells, lines) = parse_with_lines(&path, &text)?;
        let source = format!(
            "lessons/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        lessons.push(Lesson {
            name,
            cells,
            lines,
            source,
        });
    }
    Ok(lessons)
}

/// A small lesson for the tool's tests: prose, a first cell, a `text` fence, and a cell with an expectation.
#[cfg(test)]
pub(crate) fn test_lesson() -> Lesson {
    let (cells, lines) =
        parse_with_lines(Path::new("test.md"), tests::SOURCE).expect("the test lesson parses");
    Lesson {
        name: "01-test".into(),
        cells,
        lines,
        source: "lessons/01-test.md".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const SOURCE: &str =
        "# Title\n\nSome prose.\n\n```rust\n:dep blitz = { path = \"../../crate\" }\nset_language(\"en\")?;\n```\n\n\
                          More prose.\n\n```text\na -> b\n```\n\n```rust\nlet x = 1;\nx\n```\n\
                          <!-- expect: 1 -->\n";

    #[test]
    fn rust_fences_become_code_cells_and_other_fences_stay_prose() {
        let cells = test_lesson().cells;
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[0], Cell::Markdown("# Title\n\nSome prose.".into()));
        assert!(matches!(&cells[1], Cell::Code(c, e) if c.starts_with(":dep") && e.is_empty()));
        assert_eq!(
            cells[2],
            Cell::Markdown("More prose.\n\n```text\na -> b\n```".into())
        );
        assert_eq!(
            cells[3],
            Cell::Code("let x = 1;\nx".into(), vec!["1".into()])
        );
    }

    #[test]
    fn an_unclosed_fence_names_the_file_and_line() {
        let err = parse_with_lines(Path::new("l.md"), "text\n\n```rust\nlet x = 1;\n").unwrap_err();
        assert!(err.to_string().starts_with("l.md:3:"), "{err}");
    }

    #[test]
    fn an_expectation_away_from_code_is_refused() {
        let err = parse_with_lines(Path::new("l.md"), "text\n<!-- expect: x -->\n").unwrap_err();
        assert!(err.to_string().starts_with("l.md:2:"), "{err}");
    }

    #[test]
    fn the_first_cell_must_set_the_language() {
        let err = parse_with_lines(
            Path::new("l.md"),
            "```rust\n:dep blitz = { path = \"../../crate\" }\n```\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("set_language"), "{err}");
    }
}
