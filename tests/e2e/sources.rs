//! The generated files match their sources: every notebook is what `lessons/` and `translations/` make, and
//! every started translation is complete and follows its glossary.

#[test]
fn notebooks_match_the_lessons_and_translations() {
    if let Err(e) = xtask::notebooks::generate(true, false) {
        panic!("{e:#}");
    }
}

#[test]
fn translations_are_complete() {
    if let Err(e) = xtask::translations::check_all() {
        panic!("{e:#}");
    }
}

/// Markdown turns a line break inside a paragraph into a space: in Japanese and Chinese notebooks no paragraph
/// may keep one between two CJK characters (or after CJK punctuation), or the learner sees a gap mid-sentence.
#[test]
fn cjk_paragraphs_have_no_stray_spaces() {
    let mut affected = Vec::new();
    for notebook in xtask::notebooks::all().unwrap() {
        let lang = notebook
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        if !xtask::translations::cjk::joins_lines(lang) {
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&notebook).unwrap()).unwrap();
        for (i, cell) in json["cells"].as_array().unwrap().iter().enumerate() {
            if cell["cell_type"] != "markdown" {
                continue;
            }
            let text: String = cell["source"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            for paragraph in text.split("\n\n") {
                if xtask::translations::cjk::stray_breaks(paragraph) > 0 {
                    affected.push(format!(
                        "{} cell {i}: {}",
                        notebook.display(),
                        paragraph.chars().take(40).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(
        affected.is_empty(),
        "{} paragraph(s) show a stray space between CJK characters (run `cargo xtask notebooks`):\n{}",
        affected.len(),
        affected.join("\n")
    );
}
