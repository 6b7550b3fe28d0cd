//! The process-wide message language: `BLITZ_LANG`, which `set_language` (called by a notebook's first cell) sets.
//! One test, in its own process, because the language is shared by the whole process.

use blitz::prelude::*;
use blitz::{messages, Language};

#[test]
fn the_environment_then_set_language_choose_the_language_of_messages() {
    // The user's environment decides until a program chooses.
    std::env::set_var("BLITZ_LANG", "ko_KR.UTF-8");
    assert_eq!(messages::language(), Language::Ko);
    let net = Net::new().unwrap();
    let error = net
        .forward(&Tensor::randn(&[1, 32, 32]).unwrap())
        .unwrap_err();
    assert_eq!(error.to_string(), error.message_in(Language::Ko));
    assert!(error.to_string().contains("미니배치"), "{error}");

    // A notebook's first cell switches it.
    assert_eq!(set_language("ja").unwrap(), Language::Ja);
    assert_eq!(error.to_string(), error.message_in(Language::Ja));
    assert!(format!("{:?}", net.conv1.bias.grad()).contains("conv1.bias にはまだ勾配がありません"));

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
}
