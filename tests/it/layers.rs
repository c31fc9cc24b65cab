//! The library's layers hold: `src/lib.rs` lists its modules layer by layer (`// Layer N`
//! headings), and no module imports (`crate::...`) from a module of a higher layer. The
//! binary (`src/main.rs`, `src/cli/`) is its own crate and stands above them all.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::tidy::rust_files;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Each module of `src/lib.rs` and its layer, from the `// Layer N` headings.
fn layers(lib: &str) -> BTreeMap<String, u32> {
    let mut layer = None;
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        if let Some(rest) = line.strip_prefix("// Layer ") {
            let n = rest.split(|c: char| !c.is_ascii_digit()).next().unwrap();
            layer = Some(n.parse::<u32>().expect("a layer number"));
        } else if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|r| r.strip_suffix(';'))
        {
            let layer =
                layer.unwrap_or_else(|| panic!("module `{name}` is listed before any layer"));
            out.insert(name.to_owned(), layer);
        }
    }
    out
}

/// The items the crate root re-exports (`pub use analysis::{Analysis, AnalysisHost};`),
/// by the module they come from: `crate::Analysis` is an import of `analysis`.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line
            .strip_prefix("pub use ")
            .and_then(|r| r.strip_suffix(';'))
        else {
            continue;
        };
        let (module, items) = rest.split_once("::").expect("a path");
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let name = item.trim().rsplit("::").next().unwrap().to_owned();
            out.insert(name, module.to_owned());
        }
    }
    out
}

/// The code of a file without its comments (string literals kept: a `//` in a string does
/// not start a comment).
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut previous = ' ';
        let mut kept = String::new();
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
            } else if c == '"' && previous != '\'' {
                in_string = true;
            } else if c == '/' && previous == '/' {
                kept.pop();
                break;
            }
            kept.push(c);
            previous = c;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The top-level modules a file's code names through `crate::`: `crate::a::b`, and each
/// name of a group, `crate::{a, b::c, d::{e, f}}`.
fn imports(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        // `argmap_crate::` or `self.crate::` is no path of this crate.
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut name = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(std::mem::take(&mut name));
                        at_start = true;
                    }
                    c if depth == 0 && at_start && (c.is_alphanumeric() || c == '_') => {
                        name.push(c)
                    }
                    c if depth == 0 && !c.is_whitespace() && !name.is_empty() => at_start = false,
                    _ => {}
                }
            }
            out.push(name);
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let src = src();
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let layers = layers(&lib);
    let reexports = reexports(&lib);
    assert_eq!(
        reexports.get("AnalysisHost").map(String::as_str),
        Some("analysis")
    );
    assert!(layers.len() > 20, "the layers were read: {layers:?}");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    for path in files {
        let relative = path.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.strip_suffix(".rs").unwrap_or(&top).to_owned();
        if ["lib", "main", "cli"].contains(&module.as_str()) {
            continue;
        }
        let Some(&layer) = layers.get(&module) else {
            panic!("`{module}` is in no layer of src/lib.rs: list it under its layer");
        };
        for name in imports(&code(&fs::read_to_string(&path).unwrap())) {
            // An item of the crate root (`crate::Rule`) is its module's.
            let name = reexports.get(&name).cloned().unwrap_or(name);
            let Some(&other) = layers.get(&name) else {
                continue;
            };
            if other > layer {
                upward.push(format!(
                    "{} (layer {layer}) imports `{name}` (layer {other})",
                    relative.display()
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that run up a layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_import_reader_reads_paths_groups_and_not_comments() {
    let found = imports(&code(
        "use crate::{a, b::c, d::{e, f}};\nlet x = crate::g::h();\n// crate::nope\nlet s = \"crate::quoted // x\"; crate::after\n",
    ));
    assert_eq!(found, ["a", "b", "d", "g", "quoted", "after"]);
    let layers = layers("// Layer 1, text\npub mod a;\n\n// Layer 2, more\npub mod b;\n");
    assert_eq!(layers["a"], 1);
    assert_eq!(layers["b"], 2);
}
