//! Text from the customer is text: never markup, in any page.

mod common;

use common::*;

#[test]
fn customer_text_with_markup_is_shown_as_text() {
    let (_tmp, project) = fixture("small");
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
