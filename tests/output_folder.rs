//! A build replaces its output folder whole, so the output folder must
//! never be a place that holds anything else: a mistyped `--out` or
//! `dir` is refused at its source, and nothing the user wrote changes.

mod common;

use std::fs;
use std::path::Path;

use common::*;

type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// Every file of the project and of `also`, to prove nothing changed.
fn everything(project: &Path, also: &Path) -> (Files, Files) {
    (snapshot_dir(project), snapshot_dir(also))
}

/// Runs `upbook ARGS` from inside the project and expects a refusal
/// naming `message` and `location`, with every file left as it was.
fn refused(project: &Path, args: &[&str], message: &str, location: &str) {
    let parent = project.parent().unwrap();
    let before = everything(project, parent);
    let out = upbook().current_dir(project).args(args).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(message),
        "{args:?}: {message:?} in\n{stderr}"
    );
    assert!(
        stderr.contains(location),
        "{args:?}: {location:?} in\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        before,
        everything(project, parent),
        "{args:?} changed files"
    );
}

#[test]
fn the_project_and_its_sources_are_never_an_output_folder() {
    let (_tmp, project) = example();
    release(&project, "1.0");
    for (out, why) in [
        ("content", "it is the project's content/ folder"),
        (
            "content/notes",
            "it is inside the project's content/ folder",
        ),
        ("releases", "it is the project's releases/ folder"),
        (
            "releases/1.0",
            "it is inside the project's releases/ folder",
        ),
        ("themes/custom", "it is inside the project's themes/ folder"),
        (".", "it is the project folder"),
        ("..", "it holds the project"),
    ] {
        refused(
            &project,
            &["build", "--format", "html", "--out", out],
            why,
            "(from --out)",
        );
    }
}

#[test]
fn a_configured_output_folder_is_refused_at_its_line_in_book_toml() {
    let (_tmp, project) = example();
    for (dir, why) in [
        ("content", "it is the project's content/ folder"),
        (".", "it is the project folder"),
        ("../..", "it holds the project"),
    ] {
        let original = read(project.join("book.toml"));
        let text = original.replace("[output]\n", &format!("[output]\ndir = \"{dir}\"\n"));
        assert_ne!(text, original, "book.toml has an [output] table");
        fs::write(project.join("book.toml"), &text).unwrap();
        let line = text.lines().position(|l| l.starts_with("dir =")).unwrap() + 1;
        refused(
            &project,
            &["build", "--format", "html"],
            why,
            &format!("book.toml:{line}:7"),
        );
        refused(
            &project,
            &["serve", "--port", "0"],
            why,
            &format!("book.toml:{line}:7"),
        );
        fs::write(project.join("book.toml"), original).unwrap();
    }
}

#[test]
fn another_project_or_a_folder_of_someone_elses_files_is_refused() {
    let (tmp, project) = example();
    let other = tmp.path().join("other");
    upbook().arg("init").arg(&other).assert().success();
    let other_arg = other.display().to_string();
    refused(
        &project,
        &["build", "--format", "html", "--out", &other_arg],
        "it holds a book.toml",
        "(from --out)",
    );

    // A folder such as ~/Documents.
    let documents = tmp.path().join("Documents");
    fs::create_dir_all(documents.join("taxes")).unwrap();
    fs::write(documents.join("taxes/2026.txt"), "keep me").unwrap();
    let documents_arg = documents.display().to_string();
    refused(
        &project,
        &["build", "--format", "html", "--out", &documents_arg],
        "it already holds files that upbook did not write",
        "(from --out)",
    );
    refused(
        &project,
        &["serve", "--port", "0", "--out", &documents_arg],
        "it already holds files that upbook did not write",
        "(from --out)",
    );

    // A symlink to it is the same folder.
    #[cfg(unix)]
    {
        let link = tmp.path().join("shortcut");
        std::os::unix::fs::symlink(&documents, &link).unwrap();
        let link_arg = link.display().to_string();
        refused(
            &project,
            &["build", "--format", "html", "--out", &link_arg],
            "it already holds files that upbook did not write",
            "(from --out)",
        );
    }
}

#[test]
fn a_new_an_empty_or_an_earlier_output_folder_is_written() {
    let (tmp, project) = example();
    let fresh = tmp.path().join("new/site");
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    for out in [&fresh, &empty] {
        let arg = out.display().to_string();
        for _ in 0..2 {
            upbook()
                .arg("build")
                .arg(&project)
                .args(["--format", "html", "--out", &arg])
                .assert()
                .success();
            assert!(out.join("draft/index.html").is_file());
            assert!(out.join(".upbook-output").is_file(), "the folder is marked");
        }
    }

    // An output written before folders were marked is still upbook's.
    build_html(&project);
    fs::remove_file(project.join("book/.upbook-output")).unwrap();
    build_html(&project);
    // But not once someone has put something of their own in it.
    fs::remove_file(project.join("book/.upbook-output")).unwrap();
    fs::write(project.join("book/notes-to-self.txt"), "mine").unwrap();
    refused(
        &project,
        &["build", "--format", "html"],
        "it already holds files that upbook did not write",
        "book.toml",
    );
}

/// A pid no process has: Linux never hands out one this high.
const DEAD: u32 = 999_999_999;

#[test]
fn what_killed_runs_left_is_removed_by_the_next_build_and_clean() {
    let (_tmp, project) = fixture("small");
    build_html(&project);
    let leave = |paths: &[String]| {
        for path in paths {
            let path = project.join(path);
            fs::create_dir_all(&path).unwrap();
            fs::write(path.join("index.html"), "half").unwrap();
        }
        fs::create_dir_all(project.join("releases")).unwrap();
        fs::create_dir_all(project.join("content/reviews")).unwrap();
        fs::write(
            project.join("content/reviews/change-requests.yaml.upbook-new"),
            "",
        )
        .unwrap();
    };
    let leftovers = [
        format!(".book.staging-{DEAD}"),
        format!(".book.old-{DEAD}"),
        format!("releases/.1.1.staging-{DEAD}"),
        ".book.upbook-removed".to_string(),
    ];
    // This test's own pid stands for an upbook still at work.
    let alive = format!(".book.staging-{}", std::process::id());
    for command in ["build", "clean"] {
        leave(&leftovers);
        leave(std::slice::from_ref(&alive));
        upbook()
            .arg(command)
            .arg(&project)
            .args(if command == "build" {
                &["--format", "html"][..]
            } else {
                &[]
            })
            .assert()
            .success();
        for gone in &leftovers {
            assert!(!project.join(gone).exists(), "{command} left {gone}");
        }
        assert!(
            !project
                .join("content/reviews/change-requests.yaml.upbook-new")
                .exists()
        );
        assert!(project.join(&alive).exists(), "{command} removed {alive}");
        assert_eq!(
            project.join("book/draft/index.html").is_file(),
            command == "build"
        );
    }
}
