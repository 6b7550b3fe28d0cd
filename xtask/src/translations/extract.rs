//! Which parts of the lessons translators translate: every paragraph, heading, list item and code comment as a
//! message ([`source_entries`]), and the lessons rebuilt from a catalog ([`translate`]).

use super::messages;
use super::po::{Catalog, Entry};
use super::{cjk, crate_messages};
use crate::lessons::{Cell, Lesson};
use anyhow::Result;
use std::collections::HashMap;
use std::path::Path;

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
                // An exercise's code has no prose; its hint is a crate message, translated with those.
                Cell::Exercise(_) => {}
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

/// The lessons with each message replaced by its translation. A missing or fuzzy translation falls back to the
/// English text; those messages are returned so the caller can report them. In Chinese and Japanese, a line break
/// inside a paragraph is joined without a space ([`cjk::join_soft_breaks`]).
pub fn translate(lessons: &[Lesson], catalog: &Catalog) -> (Vec<Lesson>, Vec<String>) {
    let table: HashMap<&str, &Entry> = catalog
        .entries
        .iter()
        .filter(|e| e.context.is_none())
        .map(|e| (e.msgid.as_str(), e))
        .collect();
    let mut fallbacks = Vec::new();
    let join_lines = cjk::joins_lines(&catalog.language);
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
                        let text = messages::map_markdown(text, &mut lookup);
                        Cell::Markdown(if join_lines {
                            cjk::join_soft_breaks(&text)
                        } else {
                            text
                        })
                    }
                    Cell::Code(code, expect) => Cell::Code(
                        messages::map_code_comments(code, &mut lookup),
                        expect.clone(),
                    ),
                    Cell::Exercise(id) => Cell::Exercise(id.clone()),
                })
                .collect(),
            ..lesson.clone()
        })
        .collect();
    (translated, fallbacks)
}
