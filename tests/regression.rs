//! Regression tests named after the bugs they pin: each failed before its fix. Most run
//! the binary as a process on a small project, as a user or a CI job would.

mod common;

use std::fs;
use std::path::Path;

use common::{Project, argmap, json_report, rules_of};

/// A map of the given claims under the usual header; the references define `src`, `a`, `b`.
fn project(claims: &str) -> Project {
    Project::empty()
        .with(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: S}\n  - {id: a, type: book, title: A}\n  - {id: b, type: book, title: B}\n",
        )
        .with(
            "arguments/m.yaml",
            format!("title: T\nsource: src\nclaims:\n{claims}"),
        )
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

fn first_place(report: &serde_json::Value) -> (u64, u64) {
    let d = &report["diagnostics"][0];
    (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
}

// ---- data loss and exit codes ----

#[cfg(unix)]
#[test]
fn dot_output_through_a_symlink_keeps_the_link() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let target = p.path().join("real.dot");
    let link = p.path().join("link.dot");
    fs::write(&target, "stale").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    argmap()
        .args(["dot", p.path().to_str().unwrap(), "-o"])
        .arg(&link)
        .assert()
        .code(0);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&target).unwrap().starts_with("digraph"));
}

#[cfg(unix)]
#[test]
fn dot_output_to_a_fifo_reaches_its_reader() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let fifo = p.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    argmap()
        .args(["dot", p.path().to_str().unwrap(), "-o"])
        .arg(&fifo)
        .assert()
        .code(0);
    assert!(reader.join().unwrap().starts_with("digraph"));
    assert!(!fs::metadata(&fifo).unwrap().is_file(), "still a FIFO");
}

#[cfg(target_os = "linux")]
#[test]
fn dot_output_to_dev_full_exits_2_and_dev_null_stays_a_device() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let root = p.path().to_str().unwrap();
    argmap()
        .args(["dot", root, "-o", "/dev/full"])
        .assert()
        .code(2);
    argmap()
        .args(["dot", root, "-o", "/dev/null"])
        .assert()
        .code(0);
    assert!(!fs::metadata("/dev/null").unwrap().is_file());
    assert!(!fs::metadata("/dev/full").unwrap().is_file());
}

#[test]
fn dot_output_error_names_the_file_not_a_temporary() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let out = argmap()
        .args(["dot", p.path().to_str().unwrap(), "-o"])
        .arg(p.path().join("no/such/folder/out.dot"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no/such/folder/out.dot"), "{err}");
    assert!(!err.contains(".argmap-"), "no temporary file named: {err}");
}

/// Runs argmap with stdout on `/dev/full`: every command that writes a report must fail.
#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_exits_2() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let root = p.path().to_str().unwrap();
    for args in [
        vec!["check", root, "--format", "json"],
        vec!["check", root],
        vec!["dot", root],
        vec!["rules"],
        vec!["rules", "dangling-link"],
        vec!["completions", "bash"],
    ] {
        let full = fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_argmap"))
            .args(&args)
            .stdout(full)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

// ---- security ----

#[test]
fn terminal_escapes_never_reach_human_output() {
    let p = project(concat!(
        "  - id: x\n",
        "    text: \"hi [@{\\u001b]0;PWNED\\u0007\\u001b[2J}]\"\n",
        "    supports: [\"\\u001b[2Jzz\"]\n",
        "  - id: y\n",
        "    text: ok [@src]\n",
        "    cites: [\"@\\u001b[31mq\"]\n",
    ));
    // The files hold the escapes as YAML escapes; what argmap decodes is a raw ESC.
    let out = p.check().env_remove("NO_COLOR").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text}");
    assert!(text.contains("\\u{1b}]0;PWNED"), "shown as an escape: {text}");
    let github = stdout(p.check().args(["--format", "github"]));
    assert!(!github.contains('\u{1b}'), "{github}");
    // Machine formats keep the text exact.
    let json = json_report(&p);
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("\u{1b}]0;PWNED\u{7}"))
    );
}

#[test]
fn raw_control_bytes_in_a_snippet_are_masked() {
    // A raw ESC is not allowed in YAML: the file fails to parse, and its line is shown.
    let p = project("  - id: y # raw \u{1b}[31m comment\n    text: ok [@src]\n");
    let out = p.check().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("yaml-syntax"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("raw ?[31m comment"), "{text}");
}

// ---- positions ----

#[test]
fn human_columns_count_characters_like_json() {
    let p = project("  - id: x\n    text: \"é😀中文 [@zz]\"\n");
    assert_eq!(first_place(&json_report(&p)), (5, 18));
    let text = stdout(&mut p.check());
    assert!(text.contains("[arguments/m.yaml:5:18]"), "{text}");
}

#[test]
fn a_lone_carriage_return_ends_a_line_everywhere() {
    let p = Project::empty()
        .with(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: S}\n",
        )
        .with(
            "arguments/m.yaml",
            "title: T\rsource: src\rclaims:\r  - id: x\r    text: hi [@zz]\r",
        );
    assert_eq!(first_place(&json_report(&p)), (5, 15));
    let text = stdout(&mut p.check());
    assert!(text.contains("[arguments/m.yaml:5:15]"), "{text}");
    assert!(!text.contains('\r'), "{text:?}");
    assert!(text.contains(" 5 │     text: hi [@zz]"), "{text}");
}

#[allow(dead_code)]
fn unused(_: &Path) {
    let _ = rules_of;
}
