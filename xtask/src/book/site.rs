//! One mdBook book per language: the pinned `mdbook` binary (installed once under `~/.cache/blitz/tools/`), the
//! book's sources (`book.toml`, `SUMMARY.md`, the chapters and their pictures, the theme's additions) and the
//! build into the staging folder.

use super::markdown::escape;
use super::markdown::Chapter;
use super::Language;
use crate::layout;
use crate::process::{cargo, run_step};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The mdBook version the book is built with (`cargo install --locked`, so its dependencies are pinned too).
pub const MDBOOK_VERSION: &str = "0.5.4";

/// The pinned `mdbook` binary.
pub fn mdbook_binary() -> PathBuf {
    layout::tools_dir().join("bin/mdbook")
}

/// Installs mdBook `MDBOOK_VERSION` under `~/.cache/blitz/tools/` unless that exact version is there (a few
/// minutes, once per machine); returns the binary.
pub fn ensure_mdbook() -> Result<PathBuf> {
    let binary = mdbook_binary();
    let installed = Command::new(&binary)
        .arg("--version")
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout).trim() == format!("mdbook v{MDBOOK_VERSION}")
        });
    if installed {
        return Ok(binary);
    }
    let root = layout::tools_dir();
    let root_arg = root.to_string_lossy().to_string();
    let install = cargo(&[
        "install",
        "mdbook",
        "--version",
        MDBOOK_VERSION,
        "--locked",
        "--no-default-features",
        "--features",
        "search",
        "--root",
        &root_arg,
    ]);
    run_step(
        &format!("cargo install mdbook {MDBOOK_VERSION} (once, into {root_arg})"),
        install,
    )?;
    if !binary.is_file() {
        bail!(
            "cargo install mdbook finished but {} is missing",
            binary.display()
        );
    }
    Ok(binary)
}

/// Files every language's book carries besides its chapters: (path beside `book.toml`, contents).
pub fn theme_files() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("blitz.css", include_bytes!("../../assets/book/blitz.css")),
        ("blitz.js", include_bytes!("../../assets/book/blitz.js")),
        (
            "math/math.css",
            include_bytes!("../../assets/book/math/math.css"),
        ),
    ]
}

/// Files the theme's stylesheets use, put in `src/` (mdBook copies only the listed `additional-css` files, but
/// every file of `src/`), at the path the stylesheet names relative to itself.
pub fn theme_src_files() -> Vec<(&'static str, &'static [u8])> {
    vec![(
        "math/latinmodern-math.woff2",
        include_bytes!("../../assets/book/math/latinmodern-math.woff2"),
    )]
}

/// Writes a language's mdBook sources into `dir`: `book.toml`, `src/SUMMARY.md`, the chapters, their pictures,
/// the theme's files and the language picker's data (`picker`, see [`picker_data`]).
pub fn write_sources(
    dir: &Path,
    language: &Language,
    chapters: &[Chapter],
    picker: &str,
) -> Result<()> {
    let src = dir.join("src");
    fs::create_dir_all(&src).with_context(|| format!("cannot create {}", src.display()))?;
    write(&dir.join("book.toml"), book_toml(language).as_bytes())?;
    write(&dir.join("blitz-book.js"), picker.as_bytes())?;
    write(&src.join("SUMMARY.md"), summary(chapters).as_bytes())?;
    for chapter in chapters {
        write(&src.join(&chapter.file), chapter.markdown.as_bytes())?;
        for (path, bytes) in &chapter.assets {
            write(&src.join(path), bytes)?;
        }
    }
    // mdBook reads `additional-css`/`-js` relative to the book's root and copies them to the same place.
    for (path, bytes) in theme_files() {
        write(&dir.join(path), bytes)?;
    }
    for (path, bytes) in theme_src_files() {
        write(&src.join(path), bytes)?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// The book's settings: its title and language, Rust highlighting without the playground's buttons (they call a
/// remote service), no MathJax (it comes from a CDN; math is MathML here), plain file names.
fn book_toml(language: &Language) -> String {
    format!(
        "[book]\n\
         title = {title}\n\
         language = {code}\n\
         src = \"src\"\n\
         \n\
         [build]\n\
         create-missing = false\n\
         \n\
         [rust]\n\
         edition = \"2021\"\n\
         \n\
         [output.html]\n\
         mathjax-support = false\n\
         hash-files = false\n\
         additional-css = [\"blitz.css\", \"math/math.css\"]\n\
         additional-js = [\"blitz-book.js\", \"blitz.js\"]\n\
         \n\
         [output.html.playground]\n\
         runnable = false\n\
         editable = false\n\
         copyable = true\n\
         \n\
         [output.html.print]\n\
         enable = true\n\
         \n\
         [output.html.search]\n\
         enable = true\n\
         use-boolean-and = true\n",
        title = toml_string(language.title),
        code = toml_string(&language.code),
    )
}

/// The table of contents: every chapter, in file-name order, titled by its first heading.
fn summary(chapters: &[Chapter]) -> String {
    let mut out = String::from("# Summary\n\n");
    for chapter in chapters {
        out += &format!(
            "- [{}]({})\n",
            chapter.title.replace('[', "\\[").replace(']', "\\]"),
            chapter.file
        );
    }
    out
}

/// The language picker's data for the book in `current` (`blitz-book.js`, read by `blitz.js`): every language
/// with its name and pages, and the PDF beside the books if there is one.
pub fn picker_data(current: &str, books: &[(Language, Vec<Chapter>)], pdf: Option<&str>) -> String {
    let languages: Vec<serde_json::Value> = books
        .iter()
        .map(|(language, chapters)| {
            let mut pages = vec!["index.html".to_string(), "print.html".to_string()];
            pages.extend(chapters.iter().map(Chapter::html_file));
            serde_json::json!({"code": language.code, "name": language.name, "pages": pages})
        })
        .collect();
    let data = serde_json::json!({"lang": current, "languages": languages, "pdf": pdf});
    format!("window.BLITZ_BOOK = {data};\n")
}

/// The site's front page (`target/book/index.html`): each language's book, by its name in that language.
pub fn front_page(books: &[(Language, Vec<Chapter>)], pdfs: bool) -> String {
    let mut items = String::new();
    for (language, _) in books {
        let code = escape(&language.code);
        let pdf = if pdfs {
            format!(" · <a href=\"blitz-{code}.pdf\">PDF</a>")
        } else {
            String::new()
        };
        items += &format!(
            "<li lang=\"{code}\"><a href=\"{code}/index.html\" hreflang=\"{code}\">{}</a> — {}{pdf}</li>\n",
            escape(&language.name),
            escape(language.title)
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>blitz</title>\n\
         <style>body {{ font-family: sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em; line-height: 1.8; }}\n\
         li:lang(ja) {{ font-family: \"Noto Sans CJK JP\", sans-serif; }} li:lang(zh-TW) {{ font-family: \"Noto Sans CJK TC\", sans-serif; }}\n\
         li:lang(zh) {{ font-family: \"Noto Sans CJK SC\", sans-serif; }} li:lang(ko) {{ font-family: \"Noto Sans CJK KR\", sans-serif; }}</style>\n\
         </head>\n<body>\n<h1>blitz</h1>\n<p>PyTorch’s “Neural Networks” lesson in Rust, with the outputs the kernel produced.</p>\n\
         <ul>\n{items}</ul>\n</body>\n</html>\n"
    )
}

/// Runs `mdbook build` on the sources in `dir`, writing the HTML book into `out`.
pub fn build(mdbook: &Path, dir: &Path, out: &Path, language: &Language) -> Result<()> {
    let mut cmd = Command::new(mdbook);
    cmd.arg("build").arg(dir).arg("--dest-dir").arg(out);
    run_step(&format!("mdbook build ({})", language.code), cmd).with_context(|| {
        format!(
            "mdBook could not build the {} book from {}",
            language.code,
            dir.display()
        )
    })
}
