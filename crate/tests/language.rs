//! The process-wide message language: `BLITZ_LANG`, read once, then `set_language` (called by a notebook's first
//! cell). The test runs itself again as a child process with `BLITZ_LANG` set (blitz never writes the environment,
//! and neither does this test), because the language is shared by the whole process.

use blitz::prelude::*;
use blitz::{messages, Language};
use std::process::Command;

/// Set in the child run: the checks run there, where the environment names Korean from the start.
const CHILD: &str = "BLITZ_LANGUAGE_TEST_CHILD";
const TEST: &str = "the_environment_then_set_language_choose_the_language_of_messages";

#[test]
fn the_environment_then_set_language_choose_the_language_of_messages() {
    if std::env::var_os(CHILD).is_none() {
        run_in_child(TEST, CHILD, &[("BLITZ_LANG", Some("ko_KR.UTF-8"))]);
        return;
    }

    // The user's environment decides until a program chooses.
    assert_eq!(messages::language(), Language::Ko);
    let net = Net::new().unwrap();
    let error = net
        .forward(&Tensor::randn(&[1, 32, 32]).unwrap())
        .unwrap_err();
    assert_eq!(error.to_string(), error.message_in(Language::Ko));
    assert!(error.to_string().contains("미니배치"), "{error}");

    // A notebook's first cell switches it, for every thread.
    assert_eq!(set_language("ja").unwrap(), Language::Ja);
    assert_eq!(error.to_string(), error.message_in(Language::Ja));
    assert!(format!("{:?}", net.conv1.bias.grad()).contains("conv1.bias にはまだ勾配がありません"));
    assert_eq!(
        std::thread::spawn(messages::language).join().unwrap(),
        Language::Ja
    );

    // An unknown language is refused, says which exist (in the current language), and changes nothing.
    let refused = set_language("fr").unwrap_err();
    assert_eq!(refused.code(), "unknown-language");
    assert!(
        refused.to_string().contains("en, ja, zh-TW, ko, zh"),
        "{refused}"
    );
    assert_eq!(messages::language(), Language::Ja);

    set_language("en").unwrap();
    assert!(error
        .to_string()
        .starts_with("conv1 (conv2d) expects a mini-batch"));
    // The environment is not read again: it still names Korean, and English stays.
    assert_eq!(messages::language(), Language::En);
}

/// Set in the child run of the locale test.
const LOCALE_CHILD: &str = "BLITZ_LOCALE_TEST_CHILD";
const LOCALE_TEST: &str = "without_blitz_lang_the_locale_chooses";

#[test]
fn without_blitz_lang_the_locale_chooses() {
    if std::env::var_os(LOCALE_CHILD).is_none() {
        let locale = [
            ("BLITZ_LANG", None),
            ("LC_ALL", None),
            ("LC_MESSAGES", None),
            ("LANG", Some("zh_TW.UTF-8")),
        ];
        run_in_child(LOCALE_TEST, LOCALE_CHILD, &locale);
        return;
    }
    // A learner whose system speaks Traditional Chinese gets blitz's messages in it, `cargo test` included.
    assert_eq!(messages::language(), Language::ZhTw);
}

/// Runs test `test` of this binary again in a child process with `marker` set and the environment changed as
/// given (`None` removes a variable), and fails unless it passed there: the language is chosen once per process.
fn run_in_child(test: &str, marker: &str, environment: &[(&str, Option<&str>)]) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(marker, "1");
    for (name, value) in environment {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the child run of {test} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
