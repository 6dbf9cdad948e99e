//! What the reader gets beside the text: bare links that work, in the
//! pages and on paper, and the playbook's icon in the browser's tab.

mod common;

use common::*;

/// Every `/URI` a PDF's link annotations point to.
fn pdf_links(path: &std::path::Path) -> Vec<String> {
    let pdf = lopdf::Document::load(path).expect("a PDF");
    pdf.objects
        .values()
        .filter_map(|object| {
            let action = object.as_dict().ok()?.get(b"A").ok()?;
            let action = match action {
                lopdf::Object::Reference(id) => pdf.get_object(*id).ok()?,
                other => other,
            };
            let uri = action.as_dict().ok()?.get(b"URI").ok()?.as_str().ok()?;
            Some(String::from_utf8_lossy(uri).into_owned())
        })
        .collect()
}

#[test]
fn bare_links_and_addresses_are_links_in_the_pages_and_on_paper() {
    let (_tmp, project) = fixture("small");
    edit(
        &project,
        "content/notes/b.md",
        "2. Check the version in the console.",
        "2. Check the version at https://cxm.example:8443/admin, see www.example.com \
         or write to ops@example.com; run `curl https://not.a.link.example` and \
         ignore javascript:alert(1).",
    );
    upbook().arg("build").arg(&project).assert().success();
    let html = read(project.join("book/draft/index.html"));
    for link in [
        "<a href=\"https:&#x2f;&#x2f;cxm.example:8443&#x2f;admin\">https://cxm.example:8443/admin</a>",
        "<a href=\"http:&#x2f;&#x2f;www.example.com\">www.example.com</a>",
        "<a href=\"mailto:ops@example.com\">ops@example.com</a>",
    ] {
        let found = html.contains(link) || unescape(&html).contains(&unescape(link));
        assert!(found, "no {link} in the page");
    }
    assert!(
        !unescape(&html).contains("href=\"https://not.a.link.example"),
        "code became a link"
    );
    assert!(!html.contains("href=\"javascript"), "a script link is kept");

    let pdf = project.join("book/draft/playbook.pdf");
    let text = pdf_text(&pdf);
    assert!(text.contains("https://cxm.example:8443/admin"), "{text}");
    let links = pdf_links(&pdf);
    for url in [
        "https://cxm.example:8443/admin",
        "http://www.example.com",
        "mailto:ops@example.com",
    ] {
        assert!(
            links.iter().any(|l| l == url),
            "no link to {url} in {links:?}"
        );
    }
    assert!(!links.iter().any(|l| l.contains("not.a.link")), "{links:?}");
}

/// The attribute values minijinja and the HTML backend write escaped.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/").replace("&amp;", "&")
}

#[test]
fn every_page_links_the_icon_written_beside_it() {
    let (_tmp, project) = fixture("small");
    upbook()
        .arg("build")
        .arg(&project)
        .args(["--format", "html"])
        .assert()
        .success();
    let book = project.join("book");
    let icon = read(book.join("draft/assets/favicon.svg"));
    assert!(icon.starts_with("<svg"), "{icon}");
    for (page, href) in [
        ("draft/index.html", "assets/favicon.svg"),
        ("draft/production.html", "assets/favicon.svg"),
        ("draft/report.html", "assets/favicon.svg"),
        ("index.html", "draft/assets/favicon.svg"),
    ] {
        let html = unescape(&read(book.join(page)));
        assert!(
            html.contains(&format!(
                "<link rel=\"icon\" href=\"{href}\" type=\"image/svg+xml\">"
            )),
            "{page} does not link its icon"
        );
    }
    // The single file carries it inside.
    let single = read(book.join("draft/production-single.html"));
    assert!(single.contains("<link rel=\"icon\" href=\"data:image/svg+xml;base64,"));
}

#[test]
fn the_change_view_shows_unchanged_code_and_callouts_as_the_playbook_does() {
    let (_tmp, project) = fixture("small");
    release(&project, "1.0");
    edit(
        &project,
        "content/notes/a.md",
        "1. Stop the domain manager on",
        "1. Stop the domain manager first, on",
    );
    edit(
        &project,
        "content/notes/b.md",
        "2. Check the version in the console.",
        "2. Check the version in the console's About box.",
    );
    build_html(&project);
    let changes = read(project.join("book/draft/changes.html"));
    let code = changes
        .find("<div class=\"unit unit-code same as-playbook\">")
        .expect("the unchanged code block is shown as code");
    let block = &changes[code..code + changes[code..].find("</div>").unwrap()];
    assert!(
        block.contains(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"bash\"><code><span class=\"line\">"
        ),
        "{block}"
    );
    assert!(
        block.contains("<span class=\"hl-entity\">ssh</span>"),
        "{block}"
    );
    assert!(
        changes.contains("<aside class=\"callout callout-warning unit same as-playbook\" role=\"note\"><p class=\"callout-title\">Warning</p>"),
        "the unchanged callout is not a callout"
    );
}
