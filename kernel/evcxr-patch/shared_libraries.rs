// blitz patch (not part of upstream evcxr): Rust shared libraries (`dylib` crates) the notebook's crate links to.
//
// blitz builds itself as a `dylib` as well as an rlib. Linked statically, every cell's library carried its own copy
// of the parts of blitz and candle it used, and linking them was half of an edited cell's compile (0.14 of
// 0.28 s, `-Z time-passes`). With `-Cprefer-dynamic` (which evcxr passes) rustc links each cell against
// `libblitz.so` in the build folder's `deps/` instead (0.02 s), and the kernel's process loads blitz once for all
// cells.
//
// Two things follow, both handled here:
//
// - A cell served from the compiled-cell cache (cell_cache.rs) needs the `libblitz.so` it was linked against, built
//   from the same inputs, in `deps/` (a new build folder has none; an old one may hold another build). So after
//   cargo builds, the libraries are kept in the cell cache under the key of the build's inputs (the
//   direct-build key: every build input but the cell's code), and before a cell is restored, the libraries of its
//   key are put in `deps/` when the folder has none (a new build folder: no 40 s build of blitz before the first
//   cell). A folder holding another build of them builds the cell with cargo instead.
// - The dynamic loader loads a library once per process and by name: if blitz is rebuilt (its code or settings
//   changed) after the kernel's process loaded `libblitz.so`, every later cell would be linked against the new build
//   but run against the old one, which can crash or silently misbehave. Before each cell is loaded, the process's
//   mapped files (`/proc/<pid>/maps`) show whether it holds an older file than the one in `deps/`; if that older
//   file was built from other inputs, the cell is not run and the learner is asked to restart the kernel (a Python
//   kernel, too, keeps running a module's old code until it restarts, but says nothing).

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The file in `deps/` naming the key of the inputs the libraries there were built from.
const MARKER_FILE: &str = ".blitz-shared-libraries.key";
/// The extension of a kept library in the cell cache: its bytes followed by their SHA-256.
pub(crate) const LIBRARY_EXTENSION: &str = "library";
/// The extension of the list of libraries kept for one key.
pub(crate) const LIST_EXTENSION: &str = "libraries";

/// The names of the Rust shared libraries in `deps_dir` that cells link to: every `lib*.so` but the cells' own
/// (`libctx.so`, which cargo builds, and evcxr's copies of it, `libcode_<n>.so`).
fn library_names(deps_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(deps_dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| {
            name.starts_with("lib")
                && name.ends_with(".so")
                && name != "libctx.so"
                && !name.starts_with("libcode_")
        })
        .collect();
    names.sort();
    names
}

/// The file in `deps/` naming, for each library there, the package cargo last built it for.
const BUILT_FOR_FILE: &str = ".blitz-shared-libraries.built-for.json";

/// After cargo built the notebook's crate, with `cargo_stdout` its JSON messages: whether a library in `deps_dir`
/// that cargo reported as up to date was last built for another package (then its files are removed, and the
/// caller must build again, which rebuilds it).
///
/// cargo names a `dylib` and its rlib without the hash other libraries carry (`libblitz.so`, `libblitz.rlib`), so
/// two copies of blitz used from one build folder (two checkouts of the course, a clone the tests made) write the
/// same files, and cargo, which only compares each package's sources with its own records, keeps calling the
/// other copy's files up to date: cells would then be linked against one build and restored from the cache for the
/// other ("undefined symbol" when loaded). cargo rebuilds a library whose files are missing.
pub(crate) fn overwritten(cargo_stdout: &[u8], deps_dir: &Path) -> bool {
    let libraries = library_names(deps_dir);
    let record_path = deps_dir.join(BUILT_FOR_FILE);
    let mut record: BTreeMap<String, String> = std::fs::read(&record_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let mut stale = Vec::new();
    for line in String::from_utf8_lossy(cargo_stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" {
            continue;
        }
        let (Some(package), Some(fresh), Some(files)) = (
            message["package_id"].as_str(),
            message["fresh"].as_bool(),
            message["filenames"].as_array(),
        ) else {
            continue;
        };
        let names: Vec<&str> = files
            .iter()
            .filter_map(|file| Path::new(file.as_str()?).file_name()?.to_str())
            .collect();
        for name in names
            .iter()
            .filter(|name| libraries.iter().any(|l| l == *name))
        {
            if !fresh {
                record.insert(name.to_string(), package.to_owned());
            } else if record.get(*name).map(String::as_str) != Some(package) {
                stale.extend(names.iter().map(|name| deps_dir.join(name)));
                record.remove(*name);
            }
        }
    }
    if let Ok(text) = serde_json::to_vec(&record) {
        let _ = std::fs::write(&record_path, text);
    }
    for file in &stale {
        let _ = std::fs::remove_file(file);
    }
    !stale.is_empty()
}

/// Before cargo builds: what `deps/` holds may change, so the marker no longer holds.
pub(crate) fn forget(deps_dir: &Path) {
    let _ = std::fs::remove_file(deps_dir.join(MARKER_FILE));
}

/// After cargo built the notebook's crate for inputs with `key`: marks `deps_dir`'s libraries as built from
/// them and keeps them in the cell cache (once per key). A cache that cannot be written only costs speed.
pub(crate) fn built(key: &str, deps_dir: &Path) {
    let names = library_names(deps_dir);
    let _ = std::fs::write(deps_dir.join(MARKER_FILE), key);
    let Some(folder) = crate::cell_cache::folder() else {
        return;
    };
    if std::fs::create_dir_all(&folder).is_err() {
        return;
    }
    let list = folder.join(format!("{key}.{LIST_EXTENSION}"));
    let entry = |name: &str| folder.join(format!("{key}-{name}.{LIBRARY_EXTENSION}"));
    let kept = std::fs::read_to_string(&list).is_ok_and(|text| {
        text.lines()
            .filter(|name| !name.is_empty())
            .all(|name| entry(name).exists())
    });
    if kept {
        return;
    }
    for name in &names {
        let Ok(mut bytes) = std::fs::read(deps_dir.join(name)) else {
            return;
        };
        crate::cell_cache::append_checksum(&mut bytes);
        if !crate::cell_cache::write_aside(&entry(name), &bytes) {
            return;
        }
    }
    // The list last: a key with a list has every library it names.
    crate::cell_cache::write_aside(&list, names.join("\n").as_bytes());
}

/// Before a cell built for inputs with `key` is restored from the cell cache: makes sure `deps_dir` holds the
/// libraries built from those inputs. A library missing there (a new build folder) is copied from the cache; one
/// there must have the same bytes. A library built in this folder from other inputs is not replaced: cargo's
/// record of what it built, and the rustc command replayed for edited cells (direct_build.rs), would no longer
/// match the folder. False (the cell is then built by cargo) when a library differs, is not in the cache, or
/// cannot be checked or written.
pub(crate) fn provide(key: &str, deps_dir: &Path) -> bool {
    if std::fs::read_to_string(deps_dir.join(MARKER_FILE)).is_ok_and(|marker| marker == key) {
        return true;
    }
    let Some(folder) = crate::cell_cache::folder() else {
        return false;
    };
    let Ok(list) = std::fs::read_to_string(folder.join(format!("{key}.{LIST_EXTENSION}"))) else {
        return false;
    };
    for name in list.lines().filter(|name| !name.is_empty()) {
        let entry = folder.join(format!("{key}-{name}.{LIBRARY_EXTENSION}"));
        let Some(library) = crate::cell_cache::read_checked(&entry) else {
            return false;
        };
        let path = deps_dir.join(name);
        if path.exists() {
            let same = std::fs::metadata(&path).is_ok_and(|m| m.len() == library.len() as u64)
                && std::fs::read(&path).is_ok_and(|bytes| bytes == library);
            if !same {
                return false;
            }
        } else if !crate::cell_cache::write_aside(&path, &library) {
            return false;
        }
        crate::cell_cache::touch(&entry);
    }
    std::fs::write(deps_dir.join(MARKER_FILE), key).is_ok()
}

/// The shared libraries one kernel process has loaded from `deps/`, and the key of the inputs each was built
/// from, as first seen.
#[derive(Default)]
pub(crate) struct Loaded {
    pid: u32,
    keys: BTreeMap<String, Option<String>>,
}

/// The inode of each file the process `pid` maps, by path (a file replaced since it was mapped is listed as
/// "<path> (deleted)" and keeps its old inode).
fn mapped_files(pid: u32) -> BTreeMap<PathBuf, u64> {
    let Ok(maps) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
        return BTreeMap::new();
    };
    maps.lines()
        .filter_map(|line| {
            // address perms offset device inode path
            let mut fields = line.splitn(6, ' ');
            let inode: u64 = fields.nth(4)?.parse().ok()?;
            let path = fields.next()?.trim_start();
            let path = path.strip_suffix(" (deleted)").unwrap_or(path);
            path.starts_with('/').then(|| (PathBuf::from(path), inode))
        })
        .collect()
}

impl Loaded {
    /// Before the process `pid` loads a cell: an error for the learner when it holds a library from `deps_dir`
    /// that was rebuilt from other inputs since it was loaded. Nothing is checked where /proc cannot be read.
    /// The error is in `language` (learner_messages.rs).
    pub(crate) fn check(&mut self, pid: u32, deps_dir: &Path, language: u32) -> Result<(), String> {
        if self.pid != pid {
            *self = Loaded {
                pid,
                keys: BTreeMap::new(),
            };
        }
        let mapped = mapped_files(pid);
        let marker = std::fs::read_to_string(deps_dir.join(MARKER_FILE)).ok();
        for name in library_names(deps_dir) {
            let path = deps_dir.join(&name);
            let Some(&mapped_inode) = mapped.get(&path) else {
                continue;
            };
            let current_inode = std::fs::metadata(&path).map(|m| m.ino()).ok();
            let first_key = self.keys.get(&name).cloned().flatten();
            if current_inode == Some(mapped_inode) {
                // The file it loaded is the one in `deps/`: remember what it was built from.
                if first_key.is_none() {
                    self.keys.insert(name, marker.clone());
                }
                continue;
            }
            if first_key.is_some() && first_key == marker {
                // Rebuilt from the same inputs (cargo saw a file touched, say): the same code.
                continue;
            }
            let library = name
                .trim_start_matches("lib")
                .trim_end_matches(".so")
                .to_owned();
            return Err(crate::learner_messages::message(
                language,
                "kernel-library-rebuilt",
                &[("library", &library), ("name", &name)],
            ));
        }
        Ok(())
    }

    /// After the process `pid` ran a cell: remembers what each library it loaded from `deps_dir` was built from.
    /// Once every library there is remembered, nothing is read (the process's map grows with every cell).
    pub(crate) fn note(&mut self, pid: u32, deps_dir: &Path) {
        let all_known = self.pid == pid
            && library_names(deps_dir)
                .iter()
                .all(|name| self.keys.get(name).is_some_and(Option::is_some));
        if !all_known {
            let _ = self.check(pid, deps_dir, 0);
        }
    }
}
