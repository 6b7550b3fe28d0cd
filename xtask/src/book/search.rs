//! Search that finds Japanese, Chinese and Korean words.
//!
//! mdBook's search index (elasticlunr) splits text at spaces and hyphens and then trims every character that is
//! not an ASCII letter, digit or `_` from both ends of each piece, at build time (elasticlunr-rs) as in the
//! browser (elasticlunr.js). A Japanese or Chinese sentence has no spaces, and a Korean word is all Hangul, so
//! none of them is in the index and no CJK query finds anything.
//!
//! The fix, done to each language's `searchindex.js` after mdBook wrote it (mdBook has no hook for its
//! tokenizer, and its index format is plain JSON):
//! - the index: every run of CJK characters (Han, kana, Hangul) in a section's title, text and breadcrumbs is
//!   added as overlapping two-character pieces (勾配を計算 → 勾配, 配を, を計, 計算) plus its last character,
//!   with the same term-frequency weighting elasticlunr gives words, as the CJK analyzers of search engines do;
//! - the query: `cjk-search.js`, put in front of the index in the same file (so it runs before the index is
//!   loaded, whatever the page), cuts CJK runs of the query the same way and keeps CJK pieces through
//!   elasticlunr's trimmer; with mdBook's "all words must match" setting (`use-boolean-and`), a section is found
//!   when it holds every piece of the term, i.e. the term itself in all practical cases. A single character
//!   finds the pieces it begins (mdBook expands query words as prefixes).
//!
//! It also shortens a CJK result's teaser around the term: mdBook cuts teasers at spaces.

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The script that teaches elasticlunr.js CJK queries, put in front of the index.
const QUERY_JS: &str = include_str!("../../assets/book/cjk-search.js");

const PREFIX: &str = "window.search = Object.assign(window.search, JSON.parse('";
const SUFFIX: &str = "'));";

/// Whether a character is written without spaces between words in CJK text (or, for Hangul, agglutinated):
/// Han ideographs, kana, Hangul and the prolonged sound mark.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana (with ー)
        | 0x31F0..=0x31FF    // katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width katakana
        | 0x1100..=0x11FF    // Hangul jamo
        | 0x3130..=0x318F    // Hangul compatibility jamo
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x2FFFF) // CJK extensions B and later
}

/// The index terms of a text's CJK runs: each run's overlapping two-character pieces and its last character
/// (a one-character run is itself), lower-cased as elasticlunr lower-cases.
pub fn cjk_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut flush = |run: &mut Vec<char>| {
        for pair in run.windows(2) {
            terms.push(pair.iter().collect());
        }
        if let Some(last) = run.last() {
            terms.push(last.to_string());
        }
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            run.extend(c.to_lowercase());
        } else {
            flush(&mut run);
        }
    }
    flush(&mut run);
    terms
}

/// Whether a character is Han or kana: text written without spaces between words (Hangul is not: Korean has
/// spaces between words).
fn is_ideographic(c: char) -> bool {
    is_cjk(c) && !matches!(c as u32, 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF)
}

/// The text without the space mdBook's indexer puts wherever an element starts (`と<em>足し` is stored as
/// `と 足し`) when it falls between two Han or kana characters, where the page has none.
pub fn join_spaced_ideographs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = c == ' '
            && i > 0
            && chars.get(i + 1).is_some_and(|&n| is_ideographic(n))
            && is_ideographic(chars[i - 1]);
        if !between {
            out.push(c);
        }
    }
    out
}

/// Adds CJK terms to the search index of the book in `dir` (its `searchindex.js`) and puts the query script in
/// front of it. A book without CJK text gets the script only (a reader may still type CJK).
pub fn add_cjk(dir: &Path) -> Result<()> {
    let path = dir.join("searchindex.js");
    let text = fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (mdBook's search index; is search enabled?)",
            path.display()
        )
    })?;
    let (before, quoted) = text
        .split_once(PREFIX)
        .with_context(|| format!("{} is not in the form mdBook 0.5 writes", path.display()))?;
    let quoted = quoted
        .trim_end()
        .strip_suffix(SUFFIX)
        .with_context(|| format!("{} does not end as mdBook 0.5 writes", path.display()))?;
    if !before.trim().is_empty() {
        bail!("{} was already changed", path.display());
    }
    let mut index: Value = serde_json::from_str(&unquote(quoted))
        .with_context(|| format!("the index in {} is not JSON", path.display()))?;
    add_terms(&mut index)
        .with_context(|| format!("the index in {} is not elasticlunr's", path.display()))?;
    let json = serde_json::to_string(&index)?;
    let out = format!("{QUERY_JS}\n{PREFIX}{}{SUFFIX}\n", quote(&json));
    fs::write(&path, out).with_context(|| format!("cannot write {}", path.display()))
}

/// The text of mdBook's single-quoted JS string (it escapes `\` and `'` with a backslash).
fn unquote(quoted: &str) -> String {
    let mut out = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The inverse of [`unquote`].
fn quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\'', "\\'")
}

/// Adds the CJK terms of every stored document to the inverted index of each field, as elasticlunr's
/// `addDoc` would have: term frequency `sqrt(count)`, document frequency per term, field length.
fn add_terms(search: &mut Value) -> Result<()> {
    let index = search
        .get_mut("index")
        .context("no \"index\" in the search data")?;
    let docs = index["documentStore"]["docs"]
        .as_object()
        .context("no stored documents (documentStore.docs)")?
        .clone();
    let fields: Vec<String> = index["fields"]
        .as_array()
        .context("no \"fields\"")?
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    for (reference, doc) in &docs {
        for field in &fields {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            let terms = cjk_terms(&join_spaced_ideographs(doc[field].as_str().unwrap_or("")));
            if terms.is_empty() {
                continue;
            }
            for term in &terms {
                *counts.entry(term.clone()).or_default() += 1;
            }
            let root = index["index"][field]["root"]
                .as_object_mut()
                .with_context(|| format!("no inverted index for the field {field}"))?;
            for (term, count) in counts {
                add_token(root, &term, reference, (count as f64).sqrt());
            }
            let length = &mut index["documentStore"]["docInfo"][reference][field];
            *length = json!(length.as_u64().unwrap_or(0) + terms.len() as u64);
        }
    }
    Ok(())
}

/// Puts a term into elasticlunr's character tree: one node per character, the documents at the last.
fn add_token(root: &mut Map<String, Value>, term: &str, reference: &str, tf: f64) {
    let mut node = root;
    for c in term.chars() {
        let child = node
            .entry(c.to_string())
            .or_insert_with(|| json!({"docs": {}, "df": 0}));
        node = child.as_object_mut().expect("an index node is an object");
    }
    let docs = node
        .entry("docs")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("docs is an object");
    docs.insert(reference.to_string(), json!({"tf": tf}));
    let df = docs.len();
    node.insert("df".into(), json!(df));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_runs_become_overlapping_pairs() {
        assert_eq!(
            cjk_terms("勾配を計算 (grad) 梯度"),
            ["勾配", "配を", "を計", "計算", "算", "梯度", "度"]
        );
        assert_eq!(
            cjk_terms("기울기를 a 값"),
            ["기울", "울기", "기를", "를", "값"]
        );
        assert!(cjk_terms("English only").is_empty());
    }

    #[test]
    fn the_indexer_s_space_between_ideographs_is_removed_and_korean_spaces_kept() {
        assert_eq!(
            join_spaced_ideographs("行うと 足し合わ a b"),
            "行うと足し合わ a b"
        );
        assert_eq!(join_spaced_ideographs("기울기를 계산"), "기울기를 계산");
    }

    #[test]
    fn the_index_gains_the_terms_and_stays_in_mdbook_s_form() {
        let dir = std::env::temp_dir().join(format!("blitz-search-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let data = json!({
            "doc_urls": ["a.html#x"],
            "index": {
                "fields": ["title", "body", "breadcrumbs"],
                "index": {
                    "title": {"root": {"docs": {}, "df": 0}},
                    "body": {"root": {"docs": {}, "df": 0}},
                    "breadcrumbs": {"root": {"docs": {}, "df": 0}}
                },
                "documentStore": {
                    "docs": {"0": {"title": "逆伝播", "body": "勾配を計算する。It's", "breadcrumbs": "x"}},
                    "docInfo": {"0": {"title": 0, "body": 1, "breadcrumbs": 1}}
                }
            }
        });
        let json = serde_json::to_string(&data).unwrap();
        fs::write(
            dir.join("searchindex.js"),
            format!("{PREFIX}{}{SUFFIX}", quote(&json)),
        )
        .unwrap();
        add_cjk(&dir).unwrap();
        let text = fs::read_to_string(dir.join("searchindex.js")).unwrap();
        assert!(text.starts_with(QUERY_JS));
        let quoted = text.split_once(PREFIX).unwrap().1.trim_end();
        let index: Value =
            serde_json::from_str(&unquote(quoted.strip_suffix(SUFFIX).unwrap())).unwrap();
        let body = &index["index"]["index"]["body"]["root"];
        assert_eq!(body["勾"]["配"]["docs"]["0"]["tf"], json!(1.0));
        assert_eq!(body["勾"]["配"]["df"], json!(1));
        assert_eq!(
            index["index"]["index"]["title"]["root"]["逆"]["伝"]["df"],
            json!(1)
        );
        // 勾配 配を を計 計算 算する... : the body's length grows by its CJK terms.
        assert_eq!(
            index["index"]["documentStore"]["docInfo"]["0"]["body"],
            json!(1 + 7)
        );
        assert_eq!(
            index["index"]["documentStore"]["docs"]["0"]["body"],
            json!("勾配を計算する。It's")
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
