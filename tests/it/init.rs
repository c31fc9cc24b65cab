//! `argmap init` as a process: the project it makes passes the check, and it never writes
//! over anything (all or nothing).

use std::fs;
use std::path::Path;

use crate::common::argmap;
use predicates::prelude::*;

/// Every file `argmap init` writes, relative to the project's folder.
const WRITTEN: &[&str] = &[
    ".github/workflows/argmap.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "arguments/example.yaml",
    "references/example.yaml",
    "schemas/argument-map.schema.json",
    "schemas/references.schema.json",
];

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let kind = fs::symlink_metadata(&path).unwrap().file_type();
            if kind.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                out.push(relative.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn yaml(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn init_makes_a_project_that_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new project"); // made by init
    argmap()
        .args(["init", "--upstream", "acme/argmap@v9.9.9"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("arguments/example.yaml"))
        .stdout(predicate::str::contains("placeholder").not());
    assert_eq!(files_under(&dir), WRITTEN);

    argmap()
        .arg("check")
        .arg(&dir)
        .arg("--deny-warnings")
        .assert()
        .success()
        .stdout("1 map, 4 claims, 2 references: 0 errors, 0 warnings\n");
    let out = argmap()
        .arg("check")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));

    // The schemas are argmap's, and each example file names its own on its first line.
    for (which, file) in [
        ("map", "schemas/argument-map.schema.json"),
        ("references", "schemas/references.schema.json"),
    ] {
        let printed = argmap().args(["schema", which]).output().unwrap().stdout;
        assert!(fs::read(dir.join(file)).unwrap() == printed, "{file}");
    }
    for (file, schema) in [
        ("arguments/example.yaml", "argument-map.schema.json"),
        ("references/example.yaml", "references.schema.json"),
    ] {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        let modeline = format!("# yaml-language-server: $schema=../schemas/{schema}");
        assert_eq!(text.lines().next(), Some(modeline.as_str()), "{file}");
        assert!(text.contains("example"), "{file} says it is an example");
        let named = dir
            .join(file)
            .parent()
            .unwrap()
            .join(format!("../schemas/{schema}"));
        let schema = serde_json::from_slice(&fs::read(named).unwrap()).unwrap();
        crate::cli::validate(&schema, &text).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let gitignore = fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == ".argmap/"), "{gitignore}");
}

#[test]
fn the_workflow_and_pre_commit_config_it_writes_are_yaml_naming_argmap() {
    let tmp = tempfile::tempdir().unwrap();
    argmap()
        .args(["init", "--upstream", "acme/argmap@v9.9.9"])
        .arg(tmp.path())
        .assert()
        .success();
    let workflow = yaml(&tmp.path().join(".github/workflows/argmap.yml"));
    for event in ["push", "pull_request", "schedule"] {
        assert!(workflow["on"].get(event).is_some(), "on: {event}");
    }
    let jobs = workflow["jobs"].as_object().unwrap();
    let steps: Vec<&serde_json::Value> = jobs
        .values()
        .flat_map(|job| job["steps"].as_array().unwrap())
        .collect();
    let action = steps
        .iter()
        .find(|s| s["uses"] == "acme/argmap@v9.9.9")
        .unwrap_or_else(|| panic!("no step uses the action: {steps:?}"));
    let with = action["with"].as_object().unwrap();
    let inputs = crate::ci::action()["inputs"].clone();
    for name in with.keys() {
        assert!(inputs.get(name).is_some(), "the action has no input {name}");
    }
    assert!(
        jobs.values()
            .any(|job| job["permissions"]["security-events"] == "write"),
        "the SARIF upload needs security-events: write"
    );

    let config = yaml(&tmp.path().join(".pre-commit-config.yaml"));
    let repo = &config["repos"][0];
    assert_eq!(repo["repo"], "https://github.com/acme/argmap");
    assert_eq!(repo["rev"], "v9.9.9");
    let id = repo["hooks"][0]["id"].as_str().unwrap();
    let hooks = crate::ci::hooks();
    assert!(
        hooks.as_array().unwrap().iter().any(|h| h["id"] == id),
        "no hook {id} in .pre-commit-hooks.yaml"
    );
}

#[test]
fn without_upstream_it_says_the_workflow_names_a_placeholder() {
    let tmp = tempfile::tempdir().unwrap();
    // DIR defaults to the current folder.
    argmap()
        .arg("init")
        .current_dir(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("placeholder"));
    assert_eq!(files_under(tmp.path()), WRITTEN);
    let workflow = fs::read_to_string(tmp.path().join(".github/workflows/argmap.yml")).unwrap();
    assert!(workflow.contains("uses: OWNER/argmap@v"), "{workflow}");
}

#[test]
fn init_again_refuses_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    argmap().arg("init").arg(tmp.path()).assert().success();
    let map = tmp.path().join("arguments/example.yaml");
    fs::write(&map, "title: mine\n").unwrap();
    let mut stderr = predicate::str::contains("nothing written").boxed();
    for file in WRITTEN {
        stderr = stderr.and(predicate::str::contains(*file)).boxed();
    }
    argmap()
        .arg("init")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(stderr);
    assert_eq!(fs::read_to_string(&map).unwrap(), "title: mine\n");
    assert_eq!(files_under(tmp.path()), WRITTEN);
}

/// One file of the project there already (a `.gitignore` of the user's): init names it and
/// writes nothing else, so a project is never half set up.
#[test]
fn one_conflicting_file_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join(".gitignore"), "/target\n").unwrap();
    argmap()
        .arg("init")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing written"))
        .stderr(predicate::str::contains(".gitignore"))
        .stderr(predicate::str::contains("arguments/example.yaml").not());
    assert_eq!(files_under(tmp.path()), [".gitignore"]);
    assert_eq!(
        fs::read_to_string(tmp.path().join(".gitignore")).unwrap(),
        "/target\n"
    );
}

/// Not a regular file either: a folder's name taken by a file, a dangling symbolic link
/// where a file would go (its target is not made), a DIR that is a file.
#[test]
fn anything_in_the_way_is_a_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("arguments"), "").unwrap();
    argmap()
        .arg("init")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("arguments/ (not a folder)"));
    assert_eq!(files_under(tmp.path()), ["arguments"]);

    #[cfg(unix)]
    {
        let tmp = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("elsewhere.yaml", tmp.path().join(".pre-commit-config.yaml"))
            .unwrap();
        argmap()
            .arg("init")
            .arg(tmp.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(".pre-commit-config.yaml"));
        assert_eq!(files_under(tmp.path()), [".pre-commit-config.yaml"]);
        assert!(!tmp.path().join("elsewhere.yaml").exists());
    }

    let file = tmp.path().join("arguments");
    argmap()
        .arg("init")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a folder"));
    argmap()
        .args(["init", "--upstream", "acme/argmap@v1\n  evil: true"])
        .arg(tmp.path().join("new"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("OWNER/REPO@REF"));
    assert!(!tmp.path().join("new").exists());
}
