//! Every link a reader can follow leads somewhere: each page's hrefs
//! resolve to a file the build wrote (and an anchor in it), the customer's
//! copy links itself, and the single file to e-mail has no link that
//! breaks once it travels alone.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// The example with two releases, 1.1 final, built as HTML.
fn released_example() -> (tempfile::TempDir, PathBuf) {
    let (tmp, project) = example();
    release(&project, "1.0");
    upbook()
        .arg("release")
        .arg(&project)
        .args(["1.1", "--final", "--accepted-by", "Dana Weber"])
        .assert()
        .success();
    build_html(&project);
    (tmp, project)
}

/// The `href` values of a page's links, unescaped.
fn hrefs(html: &str) -> Vec<String> {
    html.match_indices("<a ")
        .filter_map(|(i, _)| {
            let tag = &html[i..i + html[i..].find('>')?];
            let at = tag.find(" href=\"")? + " href=\"".len();
            let value = &tag[at..at + tag[at..].find('"')?];
            Some(
                value
                    .replace("&#x2f;", "/")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

fn is_web(href: &str) -> bool {
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| href.starts_with(s))
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(html_files(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Whether `id` names an element of `html`.
fn has_anchor(html: &str, id: &str) -> bool {
    html.contains(&format!("id=\"{id}\""))
}

#[test]
fn every_link_on_every_page_resolves_to_a_file_and_anchor() {
    let (_tmp, project) = released_example();
    let book = project.join("book");
    let mut checked = 0;
    for page in html_files(&book) {
        if page.to_string_lossy().ends_with("-single.html") {
            continue;
        }
        let html = read(&page);
        for href in hrefs(&html) {
            if is_web(&href) {
                continue;
            }
            let (file, anchor) = href.split_once('#').unwrap_or((&href, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            assert!(
                target.is_file(),
                "{} links {href}, which is not there",
                page.display()
            );
            if !anchor.is_empty() {
                assert!(
                    has_anchor(&read(&target), anchor),
                    "{} links {href}: no such anchor",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn the_customer_copy_links_itself_as_the_playbook() {
    let (_tmp, project) = example();
    build_html(&project);
    let production = read(project.join("book/draft/production.html"));
    assert!(
        production.contains(
            "<a class=\"playbook-link\" href=\"production.html\" aria-current=\"page\">Playbook</a>"
        ),
        "{}",
        &production[production.find("class=\"pages\"").unwrap()..][..400]
    );
    let staging = read(project.join("book/draft/index.html"));
    assert!(staging.contains("class=\"playbook-link\" href=\"index.html\" aria-current=\"page\""));
}

#[test]
fn the_versions_page_lists_each_version_s_outputs_newest_first_draft_apart() {
    let (_tmp, project) = released_example();
    let page = read(project.join("book/index.html"));
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("Version 1.1") < at("Version 1.0"));
    assert!(at("Version 1.0") < at("Working draft"));
    for link in [
        "v1.1/production.html",
        "v1.1/production-single.html",
        "v1.1/playbook-single.html",
        "v1.1/report.html",
        "v1.1/changes.html",
        "v1.0/production.html",
        "draft/production.html",
    ] {
        assert!(
            hrefs(&page).iter().any(|h| h == link),
            "the versions page does not link {link}"
        );
    }
    assert!(
        words(&page).contains("Version 1.1 final"),
        "{}",
        words(&page)
    );
    assert!(!words(&page).contains("Draft, not yet released"));
    let versions = read(project.join("book/versions.js"));
    assert!(versions.contains("\"final\":true"), "{versions}");
    assert!(versions.contains("\"production.html\""), "{versions}");
}

/// A single file of release 1.1, as it is e-mailed.
fn alone(project: &Path, name: &str) -> String {
    read(project.join("book/v1.1").join(name))
}

#[test]
fn the_single_file_alone_has_no_link_that_breaks() {
    let (_tmp, project) = released_example();
    for name in ["playbook-single.html", "production-single.html"] {
        let html = alone(&project, name);
        for href in hrefs(&html) {
            assert!(
                href.starts_with('#') || is_web(&href),
                "{name} links {href}, which breaks once it is alone"
            );
            if let Some(anchor) = href.strip_prefix('#') {
                assert!(
                    anchor.is_empty() || has_anchor(&html, anchor),
                    "{name}: no #{anchor}"
                );
            }
        }
        assert!(!html.contains(" src=\"assets"), "{name} loads a file");
        assert!(html.contains("<meta name=\"upbook-site\" content=\"\">"));
    }
}

#[test]
fn with_site_url_the_single_file_links_the_published_outputs() {
    let (_tmp, project) = example();
    edit(
        &project,
        "book.toml",
        "[output]\n",
        "[output]\nsite_url = \"https://docs.example.com/kfl/\"\n",
    );
    build_html(&project);
    let html = read(project.join("book/draft/production-single.html"));
    let links = hrefs(&html);
    for expected in [
        "https://docs.example.com/kfl/draft/report.html",
        "https://docs.example.com/kfl/draft/index.html",
        "https://docs.example.com/kfl/index.html",
    ] {
        assert!(
            links.iter().any(|h| h == expected),
            "no link to {expected} in {links:?}"
        );
    }
    assert!(
        links.iter().all(|h| h.starts_with('#') || is_web(h)),
        "{links:?}"
    );
}
