//! Translations: one PO file per language in `translations/`, kept in step with `lessons/` and the crate's
//! messages the way gettext's msgmerge does it, a glossary per language, and the checks the suite runs.
//!
//! - [`po`]: reading and writing PO files;
//! - [`messages`]: where the messages are in a lesson (paragraphs, headings, list items, code comments);
//! - [`extract`]: the lessons as messages, and the lessons rebuilt from a translated catalog;
//! - [`crate_messages`]: blitz's own error and warning messages, and the `translated.rs` generated from them;
//! - [`merge`]: msgmerge (changed English becomes fuzzy); [`glossary`]; [`check`]: what the suite refuses;
//! - [`cjk`]: Chinese and Japanese line breaks joined without a space, and running text without code;
//! - [`status`]: the per-language table.
//!
//! This module's own functions are the `cargo xtask translations` command and the suite's check.

pub mod check;
pub mod cjk;
pub mod crate_messages;
pub mod extract;
pub mod glossary;
pub mod merge;
pub mod messages;
pub mod po;
pub mod status;

use crate::{layout, lessons};
use anyhow::{bail, Context, Result};
use po::{Catalog, Entry};
use std::fs;
use std::path::{Path, PathBuf};

/// The languages the course is translated into, besides English.
pub const LANGUAGES: &[&str] = &["ja", "zh-TW", "ko", "zh"];

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
            ..Catalog::default()
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
        let merged = merge::merge(current, &load(root, lang)?, lang);
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

/// `cargo xtask translations`: update the PO files from the lessons, or only show their status (`status`), or
/// start a new language (`add`).
pub fn command(status_only: bool, add: Option<String>) -> Result<()> {
    let root = layout::repo_root();
    let lessons = lessons::load_lessons(&root.join("lessons"))?;
    let current = extract::all_entries(&root, &lessons)?;
    if let Some(lang) = add {
        if !LANGUAGES.contains(&lang.as_str()) {
            bail!(
                "`{lang}` is not one of the course's languages: {}",
                LANGUAGES.join(", ")
            );
        }
        update(&root, &current, &[lang.as_str()])?;
    } else if !status_only {
        update(&root, &current, &present_languages(&root))?;
    }
    if !status_only {
        write_crate_translations(&root)?;
    }
    print!("{}", status::status_table(&root, &current)?);
    Ok(())
}

/// Fails listing every translation problem (out of step, fuzzy, missing, glossary) of every started language,
/// and a `translated.rs` out of step with the PO files.
pub fn check_all() -> Result<()> {
    let root = layout::repo_root();
    let lessons = lessons::load_lessons(&root.join("lessons"))?;
    let current = extract::all_entries(&root, &lessons)?;
    let mut problems = Vec::new();
    for lang in present_languages(&root) {
        problems.extend(check::problems(&root, &current, lang)?);
    }
    let generated = root.join(crate_messages::TRANSLATED);
    if fs::read_to_string(&generated).ok() != Some(crate_translations(&root)?) {
        problems.push(format!(
            "{} is out of step with translations/: run `cargo xtask translations` to regenerate it",
            crate_messages::TRANSLATED
        ));
    }
    if !problems.is_empty() {
        bail!(
            "the translations are not complete:\n  {}\n(`cargo xtask translations --status` shows the totals)",
            problems.join("\n  ")
        );
    }
    eprintln!(
        "==> translations: complete for {}",
        present_languages(&root).join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check::problems;
    use super::extract::{source_entries, translate};
    use super::merge::merge;
    use super::*;
    use crate::lessons::{parse_with_lines, Cell, Lesson};

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

    /// The problems found after `edit` is applied to the project's ja.po (and `glossary` replaces its glossary).
    fn problems_after(edit: (&str, &str), glossary: Option<&str>) -> Vec<String> {
        let root = project();
        let path = po_path(&root, "ja");
        let text = fs::read_to_string(&path).unwrap().replace(edit.0, edit.1);
        fs::write(&path, text).unwrap();
        if let Some(g) = glossary {
            fs::write(root.join("translations/glossary/ja.tsv"), g).unwrap();
        }
        let found = problems(&root, &source_entries(&lesson(LESSON)), "ja").unwrap();
        fs::remove_dir_all(root).unwrap();
        found
    }

    #[test]
    fn an_escaped_line_break_is_reported_with_language_file_and_line() {
        let found = problems_after(
            ("損失の勾配を計算します。", "損失の\\\\n勾配を計算します。"),
            None,
        );
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("ja: translations/ja.po:") && p.contains("literal `\\n`")),
            "{found:?}"
        );
    }

    #[test]
    fn a_refused_variant_of_a_glossary_term_is_reported() {
        let glossary =
            "gradient\t勾配\nbackpropagation\t逆伝播\t誤差逆伝播法, バックプロパゲーション\n";
        let found = problems_after(("逆伝播は", "バックプロパゲーションは"), Some(glossary));
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("ja: translations/ja.po:")
                    && p.contains("\"バックプロパゲーション\" is another form of \"逆伝播\"")
                    && p.contains("glossary/ja.tsv:2")),
            "{found:?}"
        );
    }

    #[test]
    fn an_english_glossary_word_left_in_running_text_is_reported_but_code_is_not() {
        let found = problems_after(("損失の勾配", "損失の gradient（勾配）"), None);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("ja: translations/ja.po:")
                    && p.contains("the English \"gradient\" is left")),
            "{found:?}"
        );
        let found = problems_after(("損失の勾配", "損失の `gradient` の勾配"), None);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn cjk_notebooks_join_wrapped_lines_and_korean_does_not() {
        let wrapped = "# Gradients\n\nBackpropagation computes\nthe gradient of the loss.\n";
        for (lang, translation, want) in [
            (
                "ja",
                "逆伝播は損失の\n勾配を計算します。",
                "逆伝播は損失の勾配を計算します。",
            ),
            (
                "zh",
                "反向传播计算损失的\n梯度。",
                "反向传播计算损失的梯度。",
            ),
            (
                "zh-TW",
                "反向傳播計算損失的\n梯度。",
                "反向傳播計算損失的梯度。",
            ),
            (
                "ko",
                "역전파는 손실의\n기울기를 계산합니다.",
                "역전파는 손실의\n기울기를 계산합니다.",
            ),
        ] {
            let lessons = lesson(wrapped);
            let mut catalog = merge(&source_entries(&lessons), &Catalog::default(), lang);
            catalog.entries[1].msgstr = translation.into();
            let (translated, _) = translate(&lessons, &catalog);
            assert_eq!(
                translated[0].cells[0],
                Cell::Markdown(format!("# Gradients\n\n{want}")),
                "{lang}"
            );
        }
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
