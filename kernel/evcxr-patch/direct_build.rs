// blitz patch: building an edited cell without cargo.
//
// Every cell evcxr compiles is a `cargo build` of the notebook's crate. When only the cell's code changed since the
// last build, cargo's part of that is checking the ~100 crates the notebook depends on (about 0.14 s on two cores)
// before running the one rustc command that matters. So the rustc wrapper records the compiler command it ran for
// the notebook's crate (rustc, its arguments, its environment and folder, the library it builds), and after the
// build the key of every other input is
// kept beside it: the compiled-cell cache's build inputs (Cargo.toml, the resolved Cargo.lock, cargo's
// configuration, the compiler, evcxr's build settings, every path dependency's files). The next cell whose inputs
// have that same key runs the recorded rustc itself (not through the wrapper: starting the kernel's binary as the
// wrapper, which then starts rustc, cost about 0.05 s a cell). Anything else goes through cargo, which records anew: other
// inputs, no record, a record that cannot be read. A direct build that fails is the cell's own compile error when
// every error rustc reports points into the source and none is about finding or reading a dependency: evcxr then
// reports rustc's diagnostics, as cargo would have relayed them (before, cargo ran again only to report the same
// errors, about 0.3 s more for each of a learner's mistakes and for each final expression evcxr first tries to
// display with `.evcxr_display()`). Any other failure goes through cargo. Cargo later rebuilds the crate itself,
// since its source is newer than what cargo last built.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How the wrapper was started for the notebook's crate (JSON: `args`, `env`, `cwd`), in the crate's folder.
const INVOCATION_FILE: &str = "target/blitz-direct-build.json";
/// The key of the build inputs the recorded command was run with.
const KEY_FILE: &str = "target/blitz-direct-build.key";
/// Variables not replayed: cargo's jobserver, whose file descriptors only existed in that build.
const NOT_REPLAYED: &[&str] = &["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS"];

/// Called by the rustc wrapper once it built the notebook's crate with `command` (the compiler and its arguments,
/// run with the wrapper's environment) into `library`: records how, in the folder that holds
/// `execution_so_path_file`. Nothing is recorded when an argument or variable is not UTF-8.
pub(crate) fn record(
    execution_so_path_file: &Path,
    command: &std::process::Command,
    library: &Path,
) {
    let Some(crate_dir) = execution_so_path_file.parent() else {
        return;
    };
    let args: Option<Vec<String>> = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|arg| arg.to_str().map(str::to_owned))
        .collect();
    let mut env: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (name, value) in std::env::vars_os() {
        let (Ok(name), Ok(value)) = (name.into_string(), value.into_string()) else {
            return;
        };
        env.insert(name, Some(value));
    }
    for (name, value) in command.get_envs() {
        let Some(name) = name.to_str() else {
            return;
        };
        let value = match value.map(|value| value.to_str()) {
            Some(Some(value)) => Some(value.to_owned()),
            Some(None) => return,
            None => None,
        };
        env.insert(name.to_owned(), value);
    }
    let env: serde_json::Map<String, serde_json::Value> = env
        .into_iter()
        .filter(|(name, _)| !NOT_REPLAYED.contains(&name.as_str()))
        .filter_map(|(name, value)| Some((name, value?.into())))
        .collect();
    let (Some(args), Some(library), Ok(cwd)) = (args, library.to_str(), std::env::current_dir())
    else {
        return;
    };
    let Some(cwd) = cwd.to_str() else {
        return;
    };
    let record = serde_json::json!({ "args": args, "env": env, "cwd": cwd, "library": library });
    let _ = std::fs::write(crate_dir.join(INVOCATION_FILE), record.to_string());
}

/// Before cargo builds: the record of an earlier build no longer holds.
pub(crate) fn forget(crate_dir: &Path) {
    let _ = std::fs::remove_file(crate_dir.join(KEY_FILE));
    let _ = std::fs::remove_file(crate_dir.join(INVOCATION_FILE));
}

/// After cargo built the crate: the command the wrapper recorded holds for inputs with `key`.
pub(crate) fn remember(key: &str, crate_dir: &Path) {
    if crate_dir.join(INVOCATION_FILE).exists() {
        let _ = std::fs::write(crate_dir.join(KEY_FILE), key);
    }
}

/// What building the crate with the recorded command gave.
pub(crate) enum Outcome {
    /// The library rustc built.
    Built(PathBuf),
    /// rustc rejected the cell's code ([`rejected_the_code`]); its JSON diagnostics are on `stderr`.
    Rejected(std::process::Output),
}

/// Builds the crate with the recorded command when its inputs still have `key`, or None when cargo has to build
/// (other inputs, no usable record, or a failure that is not the cell's code).
pub(crate) fn run(key: &str, crate_dir: &Path) -> Option<Outcome> {
    if std::fs::read_to_string(crate_dir.join(KEY_FILE)).ok()? != key {
        return None;
    }
    let text = std::fs::read_to_string(crate_dir.join(INVOCATION_FILE)).ok()?;
    let record: serde_json::Value = serde_json::from_str(&text).ok()?;
    let args: Vec<&str> = record["args"]
        .as_array()?
        .iter()
        .map(|arg| arg.as_str())
        .collect::<Option<_>>()?;
    let (program, args) = args.split_first()?;
    let mut command = std::process::Command::new(program);
    command
        .args(args)
        .env_clear()
        .current_dir(record["cwd"].as_str()?);
    for (name, value) in record["env"].as_object()? {
        command.env(name, value.as_str()?);
    }
    let output = command.output().ok()?;
    if output.status.success() {
        record["library"]
            .as_str()
            .map(|library| Outcome::Built(PathBuf::from(library)))
    } else {
        rejected_the_code(&output.stderr).then_some(Outcome::Rejected(output))
    }
}

/// rustc's errors about finding, reading or matching a dependency's compiled crate: cargo rebuilds what they blame.
const DEPENDENCY_ERRORS: &[&str] = &[
    "E0460", "E0461", "E0462", "E0463", "E0464", "E0514", "E0519", "E0523", "E0786",
];

/// Whether rustc's JSON diagnostics (`stderr`, one per line) blame the code: at least one error, every error points
/// into the source, and none is about a dependency ([`DEPENDENCY_ERRORS`]). A linker failure or an internal compiler
/// error points nowhere.
pub(crate) fn rejected_the_code(stderr: &[u8]) -> bool {
    let mut errors = 0;
    for line in stderr.split(|&byte| byte == b'\n') {
        let Ok(diagnostic) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        if diagnostic["$message_type"] != "diagnostic" || diagnostic["level"] != "error" {
            continue;
        }
        let message = diagnostic["message"].as_str().unwrap_or_default();
        if message.starts_with("aborting due to") {
            continue;
        }
        let code = diagnostic["code"]["code"].as_str().unwrap_or_default();
        let spans = diagnostic["spans"].as_array().map_or(0, Vec::len);
        if DEPENDENCY_ERRORS.contains(&code) || spans == 0 {
            return false;
        }
        errors += 1;
    }
    errors > 0
}

#[cfg(test)]
mod tests {
    use super::rejected_the_code;

    fn diagnostic(level: &str, code: Option<&str>, spans: usize, message: &str) -> String {
        let span = serde_json::json!({"file_name": "src/lib.rs", "line_start": 3});
        serde_json::json!({
            "$message_type": "diagnostic",
            "level": level,
            "message": message,
            "code": code.map(|code| serde_json::json!({ "code": code })),
            "spans": vec![span; spans],
        })
        .to_string()
    }

    #[test]
    fn an_error_in_the_source_is_the_cells() {
        let stderr = [
            diagnostic("warning", None, 1, "unused variable: `x`"),
            diagnostic(
                "error",
                Some("E0425"),
                1,
                "cannot find value `y` in this scope",
            ),
            diagnostic("error", None, 0, "aborting due to 1 previous error"),
        ]
        .join("\n");
        assert!(rejected_the_code(stderr.as_bytes()));
    }

    #[test]
    fn a_missing_dependency_a_linker_failure_or_no_error_goes_to_cargo() {
        let missing = diagnostic("error", Some("E0463"), 1, "can't find crate for `blitz`");
        assert!(!rejected_the_code(missing.as_bytes()));
        let linker = diagnostic("error", None, 0, "linking with `cc` failed: exit status: 1");
        assert!(!rejected_the_code(linker.as_bytes()));
        let warning = diagnostic("warning", None, 1, "unused variable: `x`");
        assert!(!rejected_the_code(warning.as_bytes()));
        assert!(!rejected_the_code(b"thread 'rustc' panicked"));
    }
}
