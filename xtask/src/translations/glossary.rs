//! Each language's glossary (`translations/glossary/<lang>.tsv`): the term its learners use for each English one,
//! and the other forms of it that the course refuses, so that one language says one thing one way.
//!
//! A line is `english<TAB>term` or `english<TAB>term<TAB>variant, variant, ...`; `#` starts a comment line.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// One glossary line.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The English term, lower case (`learning rate`).
    pub english: String,
    /// The term every translation uses for it (`学習率`).
    pub term: String,
    /// Other forms a translation must not use (`学習係数`); looked for after the term itself is taken out, so a
    /// variant may be part of the term.
    pub variants: Vec<String>,
    /// The line in the glossary file, for messages.
    pub line: usize,
}

/// `translations/glossary/<lang>.tsv`.
pub fn path(root: &Path, lang: &str) -> PathBuf {
    root.join("translations/glossary")
        .join(format!("{lang}.tsv"))
}

/// Reads a language's glossary; a malformed line is named with its file and line.
pub fn load(root: &Path, lang: &str) -> Result<Vec<Term>> {
    let path = path(root, lang);
    let text = fs::read_to_string(&path)
        .with_context(|| format!("cannot read the glossary {}", path.display()))?;
    parse(&path, &text)
}

/// Parses glossary text; `file` names it in errors.
pub fn parse(file: &Path, text: &str) -> Result<Vec<Term>> {
    let mut terms = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let (english, term, variants) = match fields.as_slice() {
            [english, term] => (english, term, ""),
            [english, term, variants] => (english, term, *variants),
            _ => bail!(
                "{}:{}: a glossary line is `english<TAB>term` or `english<TAB>term<TAB>variants`, found `{line}`",
                file.display(),
                i + 1
            ),
        };
        if english.is_empty() || term.is_empty() {
            bail!(
                "{}:{}: both the English term and the translation are needed, found `{line}`",
                file.display(),
                i + 1
            );
        }
        terms.push(Term {
            english: english.to_lowercase(),
            term: term.to_string(),
            variants: variants
                .split([',', '、'])
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect(),
            line: i + 1,
        });
    }
    Ok(terms)
}
