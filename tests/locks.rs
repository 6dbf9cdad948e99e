//! Two upbooks on one project at once: the second waits for the first
//! (and says so) instead of both writing, so no request is lost or
//! numbered twice; and a stopped upbook leaves no lock behind.

mod common;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use predicates::prelude::*;

fn imports(project: &Path, file: &Path) -> Command {
    let mut cmd = Command::new(serve_client::upbook_binary());
    cmd.args(["requests", "import"])
        .arg(project)
        .arg(file)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn request(n: usize) -> String {
    format!(
        "- raised_against: \"1.0\"\n  section: measure-the-baseline\n  raised_by: \"Reviewer {n}\"\n  date: 2027-01-12\n  kind: change\n  request: \"Request number {n}.\"\n"
    )
}

#[test]
fn eight_imports_at_once_add_eight_requests_with_unique_ids() {
    let (tmp, project) = example();
    release(&project, "1.0");
    let children: Vec<_> = (0..8)
        .map(|n| {
            let file = tmp.path().join(format!("requests-{n}.yaml"));
            std::fs::write(&file, request(n)).unwrap();
            imports(&project, &file).spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{said}");
        assert!(said.contains("Added 1 request"), "{said}");
    }
    let out = upbook()
        .args(["requests", "list", "--format", "json"])
        .arg(&project)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let all = json.as_array().unwrap();
    let ids: std::collections::BTreeSet<&str> =
        all.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // One for each import (a new project has none of its own).
    assert_eq!(all.len(), 8, "{json}");
    assert_eq!(ids.len(), 8, "{json}");
    for n in 0..8 {
        let text = format!("Request number {n}.");
        let found = all.iter().filter(|r| r["request"] == text.as_str()).count();
        assert_eq!(found, 1, "{text}");
    }
    upbook().arg("check").arg(&project).assert().success();
}

#[test]
fn a_held_project_is_waited_for_and_its_holder_named() {
    let (tmp, project) = example();
    release(&project, "1.0");
    let file = tmp.path().join("requests.yaml");
    std::fs::write(&file, request(1)).unwrap();

    // A pid left by a holder that is gone is no lock: the import runs.
    std::fs::write(project.join(".upbook.lock"), "4242\n").unwrap();
    upbook()
        .args(["requests", "import"])
        .arg(&project)
        .arg(&file)
        .assert()
        .success()
        .stderr(predicates::str::contains("waiting").not());

    // Held by another process (played by this test): a bounded wait
    // ends in a clear refusal that names it, and nothing is written.
    std::fs::write(&file, request(2)).unwrap();
    let lock = File::options()
        .read(true)
        .write(true)
        .open(project.join(".upbook.lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(project.join(".upbook.lock"), "4242\n").unwrap();
    let before = read(project.join("content/reviews/change-requests.yaml"));
    upbook()
        .args(["requests", "import"])
        .arg(&project)
        .arg(&file)
        .env("UPBOOK_LOCK_WAIT", "0")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "upbook (pid 4242) has held the project",
        ));
    assert_eq!(
        read(project.join("content/reviews/change-requests.yaml")),
        before
    );

    // Without a bound it says whom it waits for, and goes on once free.
    let mut child = imports(&project, &file).spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("waiting for upbook (pid 4242)"), "{line:?}");
    drop(lock);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
    assert!(rest.contains("Added 1 request"), "{rest}");
}

#[test]
fn every_command_that_writes_takes_the_lock_and_check_does_not() {
    let (tmp, project) = example();
    build_html(&project);
    let file = tmp.path().join("requests.yaml");
    std::fs::write(&file, request(1)).unwrap();
    let lock = File::options()
        .read(true)
        .write(true)
        .open(project.join(".upbook.lock"))
        .unwrap();
    lock.lock().unwrap();
    let before = snapshot_dir(&project);
    let file = file.to_str().unwrap();
    for args in [
        &["release", "1.0"][..],
        &["build", "--format", "html"],
        &["clean"],
        &["requests", "import", file],
    ] {
        let (command, rest) = args.split_at(if args[0] == "requests" { 2 } else { 1 });
        upbook()
            .args(command)
            .arg(&project)
            .args(rest)
            .env("UPBOOK_LOCK_WAIT", "0")
            .assert()
            .code(1)
            .stderr(predicates::str::contains("has held the project"));
    }
    assert_eq!(snapshot_dir(&project), before, "a command wrote anyway");
    upbook().arg("check").arg(&project).assert().success();
    drop(lock);
}

#[test]
fn a_new_project_ignores_the_lock_file() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    upbook().arg("init").arg(&project).assert().success();
    build_html(&project);
    assert!(project.join(".upbook.lock").is_file());
    let ignored = read(project.join(".gitignore"));
    assert!(ignored.lines().any(|l| l == "/.upbook.lock"), "{ignored}");
}
