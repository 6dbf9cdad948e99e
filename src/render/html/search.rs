//! The search index of one copy of the playbook, as a script beside its
//! page: loaded with `<script src>`, it works opened from disk, where a
//! page may not fetch files. book.js searches it.

use crate::render::views::Content;

/// The index's file beside `page` (`production.html` → `production.search.js`).
pub fn file_for(page: &str) -> String {
    format!("{}.search.js", page.trim_end_matches(".html"))
}

/// The report's parts, which search offers by title.
const REPORT: &[(&str, &str)] = &[
    ("report.html#request", "Request"),
    ("report.html#exclusions", "Scope and exclusions"),
    ("report.html#environments", "Environments"),
    ("report.html#schedule", "Schedule"),
    ("report.html#support", "Support after hand-off"),
    ("report.html#contacts", "Contacts"),
    ("report.html#change-requests", "Change requests"),
];

/// `window.UPBOOK_SEARCH = {"entries": [...], "report": [...]};` for a
/// page's content: the sections' entries, serialised when they were
/// rendered, joined.
pub fn script(content: &Content) -> String {
    let sections: Vec<&str> = content
        .sections()
        .map(|s| &*s.search)
        .filter(|json| !json.is_empty())
        .collect();
    let mut out = String::with_capacity(sections.iter().map(|s| s.len() + 1).sum::<usize>() + 1024);
    out.push_str("window.UPBOOK_SEARCH = {\"entries\":[");
    for (i, json) in sections.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(json);
    }
    out.push_str("],\"report\":");
    out.push_str(&serde_json::to_string(REPORT).unwrap_or_else(|_| "[]".into()));
    out.push_str("};\n");
    out
}
