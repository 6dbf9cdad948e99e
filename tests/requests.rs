//! The customer's side of the review: requests saved from a released
//! version's pages are imported into the project, listed, discussed and
//! shown in the next version's change view.

mod common;

use common::*;

const EPOCH: &str = "1767225600"; // 2026-01-01

/// What the "Download requests" button saves (see book.js): no ids,
/// strings double-quoted.
const DOWNLOADED: &str = r#"# Change requests on version 1.0, saved from the playbook's pages.
- raised_against: "1.0"
  section: "upgrade-the-message-brokers"
  raised_by: "Dana Weber"
  date: 2027-01-12
  kind: clarification
  request: "Does the \"order below\" matter: which broker goes first?"
  status: open
- raised_against: "1.0"
  section: "measure-the-baseline"
  raised_by: "Dana Weber"
  date: 2027-01-12
  kind: change
  request: "Keep the baseline report on the backup share too."
  status: open
"#;

fn released() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, project) = example();
    upbook()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("release")
        .arg(&project)
        .arg("1.0")
        .assert()
        .success();
    add_example_requests(&project);
    (tmp, project)
}

#[test]
fn imported_requests_get_the_next_ids_once_and_the_file_keeps_its_text() {
    let (tmp, project) = released();
    let file = tmp.path().join("change-requests-1.0.yaml");
    std::fs::write(&file, DOWNLOADED).unwrap();
    let before = read(project.join("content/reviews/change-requests.yaml"));

    upbook()
        .args(["requests", "import"])
        .arg(&project)
        .arg(&file)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "Added 2 requests to content/reviews/change-requests.yaml: CR-004, CR-005.",
        ));
    let after = read(project.join("content/reviews/change-requests.yaml"));
    // Everything that was there, comments included, is still there as
    // written; the new requests follow.
    assert!(after.starts_with(&before), "{after}");
    assert!(after.contains("# status: open | agreed | rejected | applied"));
    assert!(after.contains(
        "- id: CR-004\n  raised_against: \"1.0\"\n  section: upgrade-the-message-brokers"
    ));
    assert!(
        after.contains(r#"request: "Does the \"order below\" matter: which broker goes first?""#)
    );

    // The same file again adds nothing.
    upbook()
        .args(["requests", "import"])
        .arg(&project)
        .arg(&file)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "Added no request (2 already there).",
        ));
    assert_eq!(
        read(project.join("content/reviews/change-requests.yaml")),
        after
    );

    // The project still checks, and the report lists them.
    build_html(&project);
    let report = words(&read(project.join("book/draft/report.html")));
    assert!(report.contains("CR-005"), "{report}");
    assert!(report.contains("Keep the baseline report on the backup share too."));

    // `requests list`: text, JSON, and only the unresolved ones.
    let out = upbook()
        .args(["requests", "list"])
        .arg(&project)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("CR-004  Open             raised on 1.0  upgrade-the-message-brokers"),
        "{text}"
    );
    let out = upbook()
        .args(["requests", "list", "--open", "--format", "json"])
        .arg(&project)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["CR-002", "CR-004", "CR-005"]);
}

#[test]
fn the_discussion_and_who_raised_it_show_with_the_request() {
    let (_tmp, project) = released();
    edit(
        &project,
        "content/notes/06-non-functional-tests.md",
        "These tests show",
        "The staging volume is enough. These tests show",
    );
    upbook()
        .env("SOURCE_DATE_EPOCH", "1767398400")
        .arg("release")
        .arg(&project)
        .arg("1.1")
        .assert()
        .success();
    upbook().arg("build").arg(&project).assert().success();
    let changes = words(&read(project.join("book/v1.1/changes.html")));
    assert!(
        changes.contains("raised by Piotr Nowak on 2027-01-06 Jonas Brandt, 2027-01-07: The staging volume is enough to compare with the baseline;"),
        "{changes}"
    );
    let report = words(&read(project.join("book/v1.1/report.html")));
    assert!(report.contains(
        "Jonas Brandt, 2027-01-07: The staging volume is enough to compare with the baseline;"
    ));
    let pdf = pdf_text(project.join("book/v1.1/changes.pdf"));
    assert!(pdf.contains("raisedbyPiotrNowakon2027-01-06"), "{pdf}");
    assert!(
        pdf.contains("JonasBrandt,2027-01-07:Thestagingvolumeisenoughtocomparewiththebaseline;")
    );
    let out = upbook()
        .args(["requests", "list"])
        .arg(&project)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains(
        "Jonas Brandt (2027-01-07): The staging volume is enough to compare with the baseline;"
    ));
}

#[test]
fn released_pages_offer_requests_and_the_draft_does_not() {
    let (_tmp, project) = released();
    build_html(&project);
    let v1 = read(project.join("book/v1.0/index.html"));
    assert!(v1.contains("data-review=\"1.0\""));
    assert!(v1.contains(
        "<div class=\"request-change\" data-section=\"measure-the-baseline\" data-title=\"Measure the baseline\"><a class=\"request-mail\" href=\"mailto:jonas.brandt@platinum.example?subject=Change%20request%20on%20version%201.0%2C%20section%20measure-the-baseline"
    ));
    assert!(v1.contains("id=\"your-requests\""));
    let draft = read(project.join("book/draft/index.html"));
    assert!(!draft.contains("request-change"));
    assert!(!draft.contains("data-review"));
}

#[test]
fn the_change_view_reads_like_the_playbook() {
    let (_tmp, project) = released();
    edit(
        &project,
        "content/notes/02-backup.md",
        "1. Stop the Primary Domain Manager on",
        "1. Tell the messaging team.\n2. Stop the Primary Domain Manager on",
    );
    edit(
        &project,
        "content/notes/02-backup.md",
        "sudo systemctl stop cxm-domain-manager\n",
        "sudo systemctl stop cxm-domain-manager --no-block\n",
    );
    build_html(&project);
    let html = read(project.join("book/draft/changes.html"));
    let backup = section(&html, "change-back-up-the-configuration");
    // The inserted step has its new number, linked into the playbook.
    assert!(backup.contains(
        "<span class=\"unit-number\"><a href=\"index.html#step-10\">Step 10</a></span> <ins>Tell the messaging team.</ins>"
    ), "{backup}");
    // The step after it moved from 10 to 11: said, not marked as changed.
    assert!(backup.contains("Step 11</a> <span class=\"was\">(was 10)</span>"));
    // The changed command is code, redlined by line.
    assert!(backup.contains(
        "<pre class=\"unit unit-code modify\"><del>ssh kfl-stg-dm01 sudo systemctl stop cxm-domain-manager\n</del><ins>ssh kfl-stg-dm01 sudo systemctl stop cxm-domain-manager --no-block\n</ins></pre>"
    ), "{backup}");
    assert!(backup.contains(
        "<a href=\"index.html#back-up-the-configuration\">Open this section in the playbook</a>"
    ));
}

/// The ids `requests list --format json` shows, in order.
fn listed(project: &std::path::Path) -> Vec<String> {
    let out = upbook()
        .args(["requests", "list", "--format", "json"])
        .arg(project)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sections_named_like_yaml_words_are_written_so_they_read_back() {
    let (tmp, project) = example();
    // Titles whose slugs YAML would read as null, a boolean, a number.
    for (file, title) in [
        ("90-null.md", "Null"),
        ("91-yes.md", "Yes"),
        ("92-year.md", "2024"),
    ] {
        std::fs::write(
            project.join("content/notes").join(file),
            format!("---\ntitle: \"{title}\"\nphase: test\norder: 90\n---\nA step.\n"),
        )
        .unwrap();
    }
    release(&project, "1.0");
    let file = tmp.path().join("requests.yaml");
    std::fs::write(
        &file,
        ["null", "yes", "2024"]
            .map(|section| {
                format!(
                    "- raised_against: \"1.0\"\n  section: \"{section}\"\n  raised_by: \"~\"\n  date: 2027-01-12\n  kind: change\n  request: \"true\"\n"
                )
            })
            .concat(),
    )
    .unwrap();
    upbook()
        .args(["requests", "import"])
        .arg(&project)
        .arg(&file)
        .assert()
        .success()
        .stderr(predicates::str::contains("Added 3 requests"));
    let text = read(project.join("content/reviews/change-requests.yaml"));
    assert!(text.contains("  section: \"null\"\n"), "{text}");
    assert!(text.contains("  section: \"yes\"\n"), "{text}");
    assert!(text.contains("  section: \"2024\"\n"), "{text}");
    assert_eq!(listed(&project).len(), 3);
    upbook().arg("check").arg(&project).assert().success();
}

#[test]
fn an_import_into_any_valid_requests_file_keeps_what_was_there() {
    let flow = "# Kept: the file's own comment.\n[{id: CR-007, raised_against: \"1.0\", section: measure-the-baseline, raised_by: Ann, date: 2027-01-02, kind: change, request: Written in flow style., status: open}]\n";
    let shapes = [
        ("an empty list", "[]\n", vec![]),
        ("an empty file", "", vec![]),
        (
            "only comments",
            "# No requests yet.\n# Kept: this too.",
            vec![],
        ),
        ("a flow list", flow, vec!["CR-007"]),
    ];
    for (shape, text, before) in shapes {
        let (tmp, project) = released();
        let path = project.join("content/reviews/change-requests.yaml");
        std::fs::write(&path, text).unwrap();
        let file = tmp.path().join("change-requests-1.0.yaml");
        std::fs::write(&file, DOWNLOADED).unwrap();
        upbook()
            .args(["requests", "import"])
            .arg(&project)
            .arg(&file)
            .assert()
            .success()
            .stderr(predicates::str::contains("Added 2 requests"));
        let after = read(&path);
        let mut expected: Vec<String> = before.iter().map(|s| s.to_string()).collect();
        let next = if before.is_empty() { 1 } else { 8 };
        expected.extend([format!("CR-{next:03}"), format!("CR-{:03}", next + 1)]);
        assert_eq!(listed(&project), expected, "{shape}:\n{after}");
        for line in text.lines().filter(|l| l.starts_with("# ")) {
            assert!(after.contains(line), "{shape} lost {line:?}:\n{after}");
        }
        if shape == "a flow list" {
            assert!(after.contains("Written in flow style."), "{after}");
        }
        upbook().arg("check").arg(&project).assert().success();
    }
}
