//! What `cargo xtask test` refuses in a translation: out of step with the lessons, fuzzy or missing messages,
//! placeholders changed, glossary terms not used. Every problem names the language, file and line.

use super::merge::{id, merge};
use super::po::{Catalog, Entry};
use super::{crate_messages, glossary, load};
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
