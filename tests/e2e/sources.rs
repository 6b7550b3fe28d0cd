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
