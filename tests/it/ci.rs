//! What runs argmap elsewhere: the GitHub Action (`action.yml`), the repository's own
//! workflow that uses it, and the pre-commit hook (`.pre-commit-hooks.yaml`).
//!
//! The action's check step is run here as the runner runs it (bash, `-eo pipefail`, its
//! inputs through its `env:`), on projects in a sub-folder, so the paths it gives the
//! annotations and code scanning are held too. It uses `jq` (on GitHub's runners, and
//! installed by `make test`).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{MAP, Project};
use predicates::prelude::*;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(file: &str) -> serde_json::Value {
    let text = fs::read_to_string(repo_root().join(file)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// `action.yml`, parsed.
pub(crate) fn action() -> serde_json::Value {
    yaml("action.yml")
}

/// `.pre-commit-hooks.yaml`, parsed.
pub(crate) fn hooks() -> serde_json::Value {
    yaml(".pre-commit-hooks.yaml")
}

fn steps(action: &serde_json::Value) -> &Vec<serde_json::Value> {
    action["runs"]["steps"].as_array().unwrap()
}

#[test]
fn the_action_declares_its_inputs_and_steps() {
    let action = action();
    assert!(action["name"].is_string() && action["description"].is_string());
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().unwrap();
    for (name, default) in [
        ("root", "."),
        ("online", "false"),
        ("deny-warnings", "false"),
        ("sarif", "true"),
        ("version", ""),
        ("mailto", ""),
    ] {
        let input = &inputs[name];
        assert_eq!(input["default"], default, "the default of {name}");
        assert!(input["description"].is_string(), "{name} is undescribed");
    }
    let steps = steps(&action);
    for step in steps {
        let name = &step["name"];
        if let Some(run) = step["run"].as_str() {
            assert!(
                step["shell"].is_string(),
                "{name}: composite run steps need a shell"
            );
            // Inputs reach scripts through `env:`, never pasted into the script's text.
            assert!(
                !run.contains("${{"),
                "{name} expands an expression in its script"
            );
        } else {
            assert!(step["uses"].is_string(), "{name}: neither run nor uses");
        }
    }
    let uses = |prefix: &str| {
        steps
            .iter()
            .filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
            .count()
    };
    assert_eq!(uses("github/codeql-action/upload-sarif@"), 1);
    assert!(uses("actions/cache/restore@") >= 1 && uses("actions/cache/save@") >= 1);
    let build = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains("cargo install"))
        .expect("a step builds argmap");
    assert!(
        build.contains("cargo install --locked --path \"$ACTION_PATH\""),
        "{build}"
    );
    assert!(build.contains("cargo install --locked --git"), "{build}");
}

#[test]
fn the_repositorys_workflow_uses_the_action() {
    let workflow = yaml(".github/workflows/argmap.yml");
    let jobs = workflow["jobs"].as_object().unwrap();
    let inputs = action()["inputs"].clone();
    let mut online = false;
    for (name, job) in jobs {
        let step = job["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["uses"] == "./")
            .unwrap_or_else(|| panic!("job {name} does not use the action (uses: ./)"));
        for input in step["with"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            assert!(
                inputs.get(input).is_some(),
                "{name}: the action has no input {input}"
            );
        }
        online |= step["with"]["online"].as_bool() == Some(true);
        assert_eq!(job["permissions"]["security-events"], "write", "{name}");
    }
    assert!(online, "no job checks online");
}

#[test]
fn the_pre_commit_hook_is_what_pre_commit_needs() {
    let hooks = hooks();
    let hooks = hooks.as_array().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "argmap")
        .expect("hook argmap");
    for field in ["id", "name", "entry", "language"] {
        assert!(hook[field].is_string(), "{field} missing");
    }
    assert_eq!(hook["entry"], "argmap check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    // pre-commit builds the repository's binary and runs the entry's first word.
    assert!(Path::new(env!("CARGO_BIN_EXE_argmap")).exists());
    let files = predicate::str::is_match(hook["files"].as_str().unwrap()).unwrap();
    for path in [
        "arguments/russia-sco.yaml",
        "arguments/m.YML",
        "references/refs.yml",
        "sources/guliev2020.txt",
        "argmap.toml",
    ] {
        assert!(files.eval(path), "{path} does not run the hook");
    }
    for path in [
        "src/main.rs",
        "README.md",
        "tests/fixtures/x/arguments/m.yaml",
    ] {
        assert!(!files.eval(path), "{path} runs the hook");
    }
    // The README shows a user what to add, with this id.
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(
        readme.contains("hooks: [{id: argmap}]"),
        "README shows no pre-commit config"
    );
}

/// The check step's script and environment, `${{ inputs.NAME }}` replaced by `inputs` or
/// the input's default.
fn check_step(inputs: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    let action = action();
    let step = steps(&action)
        .iter()
        .find(|s| s["id"] == "check")
        .expect("a step with id check")
        .clone();
    assert_eq!(step["shell"], "bash");
    let env = step["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, value)| {
            let value = value.as_str().unwrap();
            let name = value
                .strip_prefix("${{ inputs.")
                .and_then(|v| v.strip_suffix(" }}"))
                .unwrap_or_else(|| panic!("{key}: {value} is not an input"));
            let given = inputs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
            let default = action["inputs"][name]["default"].as_str().unwrap();
            (key.clone(), given.unwrap_or(default).to_owned())
        })
        .collect();
    (step["run"].as_str().unwrap().to_owned(), env)
}

struct StepRun {
    status: i32,
    stdout: String,
    outputs: String,
    sarif: Option<serde_json::Value>,
}

/// Runs the check step in `cwd` as the runner would, argmap on PATH.
fn run_check_step(cwd: &Path, inputs: &[(&str, &str)]) -> StepRun {
    let (script, env) = check_step(inputs);
    let runner = tempfile::tempdir().unwrap();
    let script_file = runner.path().join("step.sh");
    fs::write(&script_file, script).unwrap();
    let outputs = runner.path().join("outputs");
    fs::write(&outputs, "").unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_argmap")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_owned()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script_file)
        .current_dir(cwd)
        .envs(env)
        .env("PATH", path)
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_OUTPUT", &outputs)
        .env("NO_COLOR", "1")
        .env_remove("ARGMAP_MAILTO")
        .output()
        .expect("bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("command not found"),
        "the step needs a program that is missing (jq?): {stderr}"
    );
    let outputs = fs::read_to_string(&outputs).unwrap();
    let sarif = outputs
        .lines()
        .find_map(|l| l.strip_prefix("sarif-file="))
        .filter(|f| !f.is_empty())
        .map(|f| serde_json::from_slice(&fs::read(f).unwrap()).expect("SARIF is JSON"));
    StepRun {
        status: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        outputs,
        sarif,
    }
}

/// The artifact URIs of a SARIF log's results.
fn uris(sarif: &serde_json::Value) -> Vec<String> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
            uri.as_str().unwrap().to_owned()
        })
        .collect()
}

/// A repository with its project in `papers, 2/` (a space and a comma, which URIs and
/// workflow commands escape).
fn repository(project: Project) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    fs::rename(project.path(), repo.path().join("papers, 2")).unwrap();
    repo
}

#[test]
fn the_action_fails_on_errors_and_places_findings_in_the_repository() {
    let broken = Project::valid().with("arguments/m.yaml", MAP.replace("[@paper]", "[@nobody]"));
    let repo = repository(broken);
    for root in ["papers, 2", "./papers, 2/"] {
        let run = run_check_step(repo.path(), &[("root", root)]);
        assert_eq!(run.status, 1, "{root}: {}", run.stdout);
        assert!(
            run.stdout.contains(
                "::error file=papers%2C 2/arguments/m.yaml,line=5,col=23,endLine=5,endColumn=30,title=unknown-reference::"
            ),
            "{root}: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("::notice title=argmap::"),
            "{}",
            run.stdout
        );
        let sarif = run.sarif.expect("a SARIF file, by default");
        assert_eq!(uris(&sarif), ["papers%2C%202/arguments/m.yaml"], "{root}");
    }
    // From the project's own folder, paths need no prefix.
    let run = run_check_step(&repo.path().join("papers, 2"), &[("sarif", "false")]);
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.contains("::error file=arguments/m.yaml,"),
        "{}",
        run.stdout
    );
    assert!(run.sarif.is_none());
    assert!(run.outputs.contains("sarif-file=\n"), "{}", run.outputs);
}

#[test]
fn the_action_passes_clean_projects_and_warnings_unless_denied() {
    let warnings = Project::valid().with(
        "arguments/m.yaml",
        format!("{MAP}  - id: alone\n    text: Alone [@paper].\n"),
    );
    let repo = repository(warnings);
    let run = run_check_step(repo.path(), &[("root", "papers, 2")]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("::warning file=papers%2C 2/arguments/m.yaml,"),
        "{}",
        run.stdout
    );
    assert_eq!(run.sarif.map(|s| uris(&s).len()), Some(1));
    let denied = run_check_step(
        repo.path(),
        &[("root", "papers, 2"), ("deny-warnings", "true")],
    );
    assert_eq!(denied.status, 1, "{}", denied.stdout);

    let clean = repository(Project::valid());
    let run = run_check_step(clean.path(), &[("root", "papers, 2")]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(run.sarif.map(|s| uris(&s).len()), Some(0));
}

#[test]
fn the_action_stops_when_argmap_cannot_run_or_an_input_is_not_a_boolean() {
    let repo = repository(Project::valid());
    let missing = run_check_step(repo.path(), &[("root", "nowhere")]);
    assert_eq!(missing.status, 2);
    assert!(
        missing.sarif.is_none(),
        "no SARIF to upload when argmap could not run"
    );
    let bad = run_check_step(repo.path(), &[("root", "papers, 2"), ("online", "yes")]);
    assert_eq!(bad.status, 2);
    assert!(
        bad.stdout
            .contains("::error title=argmap::online must be true or false"),
        "{}",
        bad.stdout
    );
}
