// blitz patch (not part of upstream evcxr): a cache of compiled cells.
//
// Every cell is compiled as a crate: `cargo build` of a one-line change takes 0.25-0.45 s even when everything
// else is ready, most of a lesson cell's time. A lesson's cells are the same every time it is opened, so with
// `EVCXR_CELL_CACHE` naming a folder, the shared library built for a cell is kept there and reused when exactly
// the same build comes again. The key covers everything the build reads: the generated source (made deterministic
// by the ordered maps in eval_context.rs), Cargo.toml and Cargo.lock, the compiler's version, the linker
// settings, and every file of each path dependency (such as blitz, whose sources a teacher may edit).
// Registry dependencies are pinned by Cargo.lock. An edited cell is a new key and is compiled as before.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// How many bytes of compiled cells are kept; the least recently used go first.
const KEPT_BYTES: u64 = 1 << 30;

/// The cache folder named by `EVCXR_CELL_CACHE`, or None when it is not set.
pub(crate) fn folder() -> Option<PathBuf> {
    std::env::var_os("EVCXR_CELL_CACHE").map(PathBuf::from)
}

/// The key of one build, or None when it cannot be computed safely (no Cargo.lock yet, an unreadable file).
pub(crate) fn key(source: &str, crate_dir: &Path, rustc: &Path, settings: &str) -> Option<String> {
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).ok()?;
    let lock = std::fs::read_to_string(crate_dir.join("Cargo.lock")).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    source.hash(&mut hasher);
    manifest.hash(&mut hasher);
    lock.hash(&mut hasher);
    compiler_version(rustc)?.hash(&mut hasher);
    settings.hash(&mut hasher);
    for dependency in path_dependencies(&manifest) {
        hash_tree(&dependency, &mut hasher)?;
    }
    Some(format!("{:016x}", hasher.finish()))
}

/// The cached library for `key`, if there is one (its modification time is renewed: it was used).
pub(crate) fn lookup(key: &str) -> Option<PathBuf> {
    let path = folder()?.join(format!("{key}.so"));
    let file = std::fs::File::options().append(true).open(&path).ok()?;
    let _ = file.set_modified(std::time::SystemTime::now());
    Some(path)
}

/// Keeps a freshly built library under `key` (written aside, then renamed: kernels may share the folder).
pub(crate) fn store(key: &str, library: &Path) {
    let Some(folder) = folder() else {
        return;
    };
    if std::fs::create_dir_all(&folder).is_err() {
        return;
    }
    let partial = folder.join(format!("{key}.so.{}", std::process::id()));
    if std::fs::copy(library, &partial).is_ok() {
        let _ = std::fs::rename(&partial, folder.join(format!("{key}.so")));
    }
    trim(&folder);
}

/// Removes the least recently used libraries beyond [`KEPT_BYTES`].
fn trim(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let metadata = entry.metadata().ok()?;
            Some((metadata.modified().ok()?, metadata.len(), entry.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|(_, size, _)| size).sum();
    files.sort();
    for (_, size, path) in files {
        if total <= KEPT_BYTES {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= size;
        }
    }
}

/// `rustc -vV` of the compiler evcxr uses, asked once per kernel.
fn compiler_version(rustc: &Path) -> Option<&'static str> {
    static VERSION: OnceLock<Option<String>> = OnceLock::new();
    VERSION
        .get_or_init(|| {
            let output = std::process::Command::new(rustc).arg("-vV").output().ok()?;
            output
                .status
                .success()
                .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
        })
        .as_deref()
}

/// The folders of the `path = "..."` dependencies in a Cargo.toml evcxr wrote (its `[dependencies]` table, one
/// dependency per line; `[lib]` has a `path` too).
fn path_dependencies(manifest: &str) -> Vec<PathBuf> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[dependencies]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| {
            let rest = &line[line.find("path = \"")? + "path = \"".len()..];
            Some(PathBuf::from(&rest[..rest.find('"')?]))
        })
        .collect()
}

/// Files up to this size are hashed by content; larger ones (data, not code) by size and modification time.
const HASHED_BYTES: u64 = 256 << 10;

/// Hashes every file under `dir` in a fixed order: its relative path and its content (or, above [`HASHED_BYTES`],
/// its size and modification time), skipping `target` folders and hidden entries. By content, so that a fresh
/// clone of the same sources finds the same key.
fn hash_tree(dir: &Path, hasher: &mut impl Hasher) -> Option<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).ok()?.flatten().collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text.starts_with('.') || name_text == "target" {
            continue;
        }
        let metadata = entry.metadata().ok()?;
        name_text.hash(hasher);
        if metadata.is_dir() {
            hash_tree(&entry.path(), hasher)?;
        } else if metadata.len() <= HASHED_BYTES {
            std::fs::read(entry.path()).ok()?.hash(hasher);
        } else {
            metadata.len().hash(hasher);
            metadata
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?
                .as_nanos()
                .hash(hasher);
        }
    }
    Some(())
}
