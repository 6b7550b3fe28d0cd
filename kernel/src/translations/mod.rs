//! Translations of the lessons: one PO file per language in `translations/`, kept in step with `lessons/` the way
//! msgmerge does it, a glossary per language, and the translated lessons the notebooks are made from.

pub mod crate_messages;
pub mod messages;
pub mod po;

use crate::notebooks::{Cell, Lesson};
use anyhow::{bail, Context, Result};
use po::{Catalog, Entry};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The languages the course is translated into, besides English.
pub const LANGUAGES: &[&str] = &["ja", "zh-TW", "ko", "zh"];

/// Every message of the lessons in order, each once, with where it comes from (`lessons/x.md:12`) and, for a
/// comment inside code, a note saying so.
pub fn source_entries(lessons: &[Lesson]) -> Vec<Entry> {
    let mut order: Vec<Entry> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for lesson in lessons {
        for (cell, &start) in lesson.cells.iter().zip(&lesson.lines) {
            let mut found: Vec<(String, usize, bool)> = Vec::new();
            match cell {
                Cell::Markdown(text) => {
                    messages::map_markdown(text, &mut |m, at| {
                        found.push((m.to_string(), at, false));
                        m.to_string()
                    });
                }
                Cell::Code(code, _) => {
                    messages::map_code_comments(code, &mut |m, at| {
                        found.push((m.to_string(), at, true));
                        m.to_string()
                    });
                }
            }
            for (msgid, at, in_code) in found {
                let reference = format!("{}:{}", lesson.source, start + at);
                match index.get(&msgid) {
                    Some(&i) => order[i].references.push(reference),
                    None => {
                        index.insert(msgid.clone(), order.len());
                        order.push(Entry {
                            references: vec![reference],
                            notes: if in_code {
                                vec!["A comment inside Rust code: keep it short, on one line."
                                    .into()]
                            } else {
                                Vec::new()
                            },
                            msgid,
                            ..Entry::default()
                        });
                    }
                }
            }
        }
    }
    order
}

/// Everything translators translate: the lessons' messages, then the blitz crate's messages.
pub fn all_entries(root: &Path, lessons: &[Lesson]) -> Result<Vec<Entry>> {
    let mut entries = source_entries(lessons);
    entries.extend(crate_messages::entries(root)?);
    Ok(entries)
}

/// What identifies a message: its context (a crate message's key) and its English.
fn id(e: &Entry) -> (Option<&str>, &str) {
    (e.context.as_deref(), e.msgid.as_str())
}

/// msgmerge: the catalog for `lang` with the current messages (`current`, from [`all_entries`]). A message whose English is unchanged
/// keeps its translation; one whose English changed takes the translation of the most similar old message,
/// marked fuzzy with the old English kept as `#| msgid`; a new message is left untranslated.
/// A crate message keeps its key when its English changes, so its old translation is found by key.
pub fn merge(current: &[Entry], old: &Catalog, lang: &str) -> Catalog {
    let kept: HashMap<(Option<&str>, &str), &Entry> =
        old.entries.iter().map(|e| (id(e), e)).collect();
    let mut orphans: Vec<&Entry> = old
        .entries
        .iter()
        .filter(|e| !e.msgstr.is_empty() && !current.iter().any(|c| id(c) == id(e)))
        .collect();
    let entries = current
        .iter()
        .cloned()
        .map(|mut entry| {
            if let Some(&old) = kept.get(&id(&entry)) {
                entry.msgstr = old.msgstr.clone();
                entry.fuzzy = old.fuzzy;
                entry.previous = old.previous.clone();
            } else if let Some((i, score)) = orphans
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let same_key = o.context.is_some() && o.context == entry.context;
                    let score = if same_key {
                        1.0
                    } else if o.context == entry.context {
                        similarity(&o.msgid, &entry.msgid)
                    } else {
                        0.0
                    };
                    (i, score)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
            {
                if score >= 0.5 {
                    let old = orphans.remove(i);
                    entry.msgstr = old.msgstr.clone();
                    entry.fuzzy = true;
                    entry.previous =
                        Some(old.previous.clone().unwrap_or_else(|| old.msgid.clone()));
                }
            }
            entry
        })
        .collect();
    Catalog {
        language: lang.to_string(),
        entries,
    }
}

/// Dice coefficient of character bigrams: 1.0 for equal texts, near 0 for unrelated ones.
fn similarity(a: &str, b: &str) -> f64 {
    let grams = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut pool = gb.clone();
    let mut shared = 0;
    for g in &ga {
        if let Some(i) = pool.iter().position(|x| x == g) {
            pool.swap_remove(i);
            shared += 1;
        }
    }
    2.0 * shared as f64 / (ga.len() + gb.len()) as f64
}

/// The lessons with each message replaced by its translation. A missing or fuzzy translation falls back to the
/// English text; those messages are returned so the caller can report them.
pub fn translate(lessons: &[Lesson], catalog: &Catalog) -> (Vec<Lesson>, Vec<String>) {
    let table: HashMap<&str, &Entry> = catalog
        .entries
        .iter()
        .filter(|e| e.context.is_none())
        .map(|e| (e.msgid.as_str(), e))
        .collect();
    let mut fallbacks = Vec::new();
    let mut lookup = |m: &str, _: usize| match table.get(m) {
        Some(e) if !e.fuzzy && !e.msgstr.is_empty() => e.msgstr.clone(),
        _ => {
            fallbacks.push(m.to_string());
            m.to_string()
        }
    };
    let translated = lessons
        .iter()
        .map(|lesson| Lesson {
            cells: lesson
                .cells
                .iter()
                .map(|cell| match cell {
                    Cell::Markdown(text) => {
                        Cell::Markdown(messages::map_markdown(text, &mut lookup))
                    }
                    Cell::Code(code, expect) => Cell::Code(
                        messages::map_code_comments(code, &mut lookup),
                        expect.clone(),
                    ),
                })
                .collect(),
            ..lesson.clone()
        })
        .collect();
    (translated, fallbacks)
}

/// `translations/<lang>.po`.
pub fn po_path(root: &Path, lang: &str) -> PathBuf {
    root.join("translations").join(format!("{lang}.po"))
}

/// Reads a language's catalog; a missing file is an empty catalog.
pub fn load(root: &Path, lang: &str) -> Result<Catalog> {
    let path = po_path(root, lang);
    if !path.exists() {
        return Ok(Catalog {
            language: lang.to_string(),
            entries: Vec::new(),
        });
    }
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let shown = path.strip_prefix(root).unwrap_or(&path);
    po::parse(shown, &text)
}

/// The languages that have a PO file in `translations/` (a language is started by `--add`).
pub fn present_languages(root: &Path) -> Vec<&'static str> {
    LANGUAGES
        .iter()
        .copied()
        .filter(|lang| po_path(root, lang).exists())
        .collect()
}

/// Brings the PO files of `langs` up to date with the current messages (msgmerge), keeping every translation; a
/// language without a file gets a new one with every message untranslated.
pub fn update(root: &Path, current: &[Entry], langs: &[&str]) -> Result<()> {
    for lang in langs {
        let merged = merge(current, &load(root, lang)?, lang);
        let path = po_path(root, lang);
        let text = po::write(&merged);
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            fs::create_dir_all(path.parent().expect("translations/"))?;
            fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("    updated {}", path.display());
        }
    }
    Ok(())
}

/// The text `crate/src/messages/translated.rs` must have for the PO files on disk.
pub fn crate_translations(root: &Path) -> Result<String> {
    let mut catalogs = Vec::new();
    for lang in LANGUAGES {
        catalogs.push((*lang, load(root, lang)?));
    }
    Ok(crate_messages::generate(&catalogs))
}

/// Writes `crate/src/messages/translated.rs` from the PO files when it differs.
pub fn write_crate_translations(root: &Path) -> Result<()> {
    let path = root.join(crate_messages::TRANSLATED);
    let text = crate_translations(root)?;
    if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("    updated {}", path.display());
    }
    Ok(())
}

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

/// A glossary: English term → the term the language's learners use (`translations/glossary/<lang>.tsv`).
pub fn load_glossary(root: &Path, lang: &str) -> Result<Vec<(String, String, usize)>> {
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

/// Every problem of one language: the PO file out of step with the lessons, fuzzy or missing messages, and
/// glossary terms not used. Each problem names the file and line.
pub fn problems(root: &Path, current: &[Entry], lang: &str) -> Result<Vec<String>> {
    let on_disk = load(root, lang)?;
    let merged = merge(current, &on_disk, lang);
    let shown = format!("translations/{lang}.po");
    let mut out = Vec::new();
    let strip = |c: &Catalog| -> Vec<Entry> {
        c.entries
            .iter()
            .map(|e| Entry {
                line: 0,
                ..e.clone()
            })
            .collect()
    };
    if strip(&on_disk) != strip(&merged) {
        for e in &merged.entries {
            let before = on_disk.entries.iter().find(|o| id(o) == id(e));
            let changed =
                !matches!(before, Some(b) if b.references == e.references && b.msgstr == e.msgstr);
            if changed {
                let why = if e.fuzzy {
                    "its English changed: update the translation"
                } else if e.msgstr.is_empty() {
                    "new message: translate it"
                } else {
                    "moved"
                };
                out.push(format!(
                    "{lang}: {}: {why}: \"{}\"",
                    e.references[0],
                    short(&e.msgid)
                ));
            }
        }
        out.push(format!(
            "{lang}: {shown} is out of step with lessons/: run `cargo xtask translations` to update it"
        ));
        return Ok(out);
    }
    for e in &on_disk.entries {
        if e.msgstr.is_empty() {
            out.push(format!(
                "{lang}: {shown}:{}: not translated: \"{}\"",
                e.line,
                short(&e.msgid)
            ));
        } else if e.fuzzy {
            out.push(format!(
                "{lang}: {shown}:{}: fuzzy (the English changed; review, then remove `#, fuzzy`): \"{}\"",
                e.line,
                short(&e.msgid)
            ));
        }
    }
    for e in on_disk.entries.iter().filter(|e| e.context.is_some()) {
        let wanted = crate_messages::placeholders(&e.msgid);
        if !e.msgstr.is_empty() && crate_messages::placeholders(&e.msgstr) != wanted {
            let listed: Vec<String> = wanted.iter().map(|n| format!("{{{n}}}")).collect();
            out.push(format!(
                "{lang}: {shown}:{}: the translation must keep the placeholders {} exactly (no more, no fewer, \
                 not translated): \"{}\"",
                e.line,
                listed.join(", "),
                short(&e.msgstr)
            ));
        }
    }
    let glossary = load_glossary(root, lang)?;
    for e in on_disk
        .entries
        .iter()
        .filter(|e| !e.fuzzy && !e.msgstr.is_empty())
    {
        let english = e.msgid.to_lowercase();
        for (en, term, line) in &glossary {
            if english.contains(en.as_str()) && !e.msgstr.contains(term.as_str()) {
                out.push(format!(
                    "{lang}: {shown}:{}: the glossary (translations/glossary/{lang}.tsv:{line}) says \"{en}\" is \"{term}\", \
                     but the translation does not use it: \"{}\"",
                    e.line,
                    short(&e.msgstr)
                ));
            }
        }
    }
    Ok(out)
}

fn short(text: &str) -> String {
    let one_line = text.replace('\n', " ");
    let mut s: String = one_line.chars().take(70).collect();
    if one_line.chars().count() > 70 {
        s.push('…');
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebooks::parse_with_lines;

    const LESSON: &str = "# Gradients\n\nBackpropagation computes the gradient of the loss.\n\n```rust\n:dep blitz = { path = \"../../crate\" }\nset_language(\"en\")?;\nlet x = 1; // one number\n```\n";

    fn lesson(text: &str) -> Vec<Lesson> {
        let (cells, lines) = parse_with_lines(Path::new("lessons/01-t.md"), text).unwrap();
        vec![Lesson {
            name: "01-t".into(),
            cells,
            lines,
            source: "lessons/01-t.md".into(),
        }]
    }

    /// A temporary project root with a complete Japanese translation of `LESSON`.
    fn project() -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "blitz-tr-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("translations/glossary")).unwrap();
        fs::write(
            root.join("translations/glossary/ja.tsv"),
            "gradient\t勾配\n",
        )
        .unwrap();
        let mut catalog = merge(&source_entries(&lesson(LESSON)), &Catalog::default(), "ja");
        for (e, ja) in
            catalog
                .entries
                .iter_mut()
                .zip(["勾配", "逆伝播は損失の勾配を計算します。", "一つの数"])
        {
            e.msgstr = ja.into();
        }
        fs::write(po_path(&root, "ja"), po::write(&catalog)).unwrap();
        root
    }

    #[test]
    fn a_complete_translation_has_no_problems_and_translates_prose_and_comments() {
        let root = project();
        assert_eq!(
            problems(&root, &source_entries(&lesson(LESSON)), "ja").unwrap(),
            Vec::<String>::new()
        );
        let (translated, fallbacks) = translate(&lesson(LESSON), &load(&root, "ja").unwrap());
        assert!(fallbacks.is_empty());
        assert_eq!(
            translated[0].cells[0],
            Cell::Markdown("# 勾配\n\n逆伝播は損失の勾配を計算します。".into())
        );
        assert!(
            matches!(&translated[0].cells[1], Cell::Code(c, _) if c.ends_with("let x = 1; // 一つの数"))
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn editing_a_source_paragraph_makes_it_fuzzy_and_the_check_fails() {
        let root = project();
        let edited = LESSON.replace("of the loss.", "of the loss for every weight.");
        let found = problems(&root, &source_entries(&lesson(&edited)), "ja").unwrap();
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("ja: lessons/01-t.md:3: its English changed")),
            "{found:?}"
        );
        update(&root, &source_entries(&lesson(&edited)), &["ja"]).unwrap();
        let catalog = load(&root, "ja").unwrap();
        let entry = &catalog.entries[1];
        assert!(entry.fuzzy);
        assert_eq!(
            entry.previous.as_deref(),
            Some("Backpropagation computes the gradient of the loss.")
        );
        assert_eq!(entry.msgstr, "逆伝播は損失の勾配を計算します。");
        let found = problems(&root, &source_entries(&lesson(&edited)), "ja").unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(&format!("ja: translations/ja.po:{}: fuzzy", entry.line)),
            "{found:?}"
        );
        // The notebook falls back to English for the fuzzy message.
        let (_, fallbacks) = translate(&lesson(&edited), &catalog);
        assert_eq!(
            fallbacks,
            vec!["Backpropagation computes the gradient of the loss for every weight.".to_string()]
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_translation_that_ignores_the_glossary_is_reported() {
        let root = project();
        let path = po_path(&root, "ja");
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("損失の勾配", "損失の傾き");
        fs::write(&path, text).unwrap();
        let found = problems(&root, &source_entries(&lesson(LESSON)), "ja").unwrap();
        assert!(
            found
                .iter()
                .any(|p| p.contains("glossary") && p.contains("勾配")),
            "{found:?}"
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_malformed_po_file_is_named_with_its_line() {
        let root = project();
        let path = po_path(&root, "ja");
        let text = fs::read_to_string(&path).unwrap() + "\nmsgid \"broken\nmsgstr \"\"\n";
        fs::write(&path, text.clone()).unwrap();
        let err = load(&root, "ja").unwrap_err();
        let line = text.lines().position(|l| l == "msgid \"broken").unwrap() + 1;
        assert!(
            format!("{err:#}").starts_with(&format!("translations/ja.po:{line}")),
            "{err:#}"
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_crate_message_is_found_by_key_and_must_keep_its_placeholders() {
        let root = project();
        let message = |english: &str| Entry {
            context: Some("needs-batch".into()),
            msgid: english.into(),
            ..Entry::default()
        };
        let mut current = source_entries(&lesson(LESSON));
        current.push(message("{layer} got {got}"));
        update(&root, &current, &["ja"]).unwrap();
        let path = po_path(&root, "ja");
        let translate_as = |text: &str| {
            let mut catalog = load(&root, "ja").unwrap();
            catalog.entries.last_mut().unwrap().msgstr = text.into();
            fs::write(&path, po::write(&catalog)).unwrap();
        };
        translate_as("{layer} に {got} が届きました");
        assert_eq!(
            problems(&root, &current, "ja").unwrap(),
            Vec::<String>::new()
        );

        translate_as("{layer} に {入力} が届きました");
        let found = problems(&root, &current, "ja").unwrap();
        assert!(
            found
                .iter()
                .any(|p| p.contains("placeholders {got}, {layer}")),
            "{found:?}"
        );

        // The English of a crate message changes: its old translation, found by key, becomes fuzzy.
        translate_as("{layer} に {got} が届きました");
        current.pop();
        current.push(message("{layer} received {got} instead"));
        update(&root, &current, &["ja"]).unwrap();
        let entry = load(&root, "ja").unwrap().entries.pop().unwrap();
        assert!(entry.fuzzy);
        assert_eq!(entry.previous.as_deref(), Some("{layer} got {got}"));
        assert_eq!(entry.msgstr, "{layer} に {got} が届きました");
        fs::remove_dir_all(root).unwrap();
    }
}
