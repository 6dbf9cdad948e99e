//! Bad input: every kind yields a located message, exit status 1, no
//! panic, and the previous output stays exactly as it was.

mod common;

use std::path::Path;

use common::*;

/// Builds the example, breaks it with `breakage`, and checks that the
/// build fails with `message` at `location`, leaving `book/` untouched.
fn fails_with(breakage: impl FnOnce(&Path), message: &str, location: &str) {
    let (_tmp, project) = example();
    // HTML only: these tests are about input, and PDFs would only slow them.
    let html = ["--format", "html"];
    upbook()
        .arg("build")
        .arg(&project)
        .args(html)
        .assert()
        .success();
    let before = snapshot_dir(&project.join("book"));

    breakage(&project);
    let mut reported = Vec::new();
    for command in ["build", "check"] {
        let mut cmd = upbook();
        cmd.arg(command).arg(&project);
        if command == "build" {
            cmd.args(html);
        }
        let out = cmd.assert().code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains(message),
            "{command}: expected {message:?} in:\n{stderr}"
        );
        assert!(
            stderr.contains(location),
            "{command}: expected {location:?} in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Everything but the closing summary, which names the command.
        let diagnostics = stderr.trim_end().rsplit_once('\n').map_or("", |(d, _)| d);
        reported.push(diagnostics.to_string());
    }
    assert_eq!(
        reported[0], reported[1],
        "build and check must report the same problems the same way"
    );
    assert_eq!(
        before,
        snapshot_dir(&project.join("book")),
        "output changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&project)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("staging") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

fn write(project: &Path, file: &str, bytes: &[u8]) {
    std::fs::write(project.join(file), bytes).unwrap();
}

const ENGAGEMENT: &str = "content/engagement.yaml";
const BACKUP: &str = "content/notes/02-backup.md";

#[test]
fn yaml_syntax_error() {
    fails_with(
        |p| {
            edit(
                p,
                ENGAGEMENT,
                "customer: Kestrel Freight Logistics AG",
                "customer: [Kestrel",
            )
        },
        "error:",
        "content/engagement.yaml:3:",
    );
}

#[test]
fn wrong_type() {
    fails_with(
        |p| {
            edit(
                p,
                ENGAGEMENT,
                "access_acknowledged: true",
                "access_acknowledged: maybe",
            )
        },
        "invalid boolean",
        "content/engagement.yaml:13:22",
    );
}

#[test]
fn bad_date() {
    fails_with(
        |p| {
            edit(
                p,
                ENGAGEMENT,
                "deadline: 2027-01-29",
                "deadline: 2027-02-30",
            )
        },
        "`2027-02-30` is not a calendar date",
        "content/engagement.yaml:11:13",
    );
}

#[test]
fn unknown_key_with_suggestion() {
    fails_with(
        |p| edit(p, ENGAGEMENT, "target_version:", "targte_version:"),
        "did you mean `target_version`?",
        "content/engagement.yaml:6:1",
    );
}

#[test]
fn unknown_variable() {
    fails_with(
        |p| {
            edit(
                p,
                BACKUP,
                "version {{ current_version }}.",
                "version {{ curent_version }}.",
            )
        },
        "unknown variable `{{ curent_version }}`",
        "content/notes/02-backup.md:7:44",
    );
}

#[test]
fn unknown_phase() {
    fails_with(
        |p| edit(p, BACKUP, "phase: backup-configuration", "phase: backups"),
        "unknown phase `backups`",
        "content/notes/02-backup.md:3:8",
    );
}

#[test]
fn duplicate_section_id() {
    fails_with(
        |p| {
            edit(
                p,
                BACKUP,
                "title: Back up the configuration",
                "title: Prepare the environment",
            )
        },
        "section id `prepare-the-environment` is already used",
        "content/notes/02-backup.md:2:8",
    );
}

#[test]
fn a_note_titled_like_a_part_of_the_playbook() {
    // `Back out` slugs to the back-out plan's own id, which links in the
    // HTML and the PDF point at.
    fails_with(
        |p| {
            edit(
                p,
                BACKUP,
                "title: Back up the configuration",
                "title: Back out",
            )
        },
        "section id `back-out` is already used by the playbook's own sections",
        "content/notes/02-backup.md:2:8",
    );
}

#[test]
fn dangling_change_request_section() {
    fails_with(
        |p| {
            release(p, "1.0");
            add_example_requests(p);
            edit(
                p,
                "content/reviews/change-requests.yaml",
                "section: back-up-the-configuration",
                "section: back-up-the-config",
            )
        },
        "refers to section `back-up-the-config`, which release 1.0 does not have",
        "content/reviews/change-requests.yaml:7:12",
    );
}

#[test]
fn broken_front_matter() {
    fails_with(
        |p| edit(p, BACKUP, "order: 10\n---\n", "order: 10\n"),
        "the front matter is not closed",
        "content/notes/02-backup.md:1:1",
    );
}

#[test]
fn bytes_that_are_not_utf8() {
    fails_with(
        |p| write(p, ENGAGEMENT, b"customer: Kestrel \xff\n"),
        "not valid UTF-8",
        "content/engagement.yaml:1:19",
    );
}

#[test]
fn empty_file() {
    fails_with(
        |p| write(p, ENGAGEMENT, b""),
        "this file is empty",
        "content/engagement.yaml",
    );
}

#[test]
fn deadline_before_earliest_start() {
    fails_with(
        |p| {
            edit(
                p,
                ENGAGEMENT,
                "deadline: 2027-01-29",
                "deadline: 2026-11-30",
            )
        },
        "the deadline is before the earliest start date",
        "content/engagement.yaml:11:13",
    );
}

#[test]
fn missing_image_and_image_outside_the_project() {
    fails_with(
        |p| {
            let text =
                read(p.join(BACKUP)) + "\n![a](nothere.png)\n\n![b](../../../../etc/x.png)\n";
            write(p, BACKUP, text.as_bytes());
        },
        "image `nothere.png` cannot be read",
        "content/notes/02-backup.md:67:1",
    );
    let (_tmp, project) = example();
    let text = read(project.join(BACKUP)) + "\n![b](../../../../etc/x.png)\n";
    write(&project, BACKUP, text.as_bytes());
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("is outside the project"));
}

#[test]
fn unknown_book_toml_key() {
    fails_with(
        |p| edit(p, "book.toml", "language = \"en\"", "languag = \"en\""),
        "did you mean `language`?",
        "book.toml:3:1",
    );
}

#[test]
fn check_reports_every_problem_not_only_the_first() {
    let (_tmp, project) = example();
    edit(
        &project,
        BACKUP,
        "phase: backup-configuration",
        "phase: backups",
    );
    edit(
        &project,
        ENGAGEMENT,
        "deadline: 2027-01-29",
        "deadline: 2027-13-01",
    );
    edit(
        &project,
        "content/notes/03-upgrade-domain-manager.md",
        "ssh {{ env.dm_host }} sudo chown",
        "ssh {{ env.host }} sudo chown",
    );
    let out = upbook().arg("check").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("content/engagement.yaml:11:13"), "{stderr}");
    assert!(stderr.contains("unknown phase `backups`"), "{stderr}");
    assert!(
        stderr.contains("content/notes/03-upgrade-domain-manager.md:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`env.host` is not set for Staging, Production"),
        "{stderr}"
    );
}

#[test]
fn check_prints_json_for_ci() {
    let (_tmp, project) = example();
    edit(
        &project,
        BACKUP,
        "phase: backup-configuration",
        "phase: backup-configuraton",
    );
    let out = upbook()
        .args(["check", "--format", "json"])
        .arg(&project)
        .assert()
        .code(1);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let first = &json[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "content/notes/02-backup.md");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 8);
    assert_eq!(first["message"], "unknown phase `backup-configuraton`");
    assert_eq!(first["hint"], "did you mean `backup-configuration`?");
}

#[cfg(unix)]
#[test]
fn an_image_that_links_outside_the_project() {
    fails_with(
        |p| {
            let outside = p.parent().unwrap().join("secret.svg");
            std::fs::write(&outside, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
            let link = p.join("content/notes/images/console-version.svg");
            std::fs::remove_file(&link).unwrap();
            std::os::unix::fs::symlink(&outside, &link).unwrap();
        },
        "image `images/console-version.svg` is outside the project: it is a link to",
        "content/notes/03-upgrade-domain-manager.md:49:",
    );
}

#[test]
fn a_hand_edited_release() {
    fails_with(
        |p| {
            release(p, "1.0");
            let json = p.join("releases/1.0/playbook.json");
            let text = read(&json).replacen("Kestrel", "Kestrle", 1);
            std::fs::write(json, text).unwrap();
        },
        "release 1.0 was changed after it was released",
        "releases/1.0/release.toml:4:1",
    );
}

#[test]
fn a_theme_template_that_does_not_parse() {
    fails_with(
        |p| {
            custom_theme(p);
            write(
                p,
                "themes/custom/layout.html",
                b"<html>{% block content %}</html>\n",
            );
        },
        "error:",
        "themes/custom/layout.html",
    );
}

#[test]
fn bad_usage_exits_with_2() {
    upbook()
        .arg("build")
        .arg("--format")
        .arg("docx")
        .assert()
        .code(2);
    upbook().arg("frobnicate").assert().code(2);
}

#[test]
fn not_a_project() {
    let tmp = tempfile::TempDir::new().unwrap();
    upbook()
        .arg("build")
        .arg(tmp.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no book.toml"));
}
