//! The messages blitz shows a person (errors, warnings, explanations), in the learner's language.
//!
//! The English text is in [`english`](self) (`crate/src/messages/english.rs`); the translations live in the same
//! `translations/<lang>.po` files as the lessons, and `cargo xtask translations` turns them into
//! `translated.rs`. A message not translated yet (or whose English changed since) is shown in English.
//!
//! The language is English unless a program (or the first cell of a notebook) calls [`set_language`], or else the
//! environment variable `BLITZ_LANG` names another (read once, the first time a message needs a language). The
//! choice is kept in blitz's process-wide state (`crate/src/state.rs`), which every notebook cell shares: an error
//! from a layer built before `set_language` is still shown in the language chosen last. Shapes, names and code
//! inside a message stay as they are.

mod english;
#[rustfmt::skip]
mod translated;

use crate::{Error, Result};
use std::fmt;

/// A language blitz has messages in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// English (`en`), the language the messages are written in.
    En,
    /// Japanese (`ja`).
    Ja,
    /// Traditional Chinese (`zh-TW`).
    ZhTw,
    /// Korean (`ko`).
    Ko,
    /// Simplified Chinese (`zh`).
    Zh,
}

impl Language {
    /// Every language, English first.
    pub const ALL: [Language; 5] = [
        Language::En,
        Language::Ja,
        Language::ZhTw,
        Language::Ko,
        Language::Zh,
    ];

    /// The code used in file names and `BLITZ_LANG`: `en`, `ja`, `zh-TW`, `ko`, `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ja => "ja",
            Language::ZhTw => "zh-TW",
            Language::Ko => "ko",
            Language::Zh => "zh",
        }
    }

    /// The language of a code. Case and `_`/`-` do not matter, and a region or encoding after the language is
    /// accepted where it is unambiguous (`ja_JP.UTF-8` is `ja`; `zh_TW` and `zh-Hant` are `zh-TW`).
    pub fn from_code(code: &str) -> Result<Language> {
        let normal = code
            .split('.')
            .next()
            .unwrap_or_default()
            .replace('_', "-")
            .to_lowercase();
        let found = match normal.as_str() {
            "en" | "c" | "posix" => Some(Language::En),
            "zh-tw" | "zh-hant" | "zh-hk" | "zh-hant-tw" => Some(Language::ZhTw),
            "zh" | "zh-cn" | "zh-hans" | "zh-sg" | "zh-hans-cn" => Some(Language::Zh),
            other => match other.split('-').next() {
                Some("en") => Some(Language::En),
                Some("ja") => Some(Language::Ja),
                Some("ko") => Some(Language::Ko),
                _ => None,
            },
        };
        found.ok_or_else(|| Error::UnknownLanguage {
            given: code.to_string(),
        })
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The environment variable that chooses the language of messages when no program called [`set_language`]
/// (`ja`, `zh-TW`, `ko`, `zh`, or a locale such as `ko_KR.UTF-8`). blitz only reads it, once.
pub const LANGUAGE_VAR: &str = "BLITZ_LANG";

/// Shows blitz's messages in `code`'s language from now on (`"en"`, `"ja"`, `"zh-TW"`, `"ko"`, `"zh"`), in the
/// whole process (every thread, and every notebook cell, also for values made by earlier cells).
///
/// An unknown code is an error that lists the known ones; the language then stays as it was.
pub fn set_language(code: &str) -> Result<Language> {
    let language = Language::from_code(code)?;
    crate::state::set_language(language);
    Ok(language)
}

/// The language messages are shown in: the one [`set_language`] chose last, else the one `BLITZ_LANG` (or, without
/// it, the locale: `LC_ALL`, `LC_MESSAGES`, `LANG`) named when first read, English when none names a known one.
pub fn language() -> Language {
    crate::state::language().unwrap_or(Language::En)
}

/// The template of message `key` in `language`: its translation, or the English text when there is none.
///
/// # Panics
/// If `key` is not in `english.rs`: every key the crate uses is listed there (a bug otherwise).
pub fn template(language: Language, key: &str) -> &'static str {
    let table = match language {
        Language::En => &[][..],
        Language::Ja => translated::JA,
        Language::ZhTw => translated::ZH_TW,
        Language::Ko => translated::KO,
        Language::Zh => translated::ZH,
    };
    table
        .iter()
        .chain(english::ENGLISH)
        .find(|(k, _)| *k == key)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("message `{key}` is missing from crate/src/messages/english.rs"))
}

/// Message `key` in `language`, with each `{name}` replaced by its value in `args`.
///
/// Placeholders are `{` + lowercase letters and `_` + `}`; any other brace is kept as written, so code such as
/// `vec![1, 2]` or `{ ... }` can appear in a message.
pub fn render(language: Language, key: &str, args: &[(&str, String)]) -> String {
    // Written by hand: the templates come from translation files at run time, so `format!` cannot be used, and
    // a template engine crate would be far more than named substitution needs.
    let text = template(language, key);
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let value = (name_len > 0 && after[name_len..].starts_with('}'))
            .then(|| args.iter().find(|(n, _)| *n == &after[..name_len]))
            .flatten();
        match value {
            Some((_, value)) => {
                out.push_str(value);
                rest = &after[name_len + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The keys and English templates of every message (for tools and tests).
pub fn english() -> &'static [(&'static str, &'static str)] {
    english::ENGLISH
}

/// A shape as the messages show it: `[1, 10]`.
pub(crate) fn shape(dims: &[usize]) -> String {
    format!("{dims:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let text = render(
            Language::En,
            "target-shape",
            &[
                ("loss", "MSELoss".into()),
                ("target", "[10]".into()),
                ("output", "[1, 10]".into()),
            ],
        );
        assert!(text.starts_with("MSELoss: the target has shape [10]"));
        assert!(text.contains("target.view(&[1, 10])?"));
    }

    #[test]
    fn language_codes_are_read_leniently() {
        assert_eq!(Language::from_code("ja_JP.UTF-8").unwrap(), Language::Ja);
        assert_eq!(Language::from_code("zh_TW").unwrap(), Language::ZhTw);
        assert_eq!(Language::from_code("zh-Hans").unwrap(), Language::Zh);
        assert_eq!(Language::from_code("KO").unwrap(), Language::Ko);
        let error = Language::from_code("fr").unwrap_err();
        assert!(error.to_string().contains("`fr`"));
    }

    #[test]
    fn every_key_is_listed_once() {
        let mut keys: Vec<&str> = english().iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let count = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), count, "a key appears twice in english.rs");
    }
}
