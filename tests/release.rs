//! The review loop's first half: freeze a version, keep editing, and the
//! delivered version never changes.

mod common;

use common::*;

const EPOCH: &str = "1767225600"; // 2026-01-01

fn release(project: &std::path::Path, version: &str) -> assert_cmd::assert::Assert {
    let mut cmd = upbook();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH);
    cmd.arg("release").arg(project).arg(version).assert()
}

#[test]
fn a_release_is_frozen_while_the_draft_moves_on() {
    let (_tmp, project) = example();
    release(&project, "1.0").success();
    for file in ["release.toml", "playbook.json", "theme/playbook.html"] {
        assert!(project.join("releases/1.0").join(file).is_file(), "{file}");
    }
    upbook().arg("build").arg(&project).assert().success();
    let v1 = snapshot_dir(&project.join("book/v1.0"));
    assert!(v1.contains_key("index.html") && v1.contains_key("playbook.pdf"));

    // The consultant edits a note, the theme and the process text.
    edit(
        &project,
        "content/notes/02-backup.md",
        "Check that every archive is on the backup share",
        "Check that every archive is on the mounted backup share",
    );
    std::fs::write(
        custom_theme(&project).join("style.css"),
        "body { color: red }\n",
    )
    .unwrap();
    upbook().arg("build").arg(&project).assert().success();

    assert_eq!(
        v1,
        snapshot_dir(&project.join("book/v1.0")),
        "release 1.0 changed"
    );
    let draft = visible_text(&read(project.join("book/draft/index.html")));
    assert!(draft.contains("Check that every archive is on the mounted backup share"));
    let released = visible_text(&read(project.join("book/v1.0/index.html")));
    assert!(released.contains("Check that every archive is on the backup share"));
    assert!(released.contains("Version 1.0"));
    assert!(!released.contains("This is a draft"));

    // The index lists both, the draft never mistaken for a release.
    let index = visible_text(&read(project.join("book/index.html")));
    assert!(index.contains("Version 1.0"));
    assert!(index.contains("Released 2026-01-01"));
    assert!(index.contains("Working draft"));
    assert!(index.find("Version 1.0") < index.find("Working draft"));
    assert!(read(project.join("book/versions.js")).contains("\"folder\":\"v1.0\""));
}

#[test]
fn releases_are_refused_when_they_would_break_the_order() {
    let (_tmp, project) = example();
    release(&project, "1.1").success();
    release(&project, "1.1")
        .code(1)
        .stderr(predicates::str::contains("exists already"));
    release(&project, "1.0")
        .code(1)
        .stderr(predicates::str::contains(
            "not greater than the last release, 1.1",
        ));
    release(&project, "one")
        .code(1)
        .stderr(predicates::str::contains("is not a version"));
    edit(
        &project,
        "content/notes/02-backup.md",
        "phase: backup-configuration",
        "phase: backups",
    );
    release(&project, "1.2")
        .code(1)
        .stderr(predicates::str::contains("the draft has errors"));
    assert!(!project.join("releases/1.2").exists());
}

#[test]
fn a_hand_edited_release_is_reported_not_rendered() {
    let (_tmp, project) = example();
    release(&project, "1.0").success();
    let snapshot = project.join("releases/1.0/playbook.json");
    let text = read(&snapshot).replacen("Kestrel Freight Logistics AG", "Someone Else", 1);
    std::fs::write(&snapshot, text).unwrap();
    refused(
        "build",
        &project,
        "release 1.0 was changed after it was released",
        "releases/1.0/release.toml:4:1",
    );
    // A deleted snapshot is a change too, and said the same way.
    std::fs::remove_file(&snapshot).unwrap();
    refused(
        "build",
        &project,
        "release 1.0 was changed after it was released",
        "releases/1.0/release.toml:4:1",
    );
}

#[test]
fn a_final_release_is_marked_and_guards_later_ones() {
    let (_tmp, project) = example();
    // The customer reviewed 0.9; 1.0 applies CR-001 and is the final one.
    release(&project, "0.9").success();
    add_example_requests(&project);
    let requests = "content/reviews/change-requests.yaml";
    for _ in 0..3 {
        edit(
            &project,
            requests,
            "raised_against: \"1.0\"",
            "raised_against: \"0.9\"",
        );
    }
    edit(
        &project,
        requests,
        "applied_in: \"1.1\"",
        "applied_in: \"1.0\"",
    );
    let mut cmd = upbook();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "release",
            "--final",
            "--accept-open",
            "--accepted-by",
            "Dana Weber",
        ])
        .args([
            "--accepted-on",
            "2025-12-30",
            "--reference",
            "e-mail of 30 Dec, “Playbook OK”",
        ])
        .arg(&project)
        .arg("1.0")
        .assert()
        .success();
    let toml = read(project.join("releases/1.0/release.toml"));
    assert!(toml.contains("accepted_on = \"2025-12-30\""), "{toml}");
    upbook().arg("build").arg(&project).assert().success();
    let index = squeeze(&visible_text(&read(project.join("book/index.html"))));
    assert!(
        index.contains(
            "Version 1.0 final Released 2026-01-01 · accepted by Dana Weber on 2025-12-30 (e-mail of 30 Dec, “Playbook OK”)"
        ),
        "{index}"
    );
    let cover = visible_text(&read(project.join("book/v1.0/index.html")));
    assert!(cover.contains(
        "Final version 1.0, accepted by Dana Weber on 2025-12-30 (e-mail of 30 Dec, “Playbook OK”)"
    ));
    let pdf = pdf_text(project.join("book/v1.0/playbook.pdf"));
    assert!(
        pdf.contains("acceptedbyDanaWeberon2025-12-30(e-mailof30Dec,“PlaybookOK”)"),
        "{pdf}"
    );
    let report = visible_text(&read(project.join("book/v1.0/report.html")));
    let report = report.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        report.contains("Carried over, still open: CR-002"),
        "{report}"
    );
    assert!(report.contains(
        "accepted by Dana Weber on 2025-12-30; the acceptance is recorded in e-mail of 30 Dec, “Playbook OK”. It was released on 2026-01-01."
    ), "{report}");
    release(&project, "1.1")
        .code(1)
        .stderr(predicates::str::contains("--after-final"));
    let mut later = upbook();
    later
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["release", "--after-final"])
        .arg(&project)
        .arg("1.1")
        .assert()
        .success();
}

#[test]
fn change_requests_are_checked_against_the_release_they_were_raised_on() {
    let (_tmp, project) = example();
    release(&project, "1.0").success();
    add_example_requests(&project);
    // A new note after 1.0: the customer cannot have reviewed it in 1.0.
    std::fs::write(
        project.join("content/notes/08-cleanup.md"),
        "---\ntitle: Clean up\nphase: fix-and-retest\norder: 20\n---\n1. Remove the installer from /tmp.\n",
    )
    .unwrap();
    edit(
        &project,
        "content/reviews/change-requests.yaml",
        "section: back-up-the-configuration",
        "section: clean-up",
    );
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "refers to section `clean-up`, which release 1.0 does not have",
        ))
        .stderr(predicates::str::contains(
            "content/reviews/change-requests.yaml:7:12",
        ));
    edit(
        &project,
        "content/reviews/change-requests.yaml",
        "section: clean-up",
        "section: back-up-the-configuration",
    );
    edit(
        &project,
        "content/reviews/change-requests.yaml",
        "applied_in: \"1.1\"",
        "applied_in: \"0.5\"",
    );
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "applied in 0.5, which is neither a release nor the next version",
        ));
}
