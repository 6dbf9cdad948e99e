//! The customer review loop, end to end: release 1.0, the customer raises
//! change requests, the consultant edits two notes, release 1.1, and the
//! change view shows every change and the request behind it.

mod common;

use common::*;

fn release(project: &std::path::Path, version: &str, epoch: &str) {
    upbook()
        .env("SOURCE_DATE_EPOCH", epoch)
        .arg("release")
        .arg(project)
        .arg(version)
        .assert()
        .success();
}

#[test]
fn release_review_release_and_read_the_redline() {
    let (_tmp, project) = example();
    release(&project, "1.0", "1767225600");
    add_example_requests(&project);

    // The example's review: CR-001 applied in 1.1, CR-003 rejected,
    // CR-002 still open.
    // The consultant's edits: a new first step and a changed word.
    edit(
        &project,
        "content/notes/02-backup.md",
        "1. Stop the Primary Domain Manager",
        "1. Tell the messaging team that the upgrade starts.\n2. Stop the Primary Domain Manager",
    );
    edit(
        &project,
        "content/notes/02-backup.md",
        "Archive the Primary Domain Manager's configuration under",
        "Archive the Primary Domain Manager's settings under",
    );
    edit(
        &project,
        "content/notes/04-upgrade-brokers.md",
        "Upgrade the brokers one at a time",
        "Upgrade the brokers strictly one at a time",
    );
    release(&project, "1.1", "1768435200");

    build_html(&project);
    let first = snapshot_dir(&project.join("book"));
    let html = read(project.join("book/v1.1/changes.html"));
    let text = visible_text(&html);

    assert!(
        text.contains("2 sections changed, 0 added, 0 removed"),
        "{text}"
    );
    // Inserted step and words are marked; renumbered steps are not changes.
    assert!(html.contains("<ins>Tell the messaging team that the upgrade starts.</ins>"));
    assert!(html.contains("<ins>strictly </ins>"));
    assert!(html.contains("<del>configuration</del>"), "{html}");
    assert!(
        !html.contains("<del>Stop the Primary"),
        "a renumbered step was marked"
    );
    // Requests beside their sections, with their states.
    assert!(text.contains("Requests applied: CR-001"));
    assert!(text.contains("Requests rejected: CR-003"));
    assert!(text.contains("Requests still open: CR-002"));
    // The brokers section changed with only a rejected request: flagged.
    let brokers = &html[html
        .find("id=\"change-upgrade-the-message-brokers\"")
        .unwrap()..];
    assert!(
        brokers[..brokers.find("</section>").unwrap()].contains("Changed without a change request")
    );
    let backup = &html[html
        .find("id=\"change-back-up-the-configuration\"")
        .unwrap()..];
    assert!(
        !backup[..backup.find("</section>").unwrap()].contains("Changed without a change request")
    );
    // Unchanged sections are collapsed, not flagged.
    assert!(!html.contains("id=\"change-prepare-the-environment\""));
    assert!(text.contains("11 unchanged sections"));
    // The index says which requests each version resolved.
    let index = visible_text(&read(project.join("book/index.html")));
    let index = index.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        index.contains("Version 1.1 Released 2026-01-15 · resolves CR-001"),
        "{index}"
    );
    // v1.0 has no change view; v1.1's pages link theirs.
    assert!(!project.join("book/v1.0/changes.html").exists());
    assert!(read(project.join("book/v1.1/index.html")).contains("href=\"changes.html\""));

    // Building again changes nothing.
    build_html(&project);
    assert_eq!(first, snapshot_dir(&project.join("book")));

    // The same redline on paper.
    upbook().arg("build").arg(&project).assert().success();
    let pdf_text = pdf_text(project.join("book/v1.1/changes.pdf"));
    assert!(
        pdf_text.contains("Tellthemessagingteamthattheupgradestarts."),
        "{pdf_text}"
    );
    assert!(pdf_text.contains("Requestsrejected:CR-003"), "{pdf_text}");
    assert!(
        pdf_text.contains("Changedwithoutachangerequest"),
        "{pdf_text}"
    );

    // The same changes in the terminal (not a terminal here: plain markers).
    let out = upbook()
        .arg("changes")
        .arg(&project)
        .args(["1.0", "1.1"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("Changes from 1.0 to 1.1"), "{stdout}");
    assert!(
        stdout.contains("{+Tell the messaging team that the upgrade starts.+}"),
        "{stdout}"
    );
    assert!(stdout.contains("[-configuration-]{+settings+}"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "colour codes in a pipe");
    // FROM defaults to the last release, TO to the draft; `diff` is the
    // same command.
    let out = upbook().arg("diff").arg(&project).assert().success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout).contains("Changes from 1.1 to draft")
    );
    upbook()
        .arg("changes")
        .arg(&project)
        .arg("0.9")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is no release 0.9"));
}
