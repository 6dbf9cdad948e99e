//! Text from the customer is text: never markup, in any page.

mod common;

use common::*;

#[test]
fn customer_text_with_markup_is_shown_as_text() {
    let (_tmp, project) = fixture("small");
    // Requests are raised against a release.
    upbook()
        .arg("release")
        .arg(&project)
        .arg("1.0")
        .assert()
        .success();
    std::fs::create_dir_all(project.join("content/reviews")).unwrap();
    std::fs::write(
        project.join("content/reviews/change-requests.yaml"),
        "- id: CR-1\n  raised_against: \"1.0\"\n  section: upgrade\n  raised_by: \"<img src=x onerror=alert(1)>\"\n  date: 2027-02-10\n  kind: change\n  request: \"Please </td></tr><script>alert(2)</script>\"\n  status: open\n",
    )
    .unwrap();
    edit(
        &project,
        "content/notes/a.md",
        "Stop everything",
        "<script>alert(3)</script> Stop everything",
    );
    edit(
        &project,
        "content/notes/b.md",
        "2. Check the version",
        "2. Read [the notes](javascript:alert(4)) and <b onclick=alert(5)>check</b> the version",
    );
    upbook().arg("build").arg(&project).assert().success();
    for page in [
        "draft/index.html",
        "draft/report.html",
        "draft/production.html",
        "index.html",
    ] {
        let html = read(project.join("book").join(page));
        assert!(
            !html.contains("<script>alert"),
            "{page} runs customer script"
        );
        assert!(!html.contains("<img src=x"), "{page} has customer markup");
        assert!(
            !html.contains("href=\"javascript:"),
            "{page} links to script"
        );
        assert!(!html.contains("<b onclick"), "{page} has note markup");
    }
    let playbook = read(project.join("book/draft/index.html"));
    assert!(playbook.contains("&lt;script&gt;alert(3)&lt;/script&gt;"));
    assert!(
        playbook
            .contains("Read the notes and &lt;b onclick=alert(5)&gt;check&lt;/b&gt; the version")
    );
    let report = read(project.join("book/draft/report.html"));
    // Shown to the reader exactly as the customer typed it.
    let text = visible_text(&report);
    assert!(text.contains("Please </td></tr><script>alert(2)</script>"));
    assert!(text.contains("<img src=x onerror=alert(1)>"));
    assert!(visible_text(&playbook).contains("Fixture Freight <script>alert(\"x\")</script> & Co"));
}

/// A right-to-left override (U+202E) in a customer's name, a request or a
/// note reverses only that value: it is isolated where it is shown, and
/// `check` says where it is.
#[test]
fn a_direction_override_ends_where_its_value_ends() {
    const RLO: char = '\u{202E}';
    let (_tmp, project) = fixture("small");
    // Requests are raised against a release.
    upbook()
        .arg("release")
        .arg(&project)
        .arg("1.0")
        .assert()
        .success();
    std::fs::create_dir_all(project.join("content/reviews")).unwrap();
    std::fs::write(
        project.join("content/reviews/change-requests.yaml"),
        format!("- id: CR-1\n  raised_against: \"1.0\"\n  section: upgrade\n  raised_by: Dana\n  date: 2027-02-10\n  kind: change\n  request: \"Run {RLO}fdp.exe first\"\n  status: open\n"),
    )
    .unwrap();
    edit(
        &project,
        "content/notes/a.md",
        "Stop everything",
        &format!("Stop {RLO}gnihtyreve"),
    );
    edit(
        &project,
        "content/engagement.yaml",
        "customer: Fixture Freight",
        &format!("customer: Fixture {RLO}Freight"),
    );
    let out = upbook().arg("check").arg(&project).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for file in [
        "content/notes/a.md:6:6",
        "content/reviews/change-requests.yaml:7:",
        "content/engagement.yaml:1:",
    ] {
        let warning = stderr
            .split("warning: ")
            .find(|w| w.contains(file))
            .unwrap_or_else(|| panic!("no warning at {file}:\n{stderr}"));
        assert!(
            warning.contains("right-to-left override (U+202E)"),
            "{warning}"
        );
    }
    upbook().arg("build").arg(&project).assert().success();
    let playbook = read(project.join("book/draft/index.html"));
    assert!(
        playbook.contains(&format!("\u{2068}Stop {RLO}gnihtyreve on \u{2069}")),
        "the note's text is not isolated"
    );
    let report = read(project.join("book/draft/report.html"));
    assert!(
        report.contains(&format!("\u{2068}Run {RLO}fdp.exe first\u{2069}")),
        "the request is not isolated"
    );
    // Every override in every page is closed before its value ends.
    for page in [&playbook, &report] {
        assert!(page.contains(&format!("Fixture {RLO}Freight")));
        for (i, _) in page.match_indices(RLO) {
            let open = page[..i]
                .rfind('\u{2068}')
                .expect("an override outside an isolate");
            let close = i + page[i..].find('\u{2069}').expect("an isolate never closed");
            assert!(
                !page[open..close].contains('<'),
                "an override is not isolated within its value: {}",
                &page[open.saturating_sub(40)..close + 3]
            );
        }
    }
}

/// `//host/path` is not a path in the playbook but another site, and is
/// dropped like `javascript:`.
#[test]
fn a_protocol_relative_link_is_not_kept() {
    let (_tmp, project) = fixture("small");
    // Requests are raised against a release.
    upbook()
        .arg("release")
        .arg(&project)
        .arg("1.0")
        .assert()
        .success();
    edit(
        &project,
        "content/notes/b.md",
        "2. Check the version",
        "2. Read [the notes](//evil.example/x) and [these](/\\evil.example) to check the version",
    );
    build_html(&project);
    let playbook = read(project.join("book/draft/index.html"));
    assert!(playbook.contains("Read the notes and these to check"));
    assert!(
        !playbook.contains("evil.example"),
        "a link to another host is kept"
    );
}
