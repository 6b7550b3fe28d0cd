//! Lesson sources (`lessons/*.md`) → Jupyter notebooks (`notebooks/<lang>/*.ipynb`).
//!
//! A lesson source is Markdown: each fenced ` ```rust ` block becomes a code cell, the prose between them a
//! Markdown cell (other fences, such as ` ```text `, stay in the prose). Notebooks are written without outputs,
//! with stable cell ids, so that regenerating unchanged sources gives byte-identical files.
//!
//! A generated notebook records the hash of its cells in `metadata.blitz.cells_sha256`. If the cells on disk no
//! longer match that hash, a learner has executed or edited the notebook, and it is not overwritten unless forced.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// The kernelspec name that `cargo xtask setup` registers and every notebook asks for.
/// The call in a lesson's first cell that each language's notebook rewrites to its own language.
pub const SET_LANGUAGE_EN: &str = "set_language(\"en\")";

pub const KERNEL_NAME: &str = "blitz";
/// The name JupyterLab shows for the kernel.
pub const KERNEL_DISPLAY_NAME: &str = "Rust · blitz";

/// One cell of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Prose, in Markdown.
    Markdown(String),
    /// Rust code for the kernel, and texts its output must contain (from `<!-- expect: ... -->` lines after
    /// the block; `\n` stands for a line break). The runner checks them; they are never shown.
    Code(String, Vec<String>),
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

/// Jupyter's multi-line string: a list of lines, each but the last ending in a newline.
fn source_lines(text: &str) -> Value {
    let lines: Vec<Value> = text
        .split_inclusive('\n')
        .map(|l| Value::String(l.to_string()))
        .collect();
    Value::Array(lines)
}

fn cells_json(lesson: &Lesson) -> Value {
    let cells: Vec<Value> = lesson
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let id = format!("{}-{:03}", short_slug(&lesson.name), i);
            match cell {
                Cell::Markdown(text) => json!({
                    "cell_type": "markdown", "id": id, "metadata": {}, "source": source_lines(text)
                }),
                Cell::Code(text, expect) => {
                    let metadata = if expect.is_empty() {
                        json!({})
                    } else {
                        json!({"blitz": {"expect": expect}})
                    };
                    json!({
                        "cell_type": "code", "execution_count": null, "id": id, "metadata": metadata,
                        "outputs": [], "source": source_lines(text)
                    })
                }
            }
        })
        .collect();
    Value::Array(cells)
}

/// The lesson name cut to fit nbformat's 64-character cell ids with room for the index.
fn short_slug(name: &str) -> String {
    name.chars().take(48).collect()
}

/// The hash recorded in a notebook's metadata: of its cells exactly as JSON.
fn cells_hash(cells: &Value) -> String {
    let digest = Sha256::digest(serde_json::to_string(cells).expect("JSON").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The notebook of a lesson for a language, as the bytes written to disk.
///
/// The first cell's `set_language("en")` becomes the notebook's language, so blitz's messages match the prose.
pub fn render(lesson: &Lesson, lang: &str) -> String {
    let localized = Lesson {
        cells: lesson
            .cells
            .iter()
            .map(|cell| match cell {
                Cell::Code(code, expect) => Cell::Code(
                    code.replace(SET_LANGUAGE_EN, &format!("set_language(\"{lang}\")")),
                    expect.clone(),
                ),
                other => other.clone(),
            })
            .collect(),
        ..lesson.clone()
    };
    let cells = cells_json(&localized);
    let notebook = json!({
        "cells": cells,
        "metadata": {
            "blitz": {"cells_sha256": cells_hash(&cells), "lang": lang, "lesson": lesson.name},
            "kernelspec": {"display_name": KERNEL_DISPLAY_NAME, "language": "rust", "name": KERNEL_NAME},
            "language_info": {
                "codemirror_mode": "rust", "file_extension": ".rs",
                "mimetype": "text/rust", "name": "rust", "pygment_lexer": "rust", "version": ""
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&notebook, &mut ser).expect("JSON");
    let mut text = String::from_utf8(out).expect("UTF-8");
    text.push('\n');
    text
}

/// Whether the notebook at `path` is exactly as blitz generated it (by the hash in its metadata).
fn untouched(path: &Path) -> Result<bool> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let notebook: Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let recorded = notebook["metadata"]["blitz"]["cells_sha256"].as_str();
    Ok(recorded == Some(cells_hash(&notebook["cells"]).as_str()))
}

/// What `write_all` did or would do to each notebook.
#[derive(Debug, Default)]
pub struct Report {
    /// Notebooks written (new or changed).
    pub written: Vec<PathBuf>,
    /// Notebooks already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Notebooks a learner changed, left alone.
    pub refused: Vec<PathBuf>,
}

/// Writes the notebook of every lesson for `lang` under `out_dir/<lang>/`; with `check`, writes nothing and
/// only reports. A notebook a learner changed is refused unless `force`.
pub fn write_all(
    lessons: &[Lesson],
    lang: &str,
    out_dir: &Path,
    check: bool,
    force: bool,
) -> Result<Report> {
    let dir = out_dir.join(lang);
    let mut report = Report::default();
    for lesson in lessons {
        let path = dir.join(format!("{}.ipynb", lesson.name));
        let wanted = render(lesson, lang);
        let current = fs::read_to_string(&path).ok();
        if current.as_deref() == Some(wanted.as_str()) {
            report.unchanged.push(path);
            continue;
        }
        if current.is_some() && !force && !untouched(&path).unwrap_or(false) {
            report.refused.push(path);
            continue;
        }
        if !check {
            fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            fs::write(&path, &wanted)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        report.written.push(path);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str =
        "# Title\n\nSome prose.\n\n```rust\n:dep blitz = { path = \"../../crate\" }\nset_language(\"en\")?;\n```\n\n\
                          More prose.\n\n```text\na -> b\n```\n\n```rust\nlet x = 1;\nx\n```\n\
                          <!-- expect: 1 -->\n";

    fn lesson() -> Lesson {
        let (cells, lines) = parse_with_lines(Path::new("test.md"), SOURCE).unwrap();
        Lesson {
            name: "01-test".into(),
            cells,
            lines,
            source: "lessons/01-test.md".into(),
        }
    }

    #[test]
    fn rust_fences_become_code_cells_and_other_fences_stay_prose() {
        let cells = lesson().cells;
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
    fn rendering_is_stable_and_has_no_outputs() {
        let a = render(&lesson(), "en");
        assert_eq!(a, render(&lesson(), "en"));
        let nb: Value = serde_json::from_str(&a).unwrap();
        assert_eq!(nb["nbformat_minor"], 5);
        assert_eq!(nb["metadata"]["kernelspec"]["name"], KERNEL_NAME);
        assert_eq!(nb["cells"][1]["id"], "01-test-001");
        assert_eq!(nb["cells"][1]["outputs"], json!([]));
    }

    #[test]
    fn each_language_s_notebook_sets_its_language_in_the_first_cell() {
        let nb: Value = serde_json::from_str(&render(&lesson(), "zh-TW")).unwrap();
        let source = nb["cells"][1]["source"].to_string();
        assert!(source.contains(r#"set_language(\"zh-TW\")?;"#), "{source}");
        let err = parse_with_lines(
            Path::new("l.md"),
            "```rust\n:dep blitz = { path = \"../../crate\" }\n```\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("set_language"), "{err}");
    }

    #[test]
    fn a_learners_notebook_is_not_overwritten() {
        let dir = std::env::temp_dir().join(format!("blitz-nb-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let lessons = vec![lesson()];
        let first = write_all(&lessons, "en", &dir, false, false).unwrap();
        assert_eq!(first.written.len(), 1);
        let path = dir.join("en/01-test.ipynb");
        // The learner runs a cell: an output and an execution count appear.
        let mut nb: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        nb["cells"][3]["execution_count"] = json!(1);
        let edited = serde_json::to_string(&nb).unwrap();
        fs::write(&path, &edited).unwrap();
        let mut changed = lessons.clone();
        changed[0]
            .cells
            .push(Cell::Markdown("New paragraph.".into()));
        let second = write_all(&changed, "en", &dir, false, false).unwrap();
        assert_eq!(second.refused, vec![path.clone()]);
        assert_eq!(fs::read_to_string(&path).unwrap(), edited);
        let forced = write_all(&changed, "en", &dir, false, true).unwrap();
        assert_eq!(forced.written, vec![path.clone()]);
        // An untouched generated notebook is updated without force.
        let third = write_all(&lessons, "en", &dir, false, false).unwrap();
        assert_eq!(third.written, vec![path]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
