// blitz patch (not part of upstream evcxr): a persistent cache of the variable types rust-analyzer inferred.
//
// Every cell runs rust-analyzer to find the types of the variables it defines, and a new kernel first loads std
// and every dependency into rust-analyzer: seconds before the first output, and most of each later cell's time.
// A lesson's cells are the same every time a learner opens it, so the types found once can be reused: keyed on the
// cell's code, everything it can see (earlier items and variables) and the dependencies. With `EVCXR_TYPE_CACHE`
// naming a file, a cell whose key is there skips rust-analyzer; entries are added only after a cell compiled and
// ran. A cell that fails to compile with cached types is retried with rust-analyzer and its entry is dropped.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;

/// One variable a cell defines, as rust-analyzer reported it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct CachedVariable {
    pub(crate) name: String,
    pub(crate) type_name: String,
    pub(crate) is_mut: bool,
}

/// One line of the cache file: a key's variables, or (`variables` absent) that the key was dropped.
#[derive(serde::Serialize, serde::Deserialize)]
struct Line {
    key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    variables: Option<Vec<CachedVariable>>,
}

/// The cache file (JSON lines, appended to by every kernel that uses it) and what it held when read.
pub(crate) struct TypeCache {
    path: PathBuf,
    entries: HashMap<String, Vec<CachedVariable>>,
}

impl TypeCache {
    /// The cache named by `EVCXR_TYPE_CACHE`, or None when it is not set. Unreadable lines are skipped.
    pub(crate) fn from_env() -> Option<TypeCache> {
        let path = PathBuf::from(std::env::var_os("EVCXR_TYPE_CACHE")?);
        let mut entries = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(&path) {
            for line in text.lines() {
                let Ok(line) = serde_json::from_str::<Line>(line) else {
                    continue;
                };
                match line.variables {
                    Some(variables) => entries.insert(line.key, variables),
                    None => entries.remove(&line.key),
                };
            }
        }
        Some(TypeCache { path, entries })
    }

    /// The key of a cell: its code as written, the code around it (earlier items, stored variables and their
    /// types; sorted line by line, because evcxr emits items and variables in hash-map order, which differs
    /// between kernels), and the dependencies (also sorted). The evcxr version is part of it.
    pub(crate) fn key(user_code: &str, analysis_code: &str, dependencies: &str) -> String {
        fn sorted(text: &str) -> Vec<&str> {
            let mut lines: Vec<&str> = text.lines().map(str::trim).collect();
            lines.sort_unstable();
            lines
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        user_code.hash(&mut hasher);
        sorted(analysis_code).hash(&mut hasher);
        sorted(dependencies).hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Vec<CachedVariable>> {
        self.entries.get(key)
    }

    /// Records a key's variables, in memory and in the file.
    pub(crate) fn insert(&mut self, key: String, variables: Vec<CachedVariable>) {
        if self.entries.get(&key).is_some_and(|known| {
            known.len() == variables.len()
                && known
                    .iter()
                    .zip(&variables)
                    .all(|(a, b)| a.name == b.name && a.type_name == b.type_name)
        }) {
            return;
        }
        self.append(&Line {
            key: key.clone(),
            variables: Some(variables.clone()),
        });
        self.entries.insert(key, variables);
    }

    /// Drops a key whose types turned out wrong.
    pub(crate) fn remove(&mut self, key: &str) {
        if self.entries.remove(key).is_some() {
            self.append(&Line {
                key: key.to_owned(),
                variables: None,
            });
        }
    }

    /// Appends one line; a cache that cannot be written only costs speed, so errors are ignored.
    fn append(&self, line: &Line) {
        if let Ok(mut text) = serde_json::to_string(line) {
            text.push('\n');
            if let Ok(mut file) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
            {
                let _ = file.write_all(text.as_bytes());
            }
        }
    }
}
