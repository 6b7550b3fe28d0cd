//! msgmerge in Rust: a catalog brought up to date with the current English, keeping every translation.

use super::po::{Catalog, Entry};
use std::collections::HashMap;

/// What identifies a message: its context (a crate message's key) and its English.
pub(super) fn id(e: &Entry) -> (Option<&str>, &str) {
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
