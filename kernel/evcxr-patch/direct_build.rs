// blitz patch: building an edited cell without cargo.
//
// Every cell evcxr compiles is a `cargo build` of the notebook's crate. When only the cell's code changed since the
// last build, cargo's part of that is checking the ~100 crates the notebook depends on (about 0.14 s on two cores)
// before running the one rustc command that matters. So the rustc wrapper records how cargo started it for the
// notebook's crate (its arguments, environment and folder), and after the build the key of every other input is
// kept beside it: the compiled-cell cache's build inputs (Cargo.toml, the resolved Cargo.lock, cargo's
// configuration, the compiler, evcxr's build settings, every path dependency's files). The next cell whose inputs
// have that same key runs the recorded command itself. Anything else goes through cargo, which records anew: other
// inputs, no record, a record that cannot be read, and any failure of the direct build (the cell is then built by
// cargo, which reports its errors as usual). Cargo later rebuilds the crate itself, since its source is newer than
// what cargo last built.

use std::path::{Path, PathBuf};

/// How the wrapper was started for the notebook's crate (JSON: `args`, `env`, `cwd`), in the crate's folder.
const INVOCATION_FILE: &str = "target/blitz-direct-build.json";
/// The key of the build inputs the recorded command was run with.
const KEY_FILE: &str = "target/blitz-direct-build.key";
/// Variables not replayed: cargo's jobserver, whose file descriptors only existed in that build.
const NOT_REPLAYED: &[&str] = &["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS"];

/// Called by the rustc wrapper once it built the notebook's crate: records how it was started, in the folder
/// that holds `execution_so_path_file`. Nothing is recorded when an argument or variable is not UTF-8.
pub(crate) fn record(execution_so_path_file: &Path) {
    let Some(crate_dir) = execution_so_path_file.parent() else {
        return;
    };
    let args: Option<Vec<String>> = std::env::args_os().map(|a| a.into_string().ok()).collect();
    let env: Option<serde_json::Map<String, serde_json::Value>> = std::env::vars_os()
        .map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?.into())))
        .filter(|entry| {
            entry
                .as_ref()
                .is_none_or(|(name, _)| !NOT_REPLAYED.contains(&name.as_str()))
        })
        .collect();
    let (Some(args), Some(env), Ok(cwd)) = (args, env, std::env::current_dir()) else {
        return;
    };
    let Some(cwd) = cwd.to_str() else {
        return;
    };
    let record = serde_json::json!({ "args": args, "env": env, "cwd": cwd });
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

/// Builds the crate with the recorded command when its inputs still have `key`; the library's path, read from
/// `execution_so_path_file` (which the wrapper writes), or None when cargo has to build.
pub(crate) fn run(key: &str, crate_dir: &Path, execution_so_path_file: &Path) -> Option<PathBuf> {
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
    std::fs::read_to_string(execution_so_path_file)
        .ok()
        .map(PathBuf::from)
}
