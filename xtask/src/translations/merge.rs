//! msgmerge in Rust: a catalog brought up to date with the current English, keeping every translation and what
//! a translator's editor wrote (header, comments, flags, obsolete entries).

use super::po::{Catalog, Entry};
use std::collections::{HashMap, HashSet};

/// What identifies a message: its context (a crate message's key) and its English.
pub(super) fn id(e: &Entry) -> (Option<&str>, &str) {
    (e.context.as_deref(), e.msgid.as_str())
}

/// msgmerge: the catalog for `lang` with the current messages (`current`, from [`all_entries`]). A message whose English is unchanged
/// keeps its translation; one whose English changed takes the translation of the most similar old message,
/// marked fuzzy with the old context and English kept as `#| msgctxt` and `#| msgid`; a new message is left
/// untranslated. A crate message keeps its key when its English changes, so its old translation is found by key.
/// What a translator's editor wrote is carried over: the header, translator comments, flags, and how each string
/// was split into pieces. A translated message that is gone becomes obsolete (`#~`, at the end of the file)
/// unless its translation went to a changed message; an obsolete message whose English comes back is revived.
pub fn merge(current: &[Entry], old: &Catalog, lang: &str) -> Catalog {
    let kept: HashMap<(Option<&str>, &str), &Entry> =
        old.entries.iter().map(|e| (id(e), e)).collect();
    let revivable: HashMap<(Option<&str>, &str), &Entry> =
        old.obsolete.iter().map(|e| (id(e), e)).collect();
    let wanted: HashSet<(Option<&str>, &str)> = current.iter().map(id).collect();
    let mut orphans: Vec<&Entry> = old
        .entries
        .iter()
        .filter(|e| e.is_translated() && !wanted.contains(&id(e)))
        .collect();
    let entries = current
        .iter()
        .cloned()
        .map(|mut entry| {
            if let Some(&old) = kept.get(&id(&entry)).or_else(|| revivable.get(&id(&entry))) {
                carry(&mut entry, old);
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
                    carry(&mut entry, old);
                    entry.fuzzy = true;
                    if old.previous.is_none() {
                        entry.previous_context = old.context.clone();
                        entry.previous = Some(old.msgid.clone());
                        entry.previous_plural = old.msgid_plural.clone();
                    }
                }
            }
            entry
        })
        .collect();
    // Gone messages become obsolete before the ones already obsolete, as msgmerge writes them.
    let mut obsolete: Vec<Entry> = orphans
        .into_iter()
        .map(|o| Entry {
            references: Vec::new(),
            notes: Vec::new(),
            ..o.clone()
        })
        .collect();
    for o in &old.obsolete {
        if !wanted.contains(&id(o)) && !obsolete.iter().any(|e| id(e) == id(o)) {
            obsolete.push(o.clone());
        }
    }
    Catalog {
        language: lang.to_string(),
        header: old.header.clone(),
        entries,
        obsolete,
    }
}

/// Gives a current message what its old entry holds beyond the English: the translation, the translator's
/// comments, flags (the current message's own flags added), fuzzy state, previous English, and layout.
fn carry(entry: &mut Entry, old: &Entry) {
    entry.msgstr = old.msgstr.clone();
    entry.msgstr_plural = if entry.msgid_plural.is_some() {
        old.msgstr_plural.clone()
    } else {
        Vec::new()
    };
    entry.comments = old.comments.clone();
    let mut flags = old.flags.clone();
    flags.extend(
        entry
            .flags
            .iter()
            .filter(|f| !old.flags.contains(f))
            .cloned(),
    );
    entry.flags = flags;
    entry.fuzzy = old.fuzzy;
    entry.previous_context = old.previous_context.clone();
    entry.previous = old.previous.clone();
    entry.previous_plural = old.previous_plural.clone();
    entry.layout = old.layout.clone();
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
