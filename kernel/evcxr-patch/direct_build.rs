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
// inputs, no record, a record that cannot be read, and any failure of the direct build (the cell is then built by
// cargo, which reports its errors as usual). Cargo later rebuilds the crate itself, since its source is newer than
// what cargo last built.

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

/// Builds the crate with the recorded command when its inputs still have `key`: the built library's path, or None
/// when cargo has to build.
pub(crate) fn run(key: &str, crate_dir: &Path) -> Option<PathBuf> {
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
    if !output.status.success() {
        return None;
    }
    record["library"].as_str().map(PathBuf::from)
}
