//! A wrong entry in the kernel's type cache cannot break a notebook: the fixture `stale-type-cache.ipynb` records
//! `blitz_stale_probe: u8`; the record is rewritten to `String`; the notebook must still pass (the kernel retries
//! with rust-analyzer) and the cache must hold `u8` again.

use blitz_tests::{describe, fixture, kernel, run_notebook};

/// The types the cache records for the probe variable, oldest first.
fn probe_types(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .flat_map(|line| line["variables"].as_array().cloned().unwrap_or_default())
        .filter(|v| v["name"] == "blitz_stale_probe")
        .filter_map(|v| v["type_name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_stale_cached_type_is_corrected_and_the_notebook_passes() {
    let _kernel = kernel();
    let notebook = fixture("must-pass/stale-type-cache.ipynb");
    let cache = xtask::layout::type_cache_file();

    let first = run_notebook(&notebook);
    assert!(first.status.success(), "{}", describe(&first));
    let text = std::fs::read_to_string(&cache).expect("the kernel writes its type cache");
    assert_eq!(
        probe_types(&text).last().map(String::as_str),
        Some("u8"),
        "the kernel did not record `blitz_stale_probe: u8` in {}",
        cache.display()
    );

    let stale = text.replace(
        r#"{"name":"blitz_stale_probe","type_name":"u8""#,
        r#"{"name":"blitz_stale_probe","type_name":"String""#,
    );
    std::fs::write(&cache, stale).unwrap();
    let second = run_notebook(&notebook);
    assert!(
        second.status.success(),
        "with a wrong type in the kernel's type cache: {}",
        describe(&second)
    );
    let healed = std::fs::read_to_string(&cache).unwrap();
    assert_eq!(
        probe_types(&healed).last().map(String::as_str),
        Some("u8"),
        "the kernel did not replace the wrong cached type of `blitz_stale_probe` with u8"
    );
}
