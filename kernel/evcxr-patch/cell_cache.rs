// blitz patch (not part of upstream evcxr): a cache of compiled cells, and the stable keys every cache of the
// patch uses.
//
// Every cell is compiled as a crate: `cargo build` of a one-line change takes 0.25-0.45 s even when everything
// else is ready, most of a lesson cell's time. A lesson's cells are the same every time it is opened, so with
// `EVCXR_CELL_CACHE` naming a folder, the shared library built for a cell is kept there and reused when exactly
// the same build comes again.
//
// The key covers everything that decides what the build produces (`build_inputs`): the generated source (made
// deterministic by the ordered maps in eval_context.rs), the notebook crate's Cargo.toml and Cargo.lock, cargo's
// configuration files, `rustc -vV`, evcxr's build settings (linker, linking mode, target, build environment),
// and, for every path dependency (such as blitz) and every path dependency of those, the content of each of its
// files, its own manifest and the manifest of the workspace it belongs to (where `edition.workspace = true` or
// `candle-core.workspace = true` take their values). Hashed with SHA-256, which, unlike std's DefaultHasher,
// gives the same key in every build of the kernel.
//
// The lock file is read when the key is computed: before a build (lookup), it is the lock of the previous build;
// after it (store), the lock cargo resolved. An entry is stored only under a lock cargo wrote for exactly these
// manifests, and cargo leaves such a lock unchanged, so a lookup only finds an entry when the lock it read is the
// one the build would use. Any manifest changed since (a version, a feature, the edition) changes the key.
//
// Each kernel first compiles `42` with no dependencies, which leaves a lock file without them, so the lock read
// before the first cell that adds a dependency (`:dep blitz`) was never the one its build would resolve: that
// cell always missed. So the lock cargo resolved for each Cargo.toml the crate had is kept
// (`target/blitz-locks/`) and put back when the same Cargo.toml is written again (`restore_lock`); cargo keeps a
// lock that fits the manifests, and updates it if a dependency's manifest changed since (then the key misses).
//
// An entry that cannot be read, is truncated or corrupt (each holds the SHA-256 of its library), or cannot be
// copied out is a miss: the cell is built as if there were no cache.

use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How many bytes of compiled cells are kept; the least recently used go first.
const KEPT_BYTES: u64 = 1 << 30;

/// The extension of an entry: the library followed by its SHA-256.
const ENTRY_EXTENSION: &str = "cell";

/// A SHA-256 of fields, each prefixed by its length (so that field boundaries are part of the hash), starting with
/// what the key is for and the evcxr version.
pub(crate) struct StableHasher(sha2::Sha256);

impl StableHasher {
    pub(crate) fn new(domain: &str) -> StableHasher {
        let mut hasher = StableHasher(sha2::Sha256::new());
        hasher.field(domain);
        hasher.field(env!("CARGO_PKG_VERSION"));
        hasher
    }

    pub(crate) fn field(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(crate) fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache folder named by `EVCXR_CELL_CACHE`, or None when it is not set.
pub(crate) fn folder() -> Option<PathBuf> {
    std::env::var_os("EVCXR_CELL_CACHE").map(PathBuf::from)
}

/// The key of one build of `source` with evcxr's build `settings` and the [`build_inputs`] hash `inputs`.
pub(crate) fn key(source: &str, settings: &str, inputs: &str) -> String {
    // "2": entries stored before shared_libraries.rs noticed a library overwritten by another package's build
    // could be linked against the wrong build of it, and are never used.
    let mut hasher = StableHasher::new("compiled cell 2");
    hasher.field(source);
    hasher.field(settings);
    hasher.field(inputs);
    hasher.finish()
}

/// A hash of everything besides the cell's own code that decides a build of the notebook's crate in `crate_dir`
/// (see the top of this file), or None when a file cannot be read or there is no Cargo.lock yet.
pub(crate) fn build_inputs(crate_dir: &Path, rustc: &Path) -> Option<String> {
    let mut hasher = StableHasher::new("build inputs");
    let manifest = crate_dir.join("Cargo.toml");
    hasher.field(std::fs::read(&manifest).ok()?);
    hasher.field(std::fs::read(crate_dir.join("Cargo.lock")).ok()?);
    // By level (the crate's folder, each folder above it, cargo's home), not by path: the same build in another
    // kept build folder has the same key.
    for (level, config) in cargo_configs(crate_dir).iter().enumerate() {
        if let Ok(text) = std::fs::read(config) {
            hasher.field(level.to_le_bytes());
            hasher.field(text);
        }
    }
    hasher.field(compiler_version(rustc)?);
    let mut visited = BTreeSet::new();
    hash_path_dependencies(&manifest, &mut hasher, &mut visited)?;
    Some(hasher.finish())
}

/// The extension of a dependency evcxr checked (`:dep`), an empty file named by its key.
const CHECKED_DEPENDENCY_EXTENSION: &str = "dep";

/// The key of checking the dependency `name = config` (a `:dep`) from `crate_dir`: the declaration, cargo's
/// configuration, the compiler and, for a path dependency, its files and manifests (as in [`build_inputs`]). None
/// without a cache or when something cannot be read.
pub(crate) fn dependency_key(
    name: &str,
    config: &str,
    crate_dir: &Path,
    rustc: &Path,
) -> Option<String> {
    folder()?;
    let mut hasher = StableHasher::new("checked dependency");
    let declaration = format!("[dependencies]\n{name} = {config}\n");
    hasher.field(&declaration);
    hasher.field(crate_dir.to_string_lossy().as_bytes());
    for (level, config) in cargo_configs(crate_dir).iter().enumerate() {
        if let Ok(text) = std::fs::read(config) {
            hasher.field(level.to_le_bytes());
            hasher.field(text);
        }
    }
    hasher.field(compiler_version(rustc)?);
    let table: toml::Table = declaration.parse().ok()?;
    hash_declared_path_dependencies(&table, crate_dir, &mut hasher, &mut BTreeSet::new())?;
    Some(hasher.finish())
}

/// Whether a dependency with `key` ([`dependency_key`]) passed evcxr's check before.
pub(crate) fn dependency_checked(key: &str) -> bool {
    folder()
        .is_some_and(|folder| touch(&folder.join(format!("{key}.{CHECKED_DEPENDENCY_EXTENSION}"))))
}

/// Remembers that a dependency with `key` passed evcxr's check.
pub(crate) fn remember_checked_dependency(key: &str) {
    if let Some(folder) = folder() {
        let _ = std::fs::create_dir_all(&folder);
        let _ = std::fs::write(
            folder.join(format!("{key}.{CHECKED_DEPENDENCY_EXTENSION}")),
            "",
        );
    }
}

/// Where the lock resolved for the notebook crate's current Cargo.toml is kept.
fn saved_lock(crate_dir: &Path) -> Option<PathBuf> {
    let manifest = std::fs::read(crate_dir.join("Cargo.toml")).ok()?;
    Some(
        crate_dir
            .join("target/blitz-locks")
            .join(format!("{}.lock", hex(&sha2::Sha256::digest(manifest)))),
    )
}

/// Puts back the lock cargo resolved the last time the notebook crate had this Cargo.toml (see the top of this
/// file). Only with a cache: without one, evcxr behaves as upstream.
pub(crate) fn restore_lock(crate_dir: &Path) {
    if folder().is_none() {
        return;
    }
    let Some(saved) = saved_lock(crate_dir) else {
        return;
    };
    let Ok(lock) = std::fs::read(&saved) else {
        return;
    };
    let current = crate_dir.join("Cargo.lock");
    if std::fs::read(&current).ok().as_deref() != Some(&lock[..]) {
        write_aside(&current, &lock);
    }
}

/// Keeps the lock cargo resolved for the notebook crate's current Cargo.toml, after a build.
pub(crate) fn save_lock(crate_dir: &Path) {
    if folder().is_none() {
        return;
    }
    let (Some(saved), Ok(lock)) = (
        saved_lock(crate_dir),
        std::fs::read(crate_dir.join("Cargo.lock")),
    ) else {
        return;
    };
    if let Some(parent) = saved.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(saved, lock);
}

/// Puts the library cached under `key` at `destination`; false (a miss) when there is none, or it cannot be read,
/// is corrupt, or cannot be written. A used entry's modification time is renewed.
pub(crate) fn restore(key: &str, destination: &Path) -> bool {
    let Some(folder) = folder() else {
        return false;
    };
    let path = folder.join(format!("{key}.{ENTRY_EXTENSION}"));
    let Some(library) = read_checked(&path) else {
        return false;
    };
    let written = std::fs::File::create(destination).and_then(|mut out| out.write_all(&library));
    if written.is_err() {
        let _ = std::fs::remove_file(destination);
        return false;
    }
    touch(&path);
    true
}

/// Renews the modification time of the cache file at `path` (the least recently used go first); false when it
/// cannot be opened.
pub(crate) fn touch(path: &Path) -> bool {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .is_ok()
}

/// Writes `bytes` beside `path`, then renames it into place: a process that has the old file mapped keeps it
/// intact, a reader never sees half a file, and kernels sharing a folder never mix their writes.
pub(crate) fn write_aside(path: &Path, bytes: &[u8]) -> bool {
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".{}", std::process::id()));
    let partial = PathBuf::from(partial);
    let written = std::fs::File::create(&partial)
        .and_then(|mut file| file.write_all(bytes))
        .and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.is_ok()
}

/// The bytes kept in the cache file at `path` (written by [`append_checksum`]), or None when it cannot be read or
/// is corrupt (then it is removed).
pub(crate) fn read_checked(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let Some(split) = bytes.len().checked_sub(32) else {
        let _ = std::fs::remove_file(path);
        return None;
    };
    if sha2::Sha256::digest(&bytes[..split]).as_slice() != &bytes[split..] {
        let _ = std::fs::remove_file(path);
        return None;
    }
    bytes.truncate(split);
    Some(bytes)
}

/// Appends the SHA-256 of `bytes` to them, as the cache keeps every file ([`read_checked`]).
pub(crate) fn append_checksum(bytes: &mut Vec<u8>) {
    let checksum = sha2::Sha256::digest(&bytes[..]);
    bytes.extend_from_slice(checksum.as_slice());
}

/// Keeps a freshly built library under `key` (written aside, then renamed: kernels may share the folder). A cache
/// that cannot be written only costs speed, so errors are ignored.
pub(crate) fn store(key: &str, library: &Path) {
    let Some(folder) = folder() else {
        return;
    };
    let Ok(mut bytes) = std::fs::read(library) else {
        return;
    };
    if std::fs::create_dir_all(&folder).is_err() {
        return;
    }
    append_checksum(&mut bytes);
    write_aside(&folder.join(format!("{key}.{ENTRY_EXTENSION}")), &bytes);
    trim(&folder);
}

/// Removes the least recently used entries beyond [`KEPT_BYTES`], and files that are not entries (from older
/// versions of the patch, or writes interrupted more than an hour ago).
fn trim(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let now = std::time::SystemTime::now();
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let Ok(modified) = metadata.modified() else {
            continue;
        };
        let path = entry.path();
        // Cells, checked dependencies, and the shared libraries kept for cells (shared_libraries.rs).
        let is_entry = path.extension().is_some_and(|e| {
            e == ENTRY_EXTENSION
                || e == CHECKED_DEPENDENCY_EXTENSION
                || e == crate::shared_libraries::LIBRARY_EXTENSION
                || e == crate::shared_libraries::LIST_EXTENSION
        });
        let old = now
            .duration_since(modified)
            .is_ok_and(|age| age.as_secs() > 3600);
        if !is_entry && metadata.is_file() && old {
            let _ = std::fs::remove_file(&path);
        } else if is_entry {
            files.push((modified, metadata.len(), path));
        }
    }
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

/// `rustc -vV` of a compiler (the toolchain's version, commit and host), asked once per kernel and compiler.
pub(crate) fn compiler_version(rustc: &Path) -> Option<String> {
    static VERSIONS: Mutex<BTreeMap<PathBuf, Option<String>>> = Mutex::new(BTreeMap::new());
    let mut versions = VERSIONS.lock().ok()?;
    versions
        .entry(rustc.to_path_buf())
        .or_insert_with(|| {
            let output = std::process::Command::new(rustc).arg("-vV").output().ok()?;
            output
                .status
                .success()
                .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
        })
        .clone()
}

/// The cargo configuration files a build in `crate_dir` reads: `.cargo/config(.toml)` in it and every folder
/// above it, and in `$CARGO_HOME` (by default `~/.cargo`).
fn cargo_configs(crate_dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = crate_dir
        .ancestors()
        .map(|folder| folder.join(".cargo"))
        .collect();
    match std::env::var_os("CARGO_HOME") {
        Some(home) => folders.push(PathBuf::from(home)),
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                folders.push(PathBuf::from(home).join(".cargo"));
            }
        }
    }
    folders
        .into_iter()
        .flat_map(|folder| [folder.join("config"), folder.join("config.toml")])
        .collect()
}

/// The `path` of every path dependency a manifest declares (its dependency tables, build and target-specific
/// ones included, and `[workspace.dependencies]`), relative to the manifest's folder.
fn path_dependencies(manifest: &toml::Table) -> Vec<String> {
    let mut tables: Vec<&toml::Value> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|name| manifest.get(*name))
        .collect();
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        for target in targets.values() {
            for name in ["dependencies", "build-dependencies"] {
                tables.extend(target.get(name));
            }
        }
    }
    if let Some(workspace) = manifest.get("workspace") {
        tables.extend(workspace.get("dependencies"));
    }
    tables
        .into_iter()
        .filter_map(toml::Value::as_table)
        .flat_map(|table| table.values())
        .filter_map(|dependency| dependency.get("path")?.as_str().map(str::to_owned))
        .collect()
}

/// Hashes, for every path dependency of `manifest` (recursively): its folder, the content of its files, and the
/// manifest of the workspace it is a member of. None if a manifest or a file cannot be read.
fn hash_path_dependencies(
    manifest: &Path,
    hasher: &mut StableHasher,
    visited: &mut BTreeSet<PathBuf>,
) -> Option<()> {
    let table: toml::Table = std::fs::read_to_string(manifest).ok()?.parse().ok()?;
    hash_declared_path_dependencies(&table, manifest.parent()?, hasher, visited)
}

/// [`hash_path_dependencies`] of a manifest already parsed into `table`, in `folder`.
fn hash_declared_path_dependencies(
    table: &toml::Table,
    folder: &Path,
    hasher: &mut StableHasher,
    visited: &mut BTreeSet<PathBuf>,
) -> Option<()> {
    for path in path_dependencies(table) {
        let dependency = folder.join(path).canonicalize().ok()?;
        if !visited.insert(dependency.clone()) {
            continue;
        }
        hasher.field(dependency.to_string_lossy().as_bytes());
        hash_tree(&dependency, hasher)?;
        hash_path_dependencies(&dependency.join("Cargo.toml"), hasher, visited)?;
        if let Some(root) = workspace_root(&dependency) {
            if visited.insert(root.clone()) {
                let root_manifest = root.join("Cargo.toml");
                hasher.field(root_manifest.to_string_lossy().as_bytes());
                hasher.field(std::fs::read(&root_manifest).ok()?);
                hash_path_dependencies(&root_manifest, hasher, visited)?;
            }
        }
    }
    Some(())
}

/// The folder of the workspace a package belongs to, when it is not the package itself: the one its
/// `package.workspace` names, or else the nearest folder above it whose Cargo.toml has a `[workspace]` table.
fn workspace_root(package: &Path) -> Option<PathBuf> {
    let read = |folder: &Path| -> Option<toml::Table> {
        std::fs::read_to_string(folder.join("Cargo.toml"))
            .ok()?
            .parse()
            .ok()
    };
    let own = read(package)?;
    if own.contains_key("workspace") {
        return None;
    }
    if let Some(named) = own
        .get("package")
        .and_then(|p| p.get("workspace"))
        .and_then(toml::Value::as_str)
    {
        return package.join(named).canonicalize().ok();
    }
    package
        .ancestors()
        .skip(1)
        .find(|folder| read(folder).is_some_and(|table| table.contains_key("workspace")))
        .map(Path::to_path_buf)
}

/// Files up to this size are read and hashed at every key; larger ones (data, not code) are hashed once per kernel
/// and then again only when their size or modification time changes.
const ALWAYS_READ_BYTES: u64 = 64 << 10;

/// Hashes every file under `dir` in a fixed order, by relative path and content, skipping `target` folders and
/// hidden entries. By content, so that a fresh clone of the same sources finds the same key.
fn hash_tree(dir: &Path, hasher: &mut StableHasher) -> Option<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).ok()?.flatten().collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text.starts_with('.') || name_text == "target" {
            continue;
        }
        let path = entry.path();
        let metadata = std::fs::metadata(&path).ok()?;
        hasher.field(name_text.as_bytes());
        if metadata.is_dir() {
            hasher.field("dir");
            hash_tree(&path, hasher)?;
        } else if metadata.len() <= ALWAYS_READ_BYTES {
            hasher.field(std::fs::read(&path).ok()?);
        } else {
            hasher.field(large_file_hash(&path, &metadata)?);
        }
    }
    Some(())
}

/// The SHA-256 of a large file, remembered per kernel with the size and modification time it had.
fn large_file_hash(path: &Path, metadata: &std::fs::Metadata) -> Option<String> {
    type Known = HashMap<PathBuf, (u64, std::time::SystemTime, String)>;
    static KNOWN: Mutex<Option<Known>> = Mutex::new(None);
    let modified = metadata.modified().ok()?;
    let mut known = KNOWN.lock().ok()?;
    let known = known.get_or_insert_with(HashMap::new);
    if let Some((size, time, hash)) = known.get(path) {
        if *size == metadata.len() && *time == modified {
            return Some(hash.clone());
        }
    }
    let hash = hex(&sha2::Sha256::digest(std::fs::read(path).ok()?));
    known.insert(path.to_path_buf(), (metadata.len(), modified, hash.clone()));
    Some(hash)
}
