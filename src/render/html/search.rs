//! The search index of one copy of the playbook, as a script beside its
//! page: loaded with `<script src>`, it works opened from disk, where a
//! page may not fetch files. book.js searches it.

use serde::Serialize;

use crate::render::views::{Content, SearchEntry};

/// The index's file beside `page` (`production.html` → `production.search.js`).
pub fn file_for(page: &str) -> String {
    format!("{}.search.js", page.trim_end_matches(".html"))
}

#[derive(Serialize)]
struct Index<'a> {
    entries: Vec<&'a SearchEntry>,
    /// The report's parts, which search offers by title.
    report: &'static [(&'static str, &'static str)],
}

const REPORT: &[(&str, &str)] = &[
    ("report.html#request", "Request"),
    ("report.html#exclusions", "Scope and exclusions"),
    ("report.html#environments", "Environments"),
    ("report.html#schedule", "Schedule"),
    ("report.html#support", "Support after hand-off"),
    ("report.html#contacts", "Contacts"),
    ("report.html#change-requests", "Change requests"),
];

/// `window.UPBOOK_SEARCH = {...};` for a page's content. `<` is written
/// as `\u003c`, so the same text can sit inside a `<script>` element.
pub fn script(content: &Content) -> String {
    let entries = content
        .phases
        .iter()
        .flat_map(|p| &p.sections)
        .chain(&content.back_out)
        .chain(&content.known_issues)
        .chain(&content.appendix)
        .flat_map(|s| s.search.iter())
        .collect();
    let json = serde_json::to_string(&Index {
        entries,
        report: REPORT,
    })
    .unwrap_or_else(|_| "{}".into());
    format!("window.UPBOOK_SEARCH = {};\n", json.replace('<', "\\u003c"))
}
