//! A consultant's first day: make a project, build it, read the playbook
//! and the report, and build again.

mod common;

use common::*;

#[test]
fn example_project_builds_a_complete_playbook_and_report() {
    let (_tmp, project) = example();
    build_html(&project);

    let book = project.join("book");
    let playbook = read(book.join("draft/index.html"));
    let text = visible_text(&playbook);
    // The engagement's facts.
    for fact in [
        "Kestrel Freight Logistics AG",
        "10.0.3",
        "11.2",
        "Staging",
        "Production",
        "kfl-stg-dm01",
    ] {
        assert!(text.contains(fact), "playbook lacks {fact:?}");
    }
    // Steps number through the whole playbook, in order, with anchors.
    let mut last = 0;
    for n in 1..=35 {
        let at = playbook
            .find(&format!("id=\"step-{n}\""))
            .unwrap_or_else(|| panic!("no step {n}"));
        assert!(at > last, "step {n} out of order");
        last = at;
    }
    assert!(!playbook.contains("id=\"step-36\""));
    // Variables are filled with the staging values; none is left over.
    assert!(text.contains("ssh kfl-stg-dm01 sudo systemctl stop cxm-domain-manager"));
    assert!(!text.contains("{{"), "unresolved variable in the playbook");
    // Highlighted code, a callout, a table, the process appendix and FAQ.
    assert!(playbook.contains("class=\"hl-"));
    assert!(playbook.contains("callout callout-warning"));
    assert!(playbook.contains("<table>"));
    assert!(text.contains("Frequently asked questions"));
    assert!(text.contains("Requesting an upgrade"));

    // The report: request facts, schedule against the deadline, contacts
    // (a new project has no change requests: none before a release).
    let report = visible_text(&read(book.join("draft/report.html")));
    for fact in [
        "2026-12-01",
        "2026-12-07",
        "2027-01-29",
        "Vendor support for CX Messenger 10.0 ends in February 2027",
        "Acknowledged",
        "Dana Weber",
        "business days before the deadline",
    ] {
        assert!(report.contains(fact), "report lacks {fact:?}");
    }
    assert!(read(book.join("draft/report.html")).contains("<svg"));
    assert!(book.join("index.html").is_file());
}

#[test]
fn each_customer_environment_gets_its_own_copy() {
    let (_tmp, project) = example();
    build_html(&project);
    let production = visible_text(&read(project.join("book/draft/production.html")));
    assert!(production.contains("ssh kfl-prd-dm01 sudo systemctl stop cxm-domain-manager"));
    assert!(!production.contains("kfl-stg-dm01 sudo"));
    assert!(production.contains("/mnt/backup/cxm"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let first = snapshot_dir(&project.join("book"));
    upbook().arg("build").arg(&project).assert().success();
    assert_eq!(first, snapshot_dir(&project.join("book")));
}

#[test]
fn pages_work_from_disk_with_relative_links_only() {
    let (_tmp, project) = example();
    build_html(&project);
    let draft = project.join("book/draft");
    let playbook = read(draft.join("index.html"));
    for attr in ["href=\"/", "src=\"/", "http://127.0.0.1", "localhost"] {
        assert!(!playbook.contains(attr), "absolute reference {attr:?}");
    }
    assert!(draft.join("assets/style.css").is_file());
    // The screenshot is copied under a content-hashed name with its alt text.
    let images: Vec<_> = std::fs::read_dir(draft.join("images"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(images.len(), 1);
    assert!(images[0].starts_with("console-version-") && images[0].ends_with(".svg"));
    assert!(playbook.contains(&format!(
        "<img src=\"images/{}\" alt=\"The About dialog showing the new version\"",
        images[0]
    )));
}

#[test]
fn out_writes_elsewhere_and_check_writes_nothing() {
    let (tmp, project) = example();
    upbook().arg("check").arg(&project).assert().success();
    assert!(!project.join("book").exists());
    let out = tmp.path().join("elsewhere");
    upbook()
        .arg("build")
        .arg(&project)
        .args(["--format", "html", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("draft/index.html").is_file());
    assert!(!project.join("book").exists());
}

#[test]
fn editing_a_note_shows_in_the_next_build() {
    let (_tmp, project) = example();
    build_html(&project);
    edit(
        &project,
        "content/notes/02-backup.md",
        "5. Check that every archive is on the backup share",
        "5. Check the archive with `tar -tzf`.\n6. Check that every archive is on the backup share",
    );
    build_html(&project);
    let text = visible_text(&read(project.join("book/draft/index.html")));
    assert!(text.contains("Check the archive with tar -tzf"));
    assert!(read(project.join("book/draft/index.html")).contains("id=\"step-36\""));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let (_tmp, project) = example();
    upbook()
        .arg("init")
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("is not empty"));
}

#[test]
fn exclusions_are_applied_and_reported_as_warnings() {
    let (_tmp, project) = example();
    edit(
        &project,
        "content/engagement.yaml",
        "access_acknowledged: true",
        "access_acknowledged: false",
    );
    edit(
        &project,
        "content/engagement.yaml",
        "upgraded_by: customer",
        "upgraded_by: platinum",
    );
    let out = upbook().arg("check").arg(&project).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("warning: No Access exclusion applies"),
        "{stderr}"
    );
    assert!(stderr.contains("content/engagement.yaml:13:22"), "{stderr}");
    assert!(
        stderr.contains("Multiple Environment Assistance exclusion applies"),
        "{stderr}"
    );
    assert!(
        stderr.contains("upgrading Production is a paid engagement"),
        "{stderr}"
    );

    build_html(&project);
    let report = visible_text(&read(project.join("book/draft/report.html")));
    assert!(report.contains("No Access exclusion applies"));
    assert!(report.contains("Not acknowledged"));
    assert!(report.contains("paid engagement"));
}

#[test]
fn a_missed_deadline_is_called_out_in_the_report() {
    let (_tmp, project) = example();
    edit(
        &project,
        "content/engagement.yaml",
        "deadline: 2027-01-29",
        "deadline: 2026-12-18",
    );
    build_html(&project);
    let report = visible_text(&read(project.join("book/draft/report.html")));
    assert!(report.contains("The plan misses the deadline"), "{report}");
    assert!(report.contains("after the deadline of 2026-12-18"));
}

#[test]
fn headings_are_in_order_and_landmarks_present() {
    let (_tmp, project) = example();
    build_html(&project);
    for page in ["draft/index.html", "draft/report.html", "index.html"] {
        let html = read(project.join("book").join(page));
        for landmark in [
            "<main",
            "role=\"banner\"",
            "role=\"contentinfo\"",
            "<html lang=\"en\"",
        ] {
            assert!(html.contains(landmark), "{page} lacks {landmark}");
        }
        let mut previous = 1;
        let levels: Vec<u32> = html
            .match_indices("<h")
            .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10))
            .collect();
        assert_eq!(levels.first(), Some(&1), "{page} does not start with h1");
        for level in levels {
            assert!(level <= previous + 1, "{page}: h{level} after h{previous}");
            previous = level;
        }
    }
}

#[test]
fn the_repository_root_example_builds() {
    // The README's first command, minus `--release`, into a temporary folder.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::TempDir::new().unwrap();
    upbook()
        .arg("build")
        .arg(root)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    for file in [
        "index.html",
        "draft/index.html",
        "draft/report.html",
        "draft/playbook.pdf",
        "draft/report.pdf",
        "draft/production.pdf",
        // The review loop: release 1.0, requests raised on it, the draft
        // applying the accepted one.
        "v1.0/index.html",
        "v1.0/playbook.pdf",
        "draft/changes.html",
    ] {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    let changes = read(out.path().join("draft/changes.html"));
    assert!(changes.contains("Requests applied: <a href=\"report.html#CR-001\">CR-001</a>"));
    let versions = read(out.path().join("index.html"));
    assert!(versions.contains("v1.0/index.html"));
}

#[test]
fn source_date_epoch_sets_the_printed_date() {
    let (_tmp, project) = fixture("small");
    let mut cmd = upbook();
    cmd.env("SOURCE_DATE_EPOCH", "1767225600"); // 2026-01-01
    cmd.arg("build").arg(&project).assert().success();
    let html = read(project.join("book/draft/index.html"));
    assert!(html.contains("2026-01-01"), "the date is not printed");
    let first = snapshot_dir(&project.join("book"));
    let mut again = upbook();
    again.env("SOURCE_DATE_EPOCH", "1767225600");
    again.arg("build").arg(&project).assert().success();
    assert_eq!(first, snapshot_dir(&project.join("book")));
    // Without it, no date at all: nothing from the clock.
    upbook().arg("build").arg(&project).assert().success();
    assert!(!read(project.join("book/draft/index.html")).contains("2026-01-01"));
}

#[test]
fn every_page_carries_its_own_content_security_policy() {
    let (_tmp, project) = example();
    release(&project, "1.0");
    build_html(&project);
    let mut pages = 0;
    for (name, bytes) in snapshot_dir(&project.join("book")) {
        if !name.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let policy = html
            .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{name} has no policy"));
        assert!(policy.contains("default-src 'none'"), "{name}: {policy}");
        assert!(!policy.contains("unsafe-inline"), "{name}: {policy}");
        assert!(
            !policy.contains("http"),
            "{name}: no remote source: {policy}"
        );
        if name.ends_with("-single.html") {
            // One file to e-mail: exactly its own inlined scripts, by hash,
            // and no file beside it.
            let inline = html.matches("<script>").count();
            assert_eq!(
                policy.matches("'sha256-").count(),
                inline + 1,
                "{name}: {policy}"
            );
            assert!(!html.contains("<script src="), "{name}");
            assert!(!html.contains("<link rel=\"stylesheet\""), "{name}");
            continue;
        }
        assert!(policy.contains("script-src 'self'"), "{name}: {policy}");
        // No script the policy would block: each one has a src.
        for tag in html.split("<script").skip(1) {
            let head = tag.split('>').next().unwrap();
            assert!(head.contains("src=\""), "{name}: inline script {head}");
        }
    }
    assert!(pages >= 6, "the draft's and the release's pages: {pages}");
}
