//! What learners hand in, read into answers: a notebook (its cells marked `metadata.blitz.exercise`), or a folder
//! of exercise files (`src/<id>.rs`, as in the course's `exercises/`). Nothing is ever written back.

use crate::exercises::Exercise;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One learner's work, read from `file`.
#[derive(Debug)]
pub struct Submission {
    /// The notebook or folder, as given.
    pub file: PathBuf,
    /// The exercises this submission is graded on, in course order.
    pub expected: Vec<String>,
    /// Each exercise's answer, or why there is none.
    pub answers: BTreeMap<String, Answer>,
    /// Set when the file cannot be read at all (not JSON, not a notebook): every exercise fails with it.
    pub unreadable: Option<String>,
}

/// An exercise's answer as found in a submission.
#[derive(Clone, Debug)]
pub enum Answer {
    /// The code, and where it came from (e.g. `cell 12`), for messages.
    Code {
        /// The answer's Rust code.
        code: String,
        /// Where it is in the submission (`cell 12`, `src/mse.rs`).
        place: String,
    },
    /// No answer, for the reason given (missing, or more than one cell).
    Invalid(String),
}

/// Every notebook or exercises folder under the given paths, sorted: a `.ipynb` file; a folder with
/// `src/lib.rs` and exercise files (one learner); any other folder is searched for notebooks
/// (`.ipynb_checkpoints` skipped).
pub fn find(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_file() {
            out.push(path.clone());
        } else if path.is_dir() {
            collect(path, &mut out);
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("src").join("lib.rs").is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() && name != ".ipynb_checkpoints" && !name.starts_with('.') {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "ipynb") {
            out.push(path);
        }
    }
}

/// Reads one submission; `exercises` is the course's list.
pub fn read(path: &Path, exercises: &[Exercise]) -> Submission {
    if path.is_dir() {
        return read_folder(path, exercises);
    }
    let all: Vec<String> = exercises.iter().map(|e| e.id.clone()).collect();
    let unreadable = |reason: String| Submission {
        file: path.to_path_buf(),
        expected: all.clone(),
        answers: BTreeMap::new(),
        unreadable: Some(reason),
    };
    let text = match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => return unreadable("the file is not UTF-8 text, so not a notebook".into()),
        },
        Err(e) => return unreadable(format!("the file cannot be read ({e})")),
    };
    let notebook: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            return unreadable(format!(
                "the file is not valid JSON (line {}, column {}: {e}); it may have been cut short or edited \
                 by hand",
                e.line(),
                e.column()
            ))
        }
    };
    let Some(cells) = notebook["cells"].as_array() else {
        return unreadable(
            "the file is JSON but not a Jupyter notebook (it has no `cells` list)".into(),
        );
    };
    let lesson = notebook["metadata"]["blitz"]["lesson"].as_str();
    let mut found: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (i, cell) in cells.iter().enumerate() {
        if let Some(id) = cell["metadata"]["blitz"]["exercise"].as_str() {
            found
                .entry(id.to_string())
                .or_default()
                .push((i + 1, source(&cell["source"])));
        }
    }
    let expected: Vec<String> = match lesson {
        Some(lesson) if exercises.iter().any(|e| e.lesson == lesson) => exercises
            .iter()
            .filter(|e| e.lesson == lesson)
            .map(|e| e.id.clone())
            .collect(),
        _ => exercises
            .iter()
            .filter(|e| found.contains_key(&e.id))
            .map(|e| e.id.clone())
            .collect(),
    };
    let mut answers = BTreeMap::new();
    for id in &expected {
        let answer = match found.get(id).map(Vec::as_slice) {
            None | Some([]) => Answer::Invalid(format!(
                "no answer cell: the notebook has no cell marked as exercise `{id}` \
                 (metadata.blitz.exercise); was it deleted or its metadata removed?"
            )),
            Some([(cell, code)]) => Answer::Code {
                code: code.clone(),
                place: format!("cell {cell}"),
            },
            Some(many) => Answer::Invalid(format!(
                "{} cells are marked as exercise `{id}` (cells {}): keep only the one with your answer",
                many.len(),
                many.iter()
                    .map(|(c, _)| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        answers.insert(id.clone(), answer);
    }
    Submission {
        file: path.to_path_buf(),
        expected,
        answers,
        unreadable: None,
    }
}

/// A folder of exercise files: `src/<id>.rs` for each exercise of the course.
fn read_folder(dir: &Path, exercises: &[Exercise]) -> Submission {
    let mut answers = BTreeMap::new();
    for e in exercises {
        let file = dir.join("src").join(format!("{}.rs", e.id));
        let answer = match fs::read_to_string(&file) {
            Ok(code) => Answer::Code {
                code,
                place: format!("src/{}.rs", e.id),
            },
            Err(_) => Answer::Invalid(format!("no file src/{}.rs", e.id)),
        };
        answers.insert(e.id.clone(), answer);
    }
    Submission {
        file: dir.to_path_buf(),
        expected: exercises.iter().map(|e| e.id.clone()).collect(),
        answers,
        unreadable: None,
    }
}

/// A notebook cell's source: a string or a list of lines.
fn source(value: &Value) -> String {
    match value {
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        Value::String(text) => text.clone(),
        _ => String::new(),
    }
}
