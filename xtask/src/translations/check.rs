//! What `cargo xtask test` refuses in a translation: out of step with the lessons, fuzzy or missing messages,
//! placeholders changed, glossary terms not used. Every problem names the language, file and line.

use super::merge::{id, merge};
use super::po::{Catalog, Entry};
use super::{cjk, crate_messages, glossary, load};
use anyhow::Result;
use std::path::Path;

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
    let glossary = glossary::load(root, lang)?;
    let glossary_file = format!("translations/glossary/{lang}.tsv");
    for e in on_disk
        .entries
        .iter()
        .filter(|e| !e.fuzzy && !e.msgstr.is_empty())
    {
        let at = format!("{lang}: {shown}:{}", e.line);
        if escaped_newlines(&e.msgstr) > escaped_newlines(&e.msgid) {
            out.push(format!(
                "{at}: the translation shows a literal `\\n` (written `\\\\n` in the PO file) that the English does \
                 not have: break the line with a real line break (`\\n` in the PO file), or join the lines: \"{}\"",
                short(&e.msgstr)
            ));
        }
        let english = cjk::running_text(&e.msgid);
        let translated = cjk::running_text(&e.msgstr);
        for t in &glossary {
            let cited = format!("{glossary_file}:{}", t.line);
            if cjk::has_word(&english, &t.english) && !e.msgstr.contains(t.term.as_str()) {
                out.push(format!(
                    "{at}: the glossary ({cited}) says \"{}\" is \"{}\", but the translation does not use it: \"{}\"",
                    t.english,
                    t.term,
                    short(&e.msgstr)
                ));
            }
            let without_term = translated.replace(t.term.as_str(), " ");
            if let Some(variant) = t
                .variants
                .iter()
                .find(|v| without_term.contains(v.as_str()))
            {
                out.push(format!(
                    "{at}: \"{variant}\" is another form of \"{}\" ({cited}): use \"{}\" everywhere: \"{}\"",
                    t.term,
                    t.term,
                    short(&e.msgstr)
                ));
            }
            if lang != "en" && cjk::has_word(&translated, &t.english) {
                out.push(format!(
                    "{at}: the English \"{}\" is left in the running text; the glossary ({cited}) says \"{}\" \
                     (code goes between backticks): \"{}\"",
                    t.english,
                    t.term,
                    short(&e.msgstr)
                ));
            }
        }
    }
    Ok(out)
}

/// How many times `text` shows a literal `\n` (backslash and n) that is not the start of a LaTeX command such as
/// `\nabla`: a line break that was escaped once too often.
fn escaped_newlines(text: &str) -> usize {
    text.match_indices("\\n")
        .filter(|(at, _)| {
            !text[at + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
        })
        .count()
}

fn short(text: &str) -> String {
    let one_line = text.replace('\n', " ");
    let mut s: String = one_line.chars().take(70).collect();
    if one_line.chars().count() > 70 {
        s.push('…');
    }
    s
}
