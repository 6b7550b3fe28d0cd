// blitz patch (not part of upstream evcxr): a persistent cache of the variable types rust-analyzer inferred.
//
// Every cell runs rust-analyzer to find the types of the variables it defines, and a new kernel first loads std
// and every dependency into rust-analyzer: seconds before the first output, and most of each later cell's time.
// A lesson's cells are the same every time a learner opens it, so the types found once can be reused: keyed on the
// cell's code, everything it can see (earlier items and variables) and the dependencies. With `EVCXR_TYPE_CACHE`
// naming a file, a cell whose key is there skips rust-analyzer; entries are added only after a cell compiled and
// ran. A cell that fails to compile with cached types is retried with rust-analyzer and its entry is dropped.
//
// Keys are SHA-256 (cell_cache.rs's StableHasher) and hold what the dependencies contain, not only how they are
// declared: the notebook crate's manifest and lock file, the toolchain, and every file of every path dependency
// (cell_cache::build_inputs). No key can be computed before the notebook's crate has a lock file; such a cell
// runs rust-analyzer.
//
// A cell is also recorded under its *shape* (`shape` below): its code and context with the values of number
// literals, comments, spacing and `println!`-like statements left out. An edited cell whose shape was seen (a
// changed number, an added `println!`) takes its types from there instead of loading rust-analyzer (about 5 s
// the first time in a kernel). The types of the variables a cell defines cannot depend on what is left out, except
// where a literal's value is a type (an array length) or a printed expression pins a type; a wrong type there
// fails to compile, and the cell is retried with rust-analyzer like any other wrong cached type.

use crate::cell_cache::StableHasher;
use std::collections::HashMap;
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
    /// types; sorted line by line, so that the order evcxr emits them in does not matter), the dependencies as
    /// declared (also sorted) and what they contain (`build_inputs`, from cell_cache::build_inputs).
    pub(crate) fn key(
        user_code: &str,
        analysis_code: &str,
        dependencies: &str,
        build_inputs: &str,
    ) -> String {
        fn sorted(text: &str) -> Vec<&str> {
            let mut lines: Vec<&str> = text.lines().map(str::trim).collect();
            lines.sort_unstable();
            lines
        }
        let mut hasher = StableHasher::new("variable types");
        hasher.field(user_code);
        for line in sorted(analysis_code) {
            hasher.field(line);
        }
        hasher.field("dependencies");
        for line in sorted(dependencies) {
            hasher.field(line);
        }
        hasher.field(build_inputs);
        hasher.finish()
    }

    /// The key of a cell's shape: like [`TypeCache::key`], with the code (cell and context) reduced to its
    /// [`shape`].
    pub(crate) fn shape_key(analysis_code: &str, dependencies: &str, build_inputs: &str) -> String {
        let mut hasher = StableHasher::new("variable types by shape");
        hasher.field(shape(analysis_code));
        let mut dependencies: Vec<&str> = dependencies.lines().map(str::trim).collect();
        dependencies.sort_unstable();
        for line in dependencies {
            hasher.field(line);
        }
        hasher.field(build_inputs);
        hasher.finish()
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

/// Rust code reduced to what decides the types of its variables: its tokens without spacing and comments, number
/// literals as their kind and suffix only (`0.01` and `0.02` are both `<float>`, `5u8` is `<int u8>`), and
/// without statements that only print (`println!`, `print!`, `eprintln!`, `eprint!`).
pub(crate) fn shape(code: &str) -> String {
    use ra_ap_syntax::{AstNode, NodeOrToken, SyntaxKind, TextSize, WalkEvent};
    let parse = ra_ap_syntax::SourceFile::parse(code, crate::rust_analyzer::EDITION);
    let root = parse.tree().syntax().clone();
    let mut out = String::with_capacity(code.len());
    let mut skip_until: Option<TextSize> = None;
    for event in root.preorder_with_tokens() {
        let WalkEvent::Enter(element) = event else {
            continue;
        };
        let range = element.text_range();
        if skip_until.is_some_and(|end| range.start() < end) {
            continue;
        }
        match element {
            NodeOrToken::Node(node) => {
                if is_print_statement(&node) {
                    skip_until = Some(range.end());
                }
            }
            NodeOrToken::Token(token) => {
                match token.kind() {
                    SyntaxKind::WHITESPACE | SyntaxKind::COMMENT => continue,
                    SyntaxKind::INT_NUMBER => out.push_str(&literal_shape("int", token.text())),
                    SyntaxKind::FLOAT_NUMBER => out.push_str(&literal_shape("float", token.text())),
                    _ => out.push_str(token.text()),
                }
                out.push(' ');
            }
        }
    }
    out
}

/// A number literal's kind and suffix: `<int>`, `<int u8>`, `<float f32>`.
fn literal_shape(kind: &str, text: &str) -> String {
    let radix = ["0x", "0o", "0b"].iter().any(|p| text.starts_with(p));
    // In hexadecimal, `f` is a digit; the suffixes of such literals start with `i` or `u`.
    let suffix_start = if radix {
        text.find(['i', 'u'])
    } else {
        text.find(['i', 'u', 'f'])
    };
    match suffix_start {
        Some(start) => format!("<{kind} {}>", &text[start..]),
        None => format!("<{kind}>"),
    }
}

/// Whether a syntax node is a statement that only prints: `println!(...);` and the like.
fn is_print_statement(node: &ra_ap_syntax::SyntaxNode) -> bool {
    use ra_ap_syntax::{AstNode, SyntaxKind, ast};
    let call = if let Some(statement) = ast::ExprStmt::cast(node.clone()) {
        match statement.expr() {
            Some(ast::Expr::MacroExpr(expr)) => expr.macro_call(),
            _ => None,
        }
    } else if node.parent().is_some_and(|parent| {
        matches!(
            parent.kind(),
            SyntaxKind::STMT_LIST | SyntaxKind::SOURCE_FILE
        )
    }) {
        ast::MacroCall::cast(node.clone())
    } else {
        None
    };
    call.and_then(|call| call.path())
        .and_then(|path| path.segment())
        .and_then(|segment| segment.name_ref())
        .is_some_and(|name| {
            matches!(
                name.text().to_string().as_str(),
                "println" | "print" | "eprintln" | "eprint"
            )
        })
}
