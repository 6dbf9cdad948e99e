//! The search index of one copy of the playbook, as a script beside its
//! page: loaded with `<script src>`, it works opened from disk, where a
//! page may not fetch files. book.js searches it.

use super::page_text::Part;
use crate::render::views::SearchEntry;

/// The index's file beside `page` (`production.html` → `production.search.js`).
pub fn file_for(page: &str) -> String {
    format!("{}.search.js", page.trim_end_matches(".html"))
}

/// The parts of a copy's page that its templates write (not notes), which
/// search finds by their text too.
pub const PAGE_PARTS: &[&str] = &[
    "scope",
    "environments",
    "who-does-what",
    "prerequisites",
    "process-in-detail",
];

/// The report's parts, found by their text; results open the report.
pub const REPORT_PARTS: &[&str] = &[
    "request",
    "exclusions",
    "environments",
    "schedule",
    "findings",
    "tests",
    "support",
    "contacts",
    "change-requests",
];

/// `window.UPBOOK_SEARCH = {"entries": [...], "report": [...],
/// "report_parts": [...]};`: the sections' entries, then the page's own
/// parts; the report's parts apart, since they open another page.
pub fn script(sections: &str, page: &[Part], report: &[Part], report_name: &str) -> String {
    let entries = |parts: &[Part], href: &str, section: &str| -> String {
        let list: Vec<SearchEntry> = parts
            .iter()
            .map(|p| {
                super::sections::entry(
                    format!("{href}#{}", p.id),
                    p.title.clone(),
                    section.to_string(),
                    &p.text,
                )
            })
            .collect();
        // Strings and plain structs always serialise.
        serde_json::to_string(&list)
            .unwrap_or_else(|_| "[]".into())
            .replace('<', "\\u003c")
    };
    let own = entries(page, "", "");
    let own = own.trim_start_matches('[').trim_end_matches(']');
    let mut out = String::with_capacity(sections.len() + own.len() + 4096);
    out.push_str("window.UPBOOK_SEARCH = {\"entries\":[");
    out.push_str(sections);
    if !sections.is_empty() && !own.is_empty() {
        out.push(',');
    }
    out.push_str(own);
    // Releases keep the theme they were made with, and their pages read
    // `report` as [href, title] pairs: that shape stays, and the report's
    // whole parts go beside it.
    let titles: Vec<(String, &str)> = report
        .iter()
        .map(|p| (format!("report.html#{}", p.id), p.title.as_str()))
        .collect();
    out.push_str("],\"report\":");
    out.push_str(
        &serde_json::to_string(&titles)
            .unwrap_or_else(|_| "[]".into())
            .replace('<', "\\u003c"),
    );
    out.push_str(",\"report_parts\":");
    out.push_str(&entries(report, "report.html", report_name));
    out.push_str("};\n");
    out
}
