//! The command line people expect of a tool like mdBook: shell
//! completions, `clean`, and quiet output when stderr is not a terminal.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn completions_cover_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = upbook().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        for command in ["build", "serve", "release", "requests", "clean", "changes"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
    }
}

/// The change view has one name, `changes`, as its files do; `diff`, the
/// name the design first promised, stays a visible alias.
#[test]
fn the_change_view_command_is_changes_with_diff_as_its_alias() {
    let out = upbook().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("changes"))
        .unwrap_or_else(|| panic!("no `changes` in:\n{help}"));
    assert!(line.contains("[alias: diff]"), "{line}");
    assert!(
        !help.lines().any(|l| l.trim_start().starts_with("diff")),
        "{help}"
    );
    let out = upbook().args(["diff", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        help.contains("Usage: upbook changes [OPTIONS] [DIR] [FROM] [TO]"),
        "{help}"
    );
}

#[test]
fn clean_removes_the_output_and_only_the_output() {
    let (tmp, project) = example();
    build_html(&project);
    assert!(project.join("book/draft/index.html").is_file());
    upbook()
        .arg("clean")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains("Removed"));
    assert!(!project.join("book").exists());
    assert!(project.join("content/engagement.yaml").is_file());
    upbook()
        .arg("clean")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains("Nothing to remove"));

    // Never the project's own folders, nor a folder upbook did not write.
    upbook()
        .arg("clean")
        .arg(&project)
        .args(["--out"])
        .arg(project.join("content"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("will not remove"));
    assert!(project.join("content/engagement.yaml").is_file());
    let mine = tmp.path().join("documents");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("letter.txt"), "keep me").unwrap();
    upbook()
        .arg("clean")
        .arg(&project)
        .arg("--out")
        .arg(&mine)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("files that upbook did not write"));
    assert!(mine.join("letter.txt").is_file());
}

#[test]
fn a_build_says_no_progress_when_stderr_is_not_a_terminal() {
    let (_tmp, project) = example();
    let out = upbook().arg("build").arg(&project).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("laying out"), "{stderr}");
    assert!(!stderr.contains('\r'), "{stderr:?}");
}

/// What each command says when it cannot go on says what to do next.
#[test]
fn messages_say_what_to_do() {
    let tmp = tempfile::TempDir::new().unwrap();
    let project = tmp.path().join("acme");
    upbook()
        .arg("init")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "Next: upbook serve {}",
            project.display()
        )));
    // A new project builds clean: no request is invented.
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains("No errors (0 warnings)"));

    // The usage lines are the README's.
    upbook()
        .arg("release")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "name the version to release, e.g. `upbook release 1.0`",
        ))
        .stderr(predicates::str::contains("<VERSION>").not())
        .stderr(predicates::str::contains(
            "Usage: upbook release [OPTIONS] [DIR] VERSION",
        ));
    upbook()
        .args(["requests", "import"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "Usage: upbook requests import [DIR] FILE",
        ));

    // A folder that is not a project is named, for every command.
    let nope = tmp.path().join("nope");
    std::fs::create_dir_all(&nope).unwrap();
    let said = format!(
        "{} is not an upbook project: it has no book.toml",
        nope.display()
    );
    for args in [
        &["build"][..],
        &["check"],
        &["serve"],
        &["clean"],
        &["changes"],
        &["diff"],
        &["requests", "list"],
    ] {
        upbook()
            .args(args)
            .arg(&nope)
            .assert()
            .code(1)
            .stderr(predicates::str::contains(said.as_str()))
            .stderr(predicates::str::contains("upbook init DIR"));
    }
    upbook()
        .args(["release"])
        .arg(&nope)
        .arg("1.0")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(said.as_str()));
    upbook()
        .arg("clean")
        .current_dir(&nope)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the current folder is not an upbook project",
        ));
}

#[test]
fn check_refuses_a_request_against_a_release_that_does_not_exist() {
    let (_tmp, project) = example();
    std::fs::write(
        project.join("content/reviews/change-requests.yaml"),
        "- id: CR-001\n  raised_against: \"1.0\"\n  section: back-up-the-configuration\n  raised_by: Dana Weber\n  date: 2027-01-05\n  kind: change\n  request: Name the folder.\n  status: open\n",
    )
    .unwrap();
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "change request `CR-001` is raised against release 1.0, which does not exist",
        ))
        .stderr(predicates::str::contains(
            "content/reviews/change-requests.yaml:2:19",
        ))
        .stderr(predicates::str::contains("this project has none yet"));
}

#[test]
fn a_project_without_notes_builds_with_a_warning() {
    let (_tmp, project) = example();
    std::fs::remove_dir_all(project.join("content/notes")).unwrap();
    std::fs::create_dir_all(project.join("content/notes")).unwrap();
    std::fs::remove_file(project.join("content/run.yaml")).unwrap();
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: the playbook has no notes: content/notes/ holds no .md file",
        ));
}
