//! Each language's glossary (`translations/glossary/<lang>.tsv`): the term its learners use for each English one.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::Path;

/// A glossary: English term → the term the language's learners use (`translations/glossary/<lang>.tsv`).
pub fn load(root: &Path, lang: &str) -> Result<Vec<(String, String, usize)>> {
    let path = root
        .join("translations/glossary")
        .join(format!("{lang}.tsv"));
    let text = fs::read_to_string(&path)
        .with_context(|| format!("cannot read the glossary {}", path.display()))?;
    let mut terms = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((en, term)) = line.split_once('\t') else {
            bail!(
                "{}:{}: a glossary line is `english<TAB>term`, found `{line}`",
                path.display(),
                i + 1
            );
        };
        terms.push((en.trim().to_lowercase(), term.trim().to_string(), i + 1));
    }
    Ok(terms)
}
