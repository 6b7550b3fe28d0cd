//! `cargo xtask book`: the course as a book, with the outputs the kernel really produced, for readers without
//! Jupyter: one static mdBook site per language under `target/book/<lang>/`.
//!
//! 1. Every notebook of `notebooks/<lang>/` is executed with the kernel runner, or taken from the cache when
//!    neither it nor the crate changed ([`execute`]).
//! 2. Each executed notebook becomes a chapter: prose, code, outputs ([`markdown`]). Cells whose `metadata.blitz`
//!    has `solution` or `hidden` are never rendered.
//! 3. mdBook builds one book per language ([`site`]), with its table of contents, Rust highlighting and, on every
//!    page, a language picker leading to the same chapter in the other languages (`xtask/assets/book/blitz.js`);
//!    `target/book/index.html` lists the languages. Math is MathML made at build time ([`math`]); the search
//!    index learns CJK words ([`search`]). Nothing on a page is fetched from the network.
//! 4. Headless Chromium prints each book's `print.html` to `target/book/blitz-<lang>.pdf` ([`pdf`]).
//!
//! Everything is built in a staging folder beside `target/book/` and moved into place only when all of it
//! succeeded, so a failed build leaves the last good book as it was. New lessons, languages and exercises are
//! picked up from `notebooks/` without a change here.

pub mod execute;
pub mod markdown;
pub mod math;
pub mod pdf;
pub mod search;
pub mod site;

use crate::{layout, notebooks};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A language of the book: its code (the folder name in `notebooks/` and `target/book/`) and the words the
/// book's own parts use in it.
#[derive(Debug, Clone)]
pub struct Language {
    /// The language code, e.g. `zh-TW`.
    pub code: String,
    /// The language's name in itself, for the language picker.
    pub name: String,
    /// The book's title.
    pub title: &'static str,
    /// The label of an exercise's starting code.
    pub exercise: &'static str,
    /// The label of a folded hint.
    pub hint: &'static str,
    /// The alternative text of a picture a cell showed.
    pub output: &'static str,
}

/// The course's languages in the order the picker lists them: code, name, title, exercise, hint, output.
const KNOWN: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "en",
        "English",
        "blitz: neural networks in Rust",
        "Exercise",
        "Hint",
        "Output",
    ),
    (
        "ja",
        "日本語",
        "blitz: Rust で学ぶニューラルネットワーク",
        "演習",
        "ヒント",
        "出力",
    ),
    (
        "zh-TW",
        "繁體中文",
        "blitz：用 Rust 認識神經網路",
        "練習",
        "提示",
        "輸出",
    ),
    (
        "ko",
        "한국어",
        "blitz: Rust로 배우는 신경망",
        "연습 문제",
        "힌트",
        "출력",
    ),
    (
        "zh",
        "简体中文",
        "blitz：用 Rust 学习神经网络",
        "练习",
        "提示",
        "输出",
    ),
];

/// The language with code `code`; a language the table does not know yet gets its code as its name and the
/// English words.
pub fn language(code: &str) -> Language {
    let known = KNOWN.iter().find(|k| k.0 == code);
    let (_, name, title, exercise, hint, output) = *known.unwrap_or(&KNOWN[0]);
    Language {
        code: code.to_string(),
        name: if known.is_some() {
            name.to_string()
        } else {
            code.to_string()
        },
        title,
        exercise,
        hint,
        output,
    }
}

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only these languages (codes); all of `notebooks/` when empty.
    pub languages: Vec<String>,
    /// Where the site goes (replaced whole on success).
    pub out: PathBuf,
    /// Print a PDF of each language's book beside the folders (`blitz-<lang>.pdf`).
    pub pdf: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            languages: Vec::new(),
            out: layout::book_dir(),
            pdf: true,
        }
    }
}

/// One language's book as built.
#[derive(Debug, Clone)]
pub struct BuiltLanguage {
    /// The language.
    pub language: Language,
    /// Its folder in the site, e.g. `target/book/ja`.
    pub dir: PathBuf,
    /// Its chapters, in order: (notebook, executed copy, chapter).
    pub chapters: Vec<(PathBuf, PathBuf, markdown::Chapter)>,
    /// Its PDF, if printed.
    pub pdf: Option<PathBuf>,
}

/// The book as built.
#[derive(Debug, Clone)]
pub struct Built {
    /// The site's folder.
    pub out: PathBuf,
    /// Each language's book.
    pub languages: Vec<BuiltLanguage>,
}

/// `cargo xtask book`: builds the book and says where it is.
pub fn command(options: &Options) -> Result<()> {
    let start = Instant::now();
    let built = build(options)?;
    let root = layout::repo_root();
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    eprintln!(
        "==> book: {} language(s) in {:.1} s",
        built.languages.len(),
        start.elapsed().as_secs_f64()
    );
    for lang in &built.languages {
        eprintln!(
            "    {:<6} {} chapter(s): {}",
            lang.language.code,
            lang.chapters.len(),
            shown(&lang.dir.join("index.html"))
        );
        if let Some(pdf) = &lang.pdf {
            eprintln!("           PDF: {}", shown(pdf));
        }
    }
    Ok(())
}

/// The notebooks of each language, in the picker's order (known languages first, then others by code).
pub fn notebooks_by_language(only: &[String]) -> Result<Vec<(Language, Vec<PathBuf>)>> {
    let mut by_code: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for notebook in notebooks::all()? {
        let code = notebook
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if only.is_empty() || only.contains(&code) {
            by_code.entry(code).or_default().push(notebook);
        }
    }
    for code in only {
        if !by_code.contains_key(code) {
            bail!("there are no notebooks in notebooks/{code}/ (languages: en, ja, zh-TW, ko, zh)");
        }
    }
    let rank = |code: &str| {
        KNOWN
            .iter()
            .position(|k| k.0 == code)
            .unwrap_or(KNOWN.len())
    };
    let mut out: Vec<(Language, Vec<PathBuf>)> = by_code
        .into_iter()
        .map(|(code, notebooks)| (language(&code), notebooks))
        .collect();
    out.sort_by(|a, b| (rank(&a.0.code), &a.0.code).cmp(&(rank(&b.0.code), &b.0.code)));
    Ok(out)
}

/// Builds the book: executes what is not cached, renders every language, and replaces `options.out` with the
/// result only if everything succeeded.
pub fn build(options: &Options) -> Result<Built> {
    let root = layout::repo_root();
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let languages = notebooks_by_language(&options.languages)?;
    let all: Vec<PathBuf> = languages.iter().flat_map(|(_, n)| n.clone()).collect();

    eprintln!("==> book: {} notebook(s) to show", all.len());
    let start = Instant::now();
    let executed = execute::executed(&all)?;
    eprintln!(
        "    executed notebooks ready in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let mut executed = executed.into_iter();

    let mut books: Vec<(Language, Vec<markdown::Chapter>)> = Vec::new();
    let mut built = Vec::new();
    for (language, notebooks) in &languages {
        let mut chapters = Vec::new();
        for notebook in notebooks {
            let copy = executed.next().expect("one executed copy per notebook");
            let value = execute::read(&copy, notebook)?;
            let stem = notebook
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let chapter = markdown::chapter(&value, &stem, language, &shown(notebook))?;
            chapters.push((notebook.clone(), copy, chapter));
        }
        books.push((
            language.clone(),
            chapters.iter().map(|c| c.2.clone()).collect(),
        ));
        built.push(BuiltLanguage {
            language: language.clone(),
            dir: options.out.join(&language.code),
            chapters,
            pdf: options
                .pdf
                .then(|| options.out.join(pdf::file_name(&language.code))),
        });
    }

    let mdbook = site::ensure_mdbook()?;
    if options.pdf {
        pdf::ensure_tools()?;
    }
    let staging = Staging::new(&options.out)?;
    for (language, chapters) in &books {
        let sources = staging.sources.join(&language.code);
        let pdf_name = pdf::file_name(&language.code);
        let picker = site::picker_data(
            &language.code,
            &books,
            options.pdf.then_some(pdf_name.as_str()),
        );
        site::write_sources(&sources, language, chapters, &picker)?;
        let dir = staging.site.join(&language.code);
        site::build(&mdbook, &sources, &dir, language)?;
        search::add_cjk(&dir)?;
        if options.pdf {
            pdf::print(
                &dir.join("print.html"),
                &staging.site.join(&pdf_name),
                language,
            )?;
        }
    }
    let front = staging.site.join("index.html");
    fs::write(&front, site::front_page(&books, options.pdf))
        .with_context(|| format!("cannot write {}", front.display()))?;
    staging.publish()?;
    eprintln!("    book written to {}", shown(&options.out));
    Ok(Built {
        out: options.out.clone(),
        languages: built,
    })
}

/// The folders a build writes into before it is published: the site and the mdBook sources, beside the
/// final folder (same file system, so publishing is a rename). Removed when dropped.
struct Staging {
    out: PathBuf,
    site: PathBuf,
    sources: PathBuf,
}

impl Staging {
    fn new(out: &Path) -> Result<Self> {
        let parent = out
            .parent()
            .context("the book's folder has no parent")?
            .to_path_buf();
        let name = out
            .file_name()
            .context("the book's folder has no name")?
            .to_string_lossy()
            .to_string();
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_abandoned(&parent, &name);
        let pid = std::process::id();
        let staging = Self {
            out: out.to_path_buf(),
            site: parent.join(format!("{name}.staging-{pid}")),
            sources: parent.join(format!("{name}.sources-{pid}")),
        };
        for dir in [&staging.site, &staging.sources] {
            let _ = fs::remove_dir_all(dir);
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(staging)
    }

    /// Moves the staged site into place: the old site is renamed away, the new one renamed in, the old removed.
    fn publish(&self) -> Result<()> {
        let old = self
            .out
            .with_extension(format!("old-{}", std::process::id()));
        if self.out.exists() {
            fs::rename(&self.out, &old).with_context(|| {
                format!("cannot move the previous book {} aside", self.out.display())
            })?;
        }
        if let Err(e) = fs::rename(&self.site, &self.out) {
            // Put the last good book back before saying what went wrong.
            let _ = fs::rename(&old, &self.out);
            return Err(e)
                .with_context(|| format!("cannot move the new book to {}", self.out.display()));
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.site);
        let _ = fs::remove_dir_all(&self.sources);
    }
}

/// Removes staging folders left by builds that were killed (their process is gone; known only where `/proc` is).
fn remove_abandoned(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let pid = [".staging-", ".sources-", ".old-"]
            .iter()
            .find_map(|tag| file.strip_prefix(&format!("{name}{tag}")));
        if let Some(pid) = pid {
            if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_build_leaves_the_last_good_book_and_a_good_one_replaces_it() {
        let dir = std::env::temp_dir().join(format!("blitz-staging-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let out = dir.join("book");
        fs::create_dir_all(out.join("en")).unwrap();
        fs::write(out.join("en/index.html"), "last good").unwrap();
        {
            // A build that fails half-way: its staging folder is dropped without being published.
            let staging = Staging::new(&out).unwrap();
            fs::create_dir_all(staging.site.join("en")).unwrap();
            fs::write(staging.site.join("en/index.html"), "half").unwrap();
        }
        assert_eq!(
            fs::read_to_string(out.join("en/index.html")).unwrap(),
            "last good"
        );
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders removed");
        {
            let staging = Staging::new(&out).unwrap();
            fs::create_dir_all(staging.site.join("ja")).unwrap();
            fs::write(staging.site.join("ja/index.html"), "new").unwrap();
            staging.publish().unwrap();
        }
        assert_eq!(
            fs::read_to_string(out.join("ja/index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("en").exists(), "the old book is replaced whole");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unknown_language_gets_its_code_as_its_name_and_english_words() {
        let fr = language("fr");
        assert_eq!((fr.name.as_str(), fr.hint), ("fr", "Hint"));
        assert_eq!(language("ja").name, "日本語");
    }
}
