//! The course's exercises (`exercises/`): the list in `info.toml`, each one's starting point, solution, check
//! call and hint in a language, the cells a lesson's notebook gets for it, and `cargo xtask exercises` — the
//! learner's progress, the next exercise's task and its hint.

use crate::layout;
use crate::translations;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One exercise as `exercises/info.toml` lists it.
#[derive(Clone, Debug, Deserialize)]
pub struct Exercise {
    /// Its name, e.g. `mse`: the file `src/<id>.rs`, the solution `solutions/<id>.rs`.
    pub id: String,
    /// The lesson whose notebook holds it, e.g. `01-neural-networks`.
    pub lesson: String,
    /// The call that checks the answer, written where the answer's items are in scope.
    pub check: String,
}

#[derive(Deserialize)]
struct Info {
    exercises: Vec<Exercise>,
}

/// `exercises/` of the repository at `root`.
pub fn dir(root: &Path) -> PathBuf {
    root.join("exercises")
}

/// Every exercise, in the order a learner meets them; an error names the line of `info.toml` that is wrong, or
/// the exercise whose file is missing.
pub fn all(root: &Path) -> Result<Vec<Exercise>> {
    let path = dir(root).join("info.toml");
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let info: Info =
        toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
    let mut seen = std::collections::HashSet::new();
    for e in &info.exercises {
        if !seen.insert(e.id.clone()) {
            bail!("{}: exercise `{}` is listed twice", path.display(), e.id);
        }
        for file in [starting_path(root, &e.id), solution_path(root, &e.id)] {
            if !file.is_file() {
                bail!(
                    "{}: exercise `{}` has no file {}",
                    path.display(),
                    e.id,
                    file.display()
                );
            }
        }
    }
    Ok(info.exercises)
}

/// The exercise called `id`, or an error listing the known ones.
pub fn find(root: &Path, id: &str) -> Result<Exercise> {
    let all = all(root)?;
    let known: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
    all.iter().find(|e| e.id == id).cloned().with_context(|| {
        format!(
            "there is no exercise `{id}`; the exercises are: {}",
            known.join(", ")
        )
    })
}

/// The file a learner edits: `exercises/src/<id>.rs`.
pub fn starting_path(root: &Path, id: &str) -> PathBuf {
    dir(root).join("src").join(format!("{id}.rs"))
}

/// The reference solution: `exercises/solutions/<id>.rs`.
pub fn solution_path(root: &Path, id: &str) -> PathBuf {
    dir(root).join("solutions").join(format!("{id}.rs"))
}

/// The text of a file, or an error naming it.
pub fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The hint of exercise `id` in `lang`: the crate message `hint-ex-<id>`, translated when the language's PO file
/// has a reviewed translation, else in English.
pub fn hint(root: &Path, id: &str, lang: &str) -> Result<String> {
    let key = format!("hint-ex-{id}");
    let english = translations::crate_messages::entries(root)?
        .into_iter()
        .find(|e| e.context.as_deref() == Some(key.as_str()))
        .with_context(|| {
            format!("exercise `{id}` has no hint: add `{key}` to crate/src/messages/english.rs")
        })?
        .msgid;
    if lang == "en" {
        return Ok(english);
    }
    let catalog = translations::load(root, lang)?;
    Ok(catalog
        .entries
        .iter()
        .find(|e| e.context.as_deref() == Some(key.as_str()) && !e.fuzzy && !e.msgstr.is_empty())
        .map(|e| e.msgstr.clone())
        .unwrap_or(english))
}

/// The learner's language: `BLITZ_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
pub fn learner_language() -> &'static str {
    ["BLITZ_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find_map(|value| language_from(&value))
        .unwrap_or("en")
}

/// The course's language for a language code or locale (`ja_JP.UTF-8` → `ja`, `zh_TW` → `zh-TW`), if any.
///
/// The same mapping as blitz's `Language::from_code` (a test holds them together), written again because the tool
/// does not depend on blitz (that would compile candle into `cargo xtask`); unlike it, `C` and `POSIX` name no
/// language here, so that the next variable of the locale chain ([`learner_language`]) is read.
pub fn language_from(value: &str) -> Option<&'static str> {
    let v = value.to_ascii_lowercase().replace('_', "-");
    if v.starts_with("zh-tw") || v.starts_with("zh-hant") || v.starts_with("zh-hk") {
        Some("zh-TW")
    } else if v.starts_with("zh") {
        Some("zh")
    } else if v.starts_with("ja") {
        Some("ja")
    } else if v.starts_with("ko") {
        Some("ko")
    } else if v.starts_with("en") {
        Some("en")
    } else {
        None
    }
}

/// What `cargo test -p blitz-exercises` said about each exercise.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Its check passed.
    Done,
    /// Its check failed; the verdict's text.
    ToDo(String),
}

/// Runs the learner's exercises with `cargo test -p blitz-exercises` in `lang`; `Err` carries cargo's output when
/// the files do not compile.
fn run_tests(lang: &str) -> Result<std::result::Result<Vec<(String, Outcome)>, String>> {
    let root = layout::repo_root();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["test", "-p", "blitz-exercises", "--no-fail-fast", "--"])
        .args(["--test-threads", "2"])
        .env("BLITZ_LANG", lang)
        .output()
        .context("cannot run cargo")?;
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let results = parse_test_output(&stdout);
    if results.is_empty() {
        return Ok(Err(stderr));
    }
    Ok(Ok(results))
}

/// Each `test <id>::check ... ok|FAILED` line of libtest's output, with the failure's message.
pub fn parse_test_output(stdout: &str) -> Vec<(String, Outcome)> {
    let mut out = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, status)) = rest.split_once(" ... ") else {
            continue;
        };
        let Some(id) = name.strip_suffix("::check") else {
            continue;
        };
        let outcome = if status.trim() == "ok" {
            Outcome::Done
        } else {
            let header = format!("---- {name} stdout ----");
            let message = stdout
                .split_once(&header)
                .map(|(_, after)| after)
                .and_then(|after| after.split("\n---- ").next())
                .map(|text| {
                    text.lines()
                        .filter(|l| !l.starts_with("thread '") && !l.starts_with("note: run with"))
                        .collect::<Vec<_>>()
                        .join("\n")
                        .trim()
                        .to_string()
                })
                .unwrap_or_default();
            Outcome::ToDo(message)
        };
        out.push((id.to_string(), outcome));
    }
    out
}

/// The task of an exercise in `lang`: the prose just before it in its lesson's notebook.
pub fn task(root: &Path, exercise: &Exercise, lang: &str) -> Result<String> {
    let path = root
        .join("notebooks")
        .join(lang)
        .join(format!("{}.ipynb", exercise.lesson));
    let text = read(&path)?;
    let notebook: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let cells = notebook["cells"].as_array().cloned().unwrap_or_default();
    let at = cells
        .iter()
        .position(|c| c["metadata"]["blitz"]["exercise"].as_str() == Some(exercise.id.as_str()))
        .with_context(|| {
            format!(
                "{} has no cell for exercise `{}`",
                path.display(),
                exercise.id
            )
        })?;
    let prose = cells[..at]
        .iter()
        .rev()
        .find(|c| c["cell_type"] == "markdown")
        .map(|c| match &c["source"] {
            serde_json::Value::Array(lines) => {
                lines.iter().filter_map(|l| l.as_str()).collect::<String>()
            }
            other => other.as_str().unwrap_or_default().to_string(),
        })
        .unwrap_or_default();
    Ok(prose)
}

/// `cargo xtask exercises [hint [ID]]`: runs the learner's exercises and shows each one done or to do, then the
/// next one's task; `hint` shows the next one's hint (or `ID`'s).
pub fn command(hint_for: Option<Option<String>>) -> Result<()> {
    let root = layout::repo_root();
    let lang = learner_language();
    let exercises = all(&root)?;
    if let Some(Some(id)) = &hint_for {
        let exercise = find(&root, id)?;
        println!("{}", hint(&root, &exercise.id, lang)?);
        return Ok(());
    }
    eprintln!("==> cargo test -p blitz-exercises (your files in exercises/src/)");
    let results = match run_tests(lang)? {
        Ok(results) => results,
        Err(cargo_output) => {
            eprintln!("{cargo_output}");
            bail!(
                "your exercises do not compile: the error above names the file and line (exercises/src/...). \
                 Fix it, or put `todo!()` back, and run `cargo xtask exercises` again."
            );
        }
    };
    let done = |id: &str| results.iter().any(|(r, o)| r == id && *o == Outcome::Done);
    let next = exercises.iter().find(|e| !done(&e.id));
    if hint_for.is_some() {
        match next {
            Some(e) => println!("{}: {}", e.id, hint(&root, &e.id, lang)?),
            None => println!("{}", words(lang).all_done),
        }
        return Ok(());
    }
    let w = words(lang);
    let count = exercises.iter().filter(|e| done(&e.id)).count();
    println!("{} {count}/{}", w.progress, exercises.len());
    for e in &exercises {
        let mark = if done(&e.id) { w.done } else { w.to_do };
        let here = if next.map(|n| &n.id) == Some(&e.id) {
            "  <--"
        } else {
            ""
        };
        println!(
            "  [{mark}] {:<18} exercises/src/{}.rs ({}){here}",
            e.id, e.id, e.lesson
        );
    }
    match next {
        None => println!("\n{}", w.all_done),
        Some(e) => {
            println!("\n{} {} (exercises/src/{}.rs)\n", w.next, e.id, e.id);
            println!("{}\n", task(&root, e, lang)?.trim());
            if let Some((_, Outcome::ToDo(message))) = results.iter().find(|(r, _)| *r == e.id) {
                let first: Vec<&str> = message.lines().take(3).collect();
                println!("{}\n", first.join("\n"));
            }
            println!("{}", w.how);
        }
    }
    Ok(())
}

/// The few words of the progress screen, per language.
struct Words {
    progress: &'static str,
    done: &'static str,
    to_do: &'static str,
    next: &'static str,
    all_done: &'static str,
    how: &'static str,
}

fn words(lang: &str) -> Words {
    match lang {
        "ja" => Words {
            progress: "進み具合:",
            done: "済",
            to_do: "  ",
            next: "次の演習:",
            all_done: "すべての演習に合格しました。おめでとうございます！",
            how: "ファイルを編集して `cargo test -p blitz-exercises` で確かめてください。ヒントは `cargo xtask exercises hint` で表示されます。",
        },
        "zh-TW" => Words {
            progress: "進度：",
            done: "完成",
            to_do: "    ",
            next: "下一個練習：",
            all_done: "所有練習都通過了，恭喜！",
            how: "編輯檔案後，用 `cargo test -p blitz-exercises` 檢查。要看提示，請執行 `cargo xtask exercises hint`。",
        },
        "zh" => Words {
            progress: "进度：",
            done: "完成",
            to_do: "    ",
            next: "下一个练习：",
            all_done: "所有练习都通过了，恭喜！",
            how: "编辑文件后，用 `cargo test -p blitz-exercises` 检查。要看提示，请运行 `cargo xtask exercises hint`。",
        },
        "ko" => Words {
            progress: "진행 상황:",
            done: "완료",
            to_do: "    ",
            next: "다음 연습 문제:",
            all_done: "모든 연습 문제를 통과했습니다. 축하합니다!",
            how: "파일을 고친 뒤 `cargo test -p blitz-exercises`로 확인하십시오. 힌트는 `cargo xtask exercises hint`로 볼 수 있습니다.",
        },
        _ => Words {
            progress: "Progress:",
            done: "x",
            to_do: " ",
            next: "Next exercise:",
            all_done: "Every exercise passes. Well done!",
            how: "Edit the file, then check it with `cargo test -p blitz-exercises`. `cargo xtask exercises hint` shows a hint.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_lists_every_exercise_with_its_files_and_hint() {
        let root = layout::repo_root();
        let exercises = all(&root).unwrap();
        assert!(exercises.len() >= 9, "{exercises:?}");
        for e in &exercises {
            for lang in ["en", "ja", "zh-TW", "ko", "zh"] {
                assert!(!hint(&root, &e.id, lang).unwrap().is_empty());
            }
        }
    }

    #[test]
    fn the_exercises_crate_checks_every_exercise_of_info_toml() {
        let root = layout::repo_root();
        let lib = read(&dir(&root).join("src/lib.rs")).unwrap();
        for e in all(&root).unwrap() {
            let module = format!("mod {} {{\n    include!(\"{}.rs\");", e.id, e.id);
            assert!(
                lib.contains(&module),
                "exercises/src/lib.rs lacks `{module}`"
            );
            assert!(lib.contains(&format!("{}.assert();", e.check)), "{}", e.id);
        }
    }

    #[test]
    fn libtest_output_gives_each_exercise_its_outcome() {
        let out = "running 2 tests\ntest mse::check ... FAILED\ntest num_flat_features::check ... ok\n\n\
                   failures:\n\n---- mse::check stdout ----\nthread 'mse::check' panicked at src/lib.rs:3:5:\n\n\
                   mse: not done yet.\nHint: subtract.\n\n\nfailures:\n    mse::check\n";
        let parsed = parse_test_output(out);
        assert_eq!(parsed[1], ("num_flat_features".into(), Outcome::Done));
        match &parsed[0] {
            (id, Outcome::ToDo(text)) => {
                assert_eq!(id, "mse");
                assert!(text.starts_with("mse: not done yet."), "{text}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_locale_picks_the_language() {
        assert_eq!(language_from("ja_JP.UTF-8"), Some("ja"));
        assert_eq!(language_from("zh_TW.UTF-8"), Some("zh-TW"));
        assert_eq!(language_from("zh_CN.UTF-8"), Some("zh"));
        assert_eq!(language_from("ko_KR.UTF-8"), Some("ko"));
        assert_eq!(language_from("C.UTF-8"), None);
        assert_eq!(language_from("fr_FR"), None);
    }

    #[test]
    fn the_locale_picks_the_language_blitz_picks() {
        let codes = [
            "en",
            "en_US.UTF-8",
            "ja",
            "ja_JP.UTF-8",
            "ko",
            "ko_KR",
            "zh",
            "zh_CN.UTF-8",
            "zh-Hans",
            "zh_SG",
            "zh-TW",
            "zh_TW.UTF-8",
            "zh-Hant",
            "zh_HK",
            "fr_FR",
            "de",
            "",
        ];
        for code in codes {
            let blitz = blitz::Language::from_code(code)
                .ok()
                .map(|language| language.to_string());
            assert_eq!(language_from(code).map(str::to_owned), blitz, "{code}");
        }
    }
}
