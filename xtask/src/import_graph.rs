//! The tool's modules import each other without circles, and its leaves import nothing of the tool.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of the tool → the other top-level modules its source names as `crate::<module>`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        if ["main", "lib", "import_graph"].contains(&name.as_str()) {
            continue;
        }
        let text = if path.is_dir() {
            let mut all = String::new();
            for file in std::fs::read_dir(&path).unwrap() {
                all += &std::fs::read_to_string(file.unwrap().path()).unwrap();
            }
            all
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        sources.insert(name, text);
    }
    let names: Vec<String> = sources.keys().cloned().collect();
    sources
        .iter()
        .map(|(module, text)| {
            let used = names
                .iter()
                .filter(|other| *other != module)
                .filter(|other| {
                    text.contains(&format!("crate::{other}"))
                        || text.contains(&format!("crate::{{{other}"))
                        || text
                            .lines()
                            .filter(|l| l.trim_start().starts_with("use crate::{"))
                            .any(|l| {
                                l.split(['{', '}', ',', ' '])
                                    .any(|word| word == other.as_str())
                            })
                })
                .cloned()
                .collect();
            (module.clone(), used)
        })
        .collect()
}

#[test]
fn the_leaves_import_nothing_of_the_tool() {
    let graph = imports();
    assert!(
        graph["layout"].is_empty(),
        "layout imports {:?}",
        graph["layout"]
    );
    assert!(
        graph["lessons"].is_empty(),
        "lessons imports {:?}",
        graph["lessons"]
    );
    assert_eq!(
        graph["process"].iter().collect::<Vec<_>>(),
        ["layout"],
        "process imports only layout"
    );
}

#[test]
fn no_module_imports_itself_through_others() {
    let graph = imports();
    // Depth-first search for a back edge; the path found is printed if there is one.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(start) = path.iter().position(|n| n == node) {
            panic!("circular imports: {} -> {node}", path[start..].join(" -> "));
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in &graph[node] {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
    // The command-line's chores really are above the leaves.
    assert!(graph["setup"].contains("fork") && graph["fork"].contains("layout"));
}
