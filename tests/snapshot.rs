//! The HTML of a small fixture, as reviewed. A change to the theme or the
//! Markdown rendering shows up here as a diff to accept or fix.

mod common;

use common::*;

/// The part of the page the notes produce, from the first phase to the
/// appendix: stable across theme chrome changes that do not touch it.
fn steps_part(html: &str) -> &str {
    let start = html.find("<h2 id=\"part-steps\"").expect("steps part");
    let end = html
        .find("<section class=\"part appendix\"")
        .expect("appendix");
    &html[start..end]
}

#[test]
fn small_fixture_steps_html() {
    let (_tmp, project) = fixture("small");
    upbook().arg("build").arg(&project).assert().success();
    let html = read(project.join("book/draft/index.html"));
    insta::assert_snapshot!("small_staging", steps_part(&html));
    let production = read(project.join("book/draft/production.html"));
    insta::assert_snapshot!("small_production", steps_part(&production));
}
