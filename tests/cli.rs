//! The command line people expect of a tool like mdBook: shell
//! completions, `clean`, and quiet output when stderr is not a terminal.

mod common;

use common::*;

#[test]
fn completions_cover_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = upbook().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        for command in ["build", "serve", "release", "requests", "clean"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
    }
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
