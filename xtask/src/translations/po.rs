//! Reading and writing gettext PO files, the format translators' tools (Poedit, Weblate, Crowdin) edit.
//!
//! Written here rather than taken from a crate because the course needs two things the PO crates on crates.io
//! do not give: the line of every entry (so a check can say `translations/ja.po:120: fuzzy`) and the previous
//! msgid (`#| msgid`) that msgmerge keeps on a fuzzy entry, which shows a translator what changed.

use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::path::Path;

/// One translatable message of a PO file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// Where the English text comes from (`#: lessons/01-neural-networks.md:12`).
    pub references: Vec<String>,
    /// Notes for the translator (`#.` lines).
    pub notes: Vec<String>,
    /// The translation no longer matches the English: review it (`#, fuzzy`).
    pub fuzzy: bool,
    /// For a fuzzy entry, the English it was translated from (`#| msgid`).
    pub previous: Option<String>,
    /// What distinguishes this message from another with the same English (`msgctxt`): the key of a crate
    /// message; `None` for the lessons' messages.
    pub context: Option<String>,
    /// The English text.
    pub msgid: String,
    /// The translation; empty when not yet translated.
    pub msgstr: String,
    /// The line of `msgid` in the file (0 for entries not read from a file).
    pub line: usize,
}

/// A PO file: its header fields and its entries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    /// The language code, e.g. `ja`.
    pub language: String,
    /// The entries, in the order of the source.
    pub entries: Vec<Entry>,
}

/// Parses PO text; `file` names the file in errors.
pub fn parse(file: &Path, text: &str) -> Result<Catalog> {
    let mut catalog = Catalog::default();
    let mut entry = Entry::default();
    // Which string the continuation lines ("...") extend: 0 none, 1 msgid, 2 msgstr, 3 previous msgid, 4 msgctxt.
    let mut target = 0;
    let mut started = false;
    let finish = |entry: &mut Entry, catalog: &mut Catalog| {
        let done = std::mem::take(entry);
        if done.msgid.is_empty() {
            for line in done.msgstr.lines() {
                if let Some(lang) = line.strip_prefix("Language:") {
                    catalog.language = lang.trim().to_string();
                }
            }
        } else {
            catalog.entries.push(done);
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        let at = || format!("{}:{line_no}", file.display());
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') && started && target == 2 {
            finish(&mut entry, &mut catalog);
            started = false;
            target = 0;
        }
        if let Some(rest) = line.strip_prefix("#:") {
            entry
                .references
                .extend(rest.split_whitespace().map(str::to_string));
        } else if let Some(rest) = line.strip_prefix("#.") {
            entry.notes.push(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("#,") {
            entry.fuzzy |= rest.split(',').any(|f| f.trim() == "fuzzy");
        } else if let Some(rest) = line.strip_prefix("#| msgid ") {
            entry.previous = Some(unquote(rest).with_context(at)?);
            target = 3;
        } else if let Some(rest) = line.strip_prefix("#| ") {
            if target != 3 {
                bail!("{}: a `#|` continuation without `#| msgid` before it", at());
            }
            let more = unquote(rest).with_context(at)?;
            entry
                .previous
                .get_or_insert_with(String::new)
                .push_str(&more);
        } else if line.starts_with('#') {
            // Translator comments and obsolete entries (`#~`) carry nothing the course uses.
        } else if let Some(rest) = line.strip_prefix("msgctxt ") {
            if started && target == 2 {
                finish(&mut entry, &mut catalog);
            }
            started = true;
            entry.context = Some(unquote(rest).with_context(at)?);
            target = 4;
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            if started && target == 2 {
                finish(&mut entry, &mut catalog);
            }
            started = true;
            entry.msgid = unquote(rest).with_context(at)?;
            entry.line = line_no;
            target = 1;
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            if target != 1 {
                bail!("{}: `msgstr` without a `msgid` just before it", at());
            }
            entry.msgstr = unquote(rest).with_context(at)?;
            target = 2;
        } else if line.starts_with('"') {
            let more = unquote(line).with_context(at)?;
            match target {
                1 => entry.msgid.push_str(&more),
                2 => entry.msgstr.push_str(&more),
                3 => entry
                    .previous
                    .get_or_insert_with(String::new)
                    .push_str(&more),
                4 => entry
                    .context
                    .get_or_insert_with(String::new)
                    .push_str(&more),
                _ => bail!("{}: a quoted line that continues nothing", at()),
            }
        } else if line.starts_with("msgid_plural") {
            bail!("{}: `{line}` is not used by the course's PO files", at());
        } else {
            bail!(
                "{}: cannot read `{line}`: a PO line starts with `#`, `msgid`, `msgstr` or a quoted string",
                at()
            );
        }
    }
    if started {
        if target != 2 {
            bail!("{}: the last entry has no `msgstr`", file.display());
        }
        finish(&mut entry, &mut catalog);
    }
    Ok(catalog)
}

/// A PO string literal's content.
fn unquote(s: &str) -> Result<String> {
    let s = s.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .with_context(|| format!("expected a string in double quotes, found `{s}`"))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c == '"' {
                bail!("a `\"` inside a string must be written `\\\"`");
            }
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            other => bail!(
                "unknown escape `\\{}`",
                other.map(String::from).unwrap_or_default()
            ),
        }
    }
    Ok(out)
}

/// A string as PO writes it: one quoted piece per line of the text, after an empty first piece if multi-line.
fn quote(keyword: &str, text: &str) -> String {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
    };
    let pieces: Vec<&str> = text.split_inclusive('\n').collect();
    if pieces.len() <= 1 {
        return format!("{keyword} \"{}\"\n", escape(text));
    }
    let mut out = format!("{keyword} \"\"\n");
    for piece in pieces {
        let _ = writeln!(out, "\"{}\"", escape(piece));
    }
    out
}

/// The PO text of a catalog.
pub fn write(catalog: &Catalog) -> String {
    let mut out = String::new();
    out.push_str(
        "# Translations of the blitz lessons. Edit with any PO editor (Poedit, Weblate, ...).\n",
    );
    out.push_str("# `cargo xtask translations` updates this file from lessons/ and the blitz crate's messages\n");
    out.push_str("# (crate/src/messages/english.rs, with their key as msgctxt) and marks changed messages fuzzy.\n");
    out.push_str("msgid \"\"\n");
    out.push_str("msgstr \"\"\n");
    out.push_str("\"Content-Type: text/plain; charset=UTF-8\\n\"\n");
    let _ = writeln!(out, "\"Language: {}\\n\"", catalog.language);
    for e in &catalog.entries {
        out.push('\n');
        for note in &e.notes {
            let _ = writeln!(out, "#. {note}");
        }
        if !e.references.is_empty() {
            let _ = writeln!(out, "#: {}", e.references.join(" "));
        }
        if e.fuzzy {
            out.push_str("#, fuzzy\n");
        }
        if let Some(previous) = &e.previous {
            for line in quote("msgid", previous).lines() {
                let _ = writeln!(out, "#| {line}");
            }
        }
        if let Some(context) = &e.context {
            out.push_str(&quote("msgctxt", context));
        }
        out.push_str(&quote("msgid", &e.msgid));
        out.push_str(&quote("msgstr", &e.msgstr));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_survives_writing_and_reading() {
        let catalog = Catalog {
            language: "ja".into(),
            entries: vec![
                Entry {
                    references: vec!["lessons/a.md:3".into()],
                    msgid: "One line with \"quotes\"".into(),
                    msgstr: "一行".into(),
                    ..Entry::default()
                },
                Entry {
                    context: Some("a-key".into()),
                    msgid: "{layer} refused".into(),
                    msgstr: "{layer} が拒否".into(),
                    ..Entry::default()
                },
                Entry {
                    fuzzy: true,
                    previous: Some("Old\ntext".into()),
                    msgid: "New\ntext".into(),
                    msgstr: "古い\n訳".into(),
                    ..Entry::default()
                },
            ],
        };
        let text = write(&catalog);
        let mut back = parse(Path::new("x.po"), &text).unwrap();
        for e in &mut back.entries {
            e.line = 0;
        }
        assert_eq!(back, catalog);
    }

    #[test]
    fn a_broken_line_is_named() {
        let err = parse(
            Path::new("t/ja.po"),
            "msgid \"a\"\nmsgstr \"b\nmsgid \"c\"\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").starts_with("t/ja.po:2"), "{err:#}");
        let err = parse(Path::new("t/ja.po"), "msgid \"a\"\nmsgstr \"b\"\nhello\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t/ja.po:3: cannot read `hello`"),
            "{err}"
        );
    }
}
