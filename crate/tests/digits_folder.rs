//! Where blitz finds the course's digits when a program or notebook runs: from a notebook's folder (two levels
//! below the repository), from the folder `BLITZ_DATA` names, and an error naming every folder tried.
//!
//! One test in its own binary: it changes the current folder and the environment, which other tests running at
//! the same time would see.

use blitz::data;
use blitz::Language;
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn same(a: &Path, b: &Path) -> bool {
    a.canonicalize().unwrap() == b.canonicalize().unwrap()
}

#[test]
fn the_digits_are_found_from_a_notebook_folder_and_from_blitz_data() {
    let repo = repository();
    let shipped = repo.join("data/digits");
    std::env::remove_var(data::DATA_VAR);

    // A notebook runs in notebooks/<lang>/: the digits are two folders up.
    let notebook_folder = repo.join("notebooks/en");
    std::env::set_current_dir(&notebook_folder).unwrap();
    assert!(same(&data::digits_dir().unwrap(), &shipped));
    assert_eq!(data::digits().unwrap().train.len(), 4000);

    // BLITZ_DATA may name the digits' folder or the data folder above it.
    let scratch = std::env::temp_dir().join(format!("blitz-digits-folder-{}", std::process::id()));
    let copy = scratch.join("data/digits");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
    }
    std::env::set_var(data::DATA_VAR, &copy);
    assert!(same(&data::digits_dir().unwrap(), &copy));
    std::env::set_var(data::DATA_VAR, scratch.join("data"));
    assert!(same(&data::digits_dir().unwrap(), &copy));
    assert_eq!(data::digits().unwrap().test.len(), 1000);

    // A BLITZ_DATA without them is an error naming where blitz looked, not a silent fallback.
    let empty = scratch.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::env::set_var(data::DATA_VAR, &empty);
    let error = data::digits().unwrap_err();
    assert_eq!(error.code(), "digits-not-found");
    let text = error.message_in(Language::En);
    assert!(
        text.contains(&empty.display().to_string())
            && text.contains(&empty.join("digits").display().to_string())
            && text.contains("BLITZ_DATA"),
        "{text}"
    );

    std::env::remove_var(data::DATA_VAR);
    std::env::set_current_dir(&repo).unwrap();
    let _ = std::fs::remove_dir_all(&scratch);
}
