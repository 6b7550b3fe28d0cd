//! Lessons → Jupyter notebooks (`notebooks/<lang>/*.ipynb`), one per lesson per language.
//!
//! Notebooks are written without outputs, with stable cell ids, so that regenerating unchanged sources gives
//! byte-identical files. A generated notebook records the hash of its cells in `metadata.blitz.cells_sha256`. If
//! the cells on disk no longer match that hash, a learner has executed or edited the notebook, and it is not
//! overwritten unless forced.

use crate::exercises;
use crate::layout::{self, KERNEL_DISPLAY_NAME, KERNEL_NAME};
use crate::lessons::{self, Cell, Lesson, SET_LANGUAGE_EN};
use crate::translations;
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// Jupyter's multi-line string: a list of lines, each but the last ending in a newline.
fn source_lines(text: &str) -> Value {
    let lines: Vec<Value> = text
        .split_inclusive('\n')
        .map(|l| Value::String(l.to_string()))
        .collect();
    Value::Array(lines)
}

/// The cells of a lesson as notebook JSON, in `lang`: an exercise becomes its answer cell (the starting point,
/// marked `metadata.blitz.exercise` with its hint in `metadata.blitz.hints`) and the cell that checks it (marked
/// `metadata.blitz.check`).
fn cells_json(root: &Path, lesson: &Lesson, lang: &str) -> Result<Value> {
    let mut cells: Vec<(Value, &str, String)> = Vec::new();
    for cell in &lesson.cells {
        match cell {
            Cell::Markdown(text) => cells.push((json!({}), "markdown", text.clone())),
            Cell::Code(text, expect) => {
                let metadata = if expect.is_empty() {
                    json!({})
                } else {
                    json!({"blitz": {"expect": expect}})
                };
                cells.push((metadata, "code", text.clone()));
            }
            Cell::Exercise(id) => {
                let exercise = exercises::find(root, id)
                    .with_context(|| format!("{}: `<!-- exercise: {id} -->`", lesson.source))?;
                let hint = exercises::hint(root, id, lang)?;
                let start = exercises::read(&exercises::starting_path(root, id))?;
                cells.push((
                    json!({"blitz": {"exercise": id, "hints": [hint]}}),
                    "code",
                    start.trim_end().to_string(),
                ));
                cells.push((
                    json!({"blitz": {"check": id}}),
                    "code",
                    exercise.check.clone(),
                ));
            }
        }
    }
    let cells = cells
        .into_iter()
        .enumerate()
        .map(|(i, (metadata, kind, text))| {
            let id = format!("{}-{:03}", short_slug(&lesson.name), i);
            if kind == "markdown" {
                json!({"cell_type": "markdown", "id": id, "metadata": metadata, "source": source_lines(&text)})
            } else {
                json!({
                    "cell_type": "code", "execution_count": null, "id": id, "metadata": metadata,
                    "outputs": [], "source": source_lines(&text)
                })
            }
        })
        .collect();
    Ok(Value::Array(cells))
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
pub fn render(lesson: &Lesson, lang: &str) -> Result<String> {
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
    let cells = cells_json(&layout::repo_root(), &localized, lang)?;
    let notebook = json!({
        "cells": cells,
        "metadata": {
            "blitz": {"cells_sha256": cells_hash(&cells), "lang": lang, "lesson": lesson.name},
            "kernelspec": {"display_name": KERNEL_DISPLAY_NAME, "language": "rust", "name": KERNEL_NAME},
            // Exactly what evcxr_jupyter reports in its kernel_info reply: JupyterLab replaces a differing
            // language_info when the kernel connects, which marks a notebook just opened as modified.
            "language_info": {
                "codemirror_mode": "rust", "file_extension": ".rs",
                "mimetype": "text/rust", "name": "Rust", "pygment_lexer": "rust", "version": ""
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
    Ok(text)
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
        let wanted = render(lesson, lang)?;
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

/// `cargo xtask notebooks`: regenerate (or, with `check`, compare) every notebook: English, and each started
/// language with its translations (a missing or fuzzy message falls back to English and is reported). A
/// notebook a learner executed or edited is left alone unless `force`.
pub fn generate(check: bool, force: bool) -> Result<()> {
    let root = layout::repo_root();
    let lessons = lessons::load_lessons(&root.join("lessons"))?;
    let out = root.join("notebooks");
    let mut stale = Vec::new();
    let mut refused = Vec::new();
    let mut languages: Vec<(String, Vec<Lesson>)> = vec![("en".into(), lessons.clone())];
    for lang in translations::present_languages(&root) {
        let catalog = translations::load(&root, lang)?;
        let (translated, fallbacks) = translations::extract::translate(&lessons, &catalog);
        if !fallbacks.is_empty() {
            eprintln!(
                "    {lang}: {} message(s) not translated yet are shown in English",
                fallbacks.len()
            );
        }
        languages.push((lang.to_string(), translated));
    }
    let count = languages.len();
    for (lang, lessons) in &languages {
        let report = write_all(lessons, lang, &out, check, force)?;
        for path in &report.written {
            if check {
                stale.push(path.clone());
            } else {
                eprintln!("    wrote {}", path.display());
            }
        }
        refused.extend(report.refused);
    }
    let listed = |paths: &[PathBuf]| -> String {
        paths
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if !refused.is_empty() {
        bail!(
            "these notebooks were executed or edited since they were generated, so they were left alone:\n{}\n\
             Save your work under another name (File > Save Notebook As...), or run `cargo xtask notebooks --force` \
             to replace them with the lesson as written.",
            listed(&refused)
        );
    }
    if !stale.is_empty() {
        bail!(
            "these notebooks do not match lessons/:\n{}\nRun `cargo xtask notebooks` and commit the result.",
            listed(&stale)
        );
    }
    eprintln!(
        "==> notebooks: {} lesson(s) x {count} language(s) up to date",
        lessons.len()
    );
    Ok(())
}

/// Every notebook under `notebooks/`, sorted (each language's folder, each lesson).
pub fn all() -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let root = layout::repo_root().join("notebooks");
    for lang in fs::read_dir(&root).with_context(|| format!("cannot read {}", root.display()))? {
        let lang = lang?.path();
        if !lang.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&lang)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "ipynb") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The notebooks of the English lessons, sorted.
pub fn english() -> Result<Vec<PathBuf>> {
    Ok(all()?
        .into_iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("en")))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::test_lesson as lesson;

    #[test]
    fn rendering_is_stable_and_has_no_outputs() {
        let a = render(&lesson(), "en").unwrap();
        assert_eq!(a, render(&lesson(), "en").unwrap());
        let nb: Value = serde_json::from_str(&a).unwrap();
        assert_eq!(nb["nbformat_minor"], 5);
        assert_eq!(nb["metadata"]["kernelspec"]["name"], KERNEL_NAME);
        assert_eq!(nb["cells"][1]["id"], "01-test-001");
        assert_eq!(nb["cells"][1]["outputs"], json!([]));
    }

    #[test]
    fn each_language_s_notebook_sets_its_language_in_the_first_cell() {
        let nb: Value = serde_json::from_str(&render(&lesson(), "zh-TW").unwrap()).unwrap();
        let source = nb["cells"][1]["source"].to_string();
        assert!(source.contains(r#"set_language(\"zh-TW\")?;"#), "{source}");
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
