//! How complete each language is: the counts and the table `cargo xtask translations --status` prints.

use super::merge::merge;
use super::po::{Catalog, Entry};
use super::{load, po_path, LANGUAGES};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;

/// Counts for `cargo xtask translations --status`.
#[derive(Debug, Default, PartialEq)]
pub struct Status {
    /// Messages translated and reviewed.
    pub translated: usize,
    /// Messages whose English changed since they were translated.
    pub fuzzy: usize,
    /// Messages not translated yet.
    pub missing: usize,
}

/// The completeness of a catalog merged with the current lessons.
pub fn status(catalog: &Catalog) -> Status {
    let mut s = Status::default();
    for e in &catalog.entries {
        if e.msgstr.is_empty() {
            s.missing += 1;
        } else if e.fuzzy {
            s.fuzzy += 1;
        } else {
            s.translated += 1;
        }
    }
    s
}

/// The per-language table `cargo xtask translations --status` prints.
pub fn status_table(root: &Path, current: &[Entry]) -> Result<String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6} {:>10} {:>6} {:>8} {:>6}",
        "lang", "translated", "fuzzy", "missing", "done"
    );
    for lang in LANGUAGES {
        if !po_path(root, lang).exists() {
            let _ = writeln!(
                out,
                "{lang:<6} not started (cargo xtask translations --add {lang})"
            );
            continue;
        }
        let merged = merge(current, &load(root, lang)?, lang);
        let s = status(&merged);
        let total = (s.translated + s.fuzzy + s.missing).max(1);
        let _ = writeln!(
            out,
            "{lang:<6} {:>10} {:>6} {:>8} {:>5.0}%",
            s.translated,
            s.fuzzy,
            s.missing,
            100.0 * s.translated as f64 / total as f64
        );
    }
    Ok(out)
}
